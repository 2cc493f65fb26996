import Foundation
import Testing
import ZizhuCore

/// A failed write says why in words a person can act on: a full disk is not "check that the
/// directory exists".
@Suite struct WriteFailureTests {
    @Test func eachReasonHasItsOwnHint() {
        #expect(WriteFailure.hint(errno: ENOSPC, doing: "write").contains("disk is full"))
        #expect(WriteFailure.hint(errno: EDQUOT, doing: "write").contains("quota"))
        #expect(WriteFailure.hint(errno: EROFS, doing: "write").contains("read-only"))
        #expect(WriteFailure.hint(errno: EACCES, doing: "write the file").contains("no permission to write the file"))
        for code in [ENOSPC, EDQUOT, EROFS, EACCES] {
            #expect(!WriteFailure.hint(errno: code, doing: "write").contains("exists"))
        }
    }

    @Test func foundationErrorsGiveTheirErrno() {
        let full = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteOutOfSpaceError)
        #expect(WriteFailure.errno(of: full) == ENOSPC)
        let posix = NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))
        #expect(WriteFailure.errno(of: posix) == EROFS)
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: 512, userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EDQUOT))])
        #expect(WriteFailure.errno(of: wrapped) == EDQUOT)
    }
}
