import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to tell a person when writing an output fails: the system's reason (a full disk, a quota,
/// a read-only disk, no permission) in words they can act on, not a guess.
public enum WriteFailure {
    /// A hint for the errno `code` met while trying to `action` ("write the file").
    public static func hint(errno code: Int32?, doing action: String) -> String {
        words(errno: code, doing: action).text(.en)
    }

    /// `hint` as catalogue words, in either language.
    public static func words(errno code: Int32?, doing action: String) -> Message {
        switch code {
        case ENOSPC?: return Message("write.diskFull")
        case EDQUOT?: return Message("write.quota")
        case EROFS?: return Message("write.readOnly")
        case EACCES?, EPERM?:
            let doing = actions[action].map { Message($0) } ?? Message(verbatim: action)
            return Message("write.permission", parts: ["action": doing])
        case ENOENT?: return Message("write.noFolder")
        case ENOTDIR?: return Message("write.notFolder")
        case let code?: return Message("write.system", ["reason": String(cString: strerror(code))])
        case nil: return Message("write.unknown")
        }
    }

    /// What was being done, as catalogue keys.
    private static let actions = ["write the file": "write.action.writeFile", "create the file": "write.action.createFile",
                                  "create the folder": "write.action.createFolder", "create a folder": "write.action.createFolder",
                                  "rename the folder": "write.action.renameFolder"]

    /// The errno behind a Foundation error, when it tells one.
    public static func errno(of error: any Error) -> Int32? {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        switch ns.code {
        case NSFileWriteOutOfSpaceError: return ENOSPC
        case NSFileWriteVolumeReadOnlyError: return EROFS
        case NSFileWriteNoPermissionError: return EACCES
        default: return nil
        }
    }
}
