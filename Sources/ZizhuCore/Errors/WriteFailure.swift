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
        switch code {
        case ENOSPC?: return "the disk is full: free some space (or choose --out on another disk) and run again"
        case EDQUOT?: return "the disk quota is used up: free some space (or choose --out elsewhere) and run again"
        case EROFS?: return "the disk is read-only: choose --out on a writable disk"
        case EACCES?, EPERM?: return "no permission to \(action) there: choose a folder you may write to"
        case ENOENT?: return "a folder on the way does not exist: check the path"
        case ENOTDIR?: return "a part of the path is a file, not a folder: check the path"
        case let code?: return "the system said: \(String(cString: strerror(code)))"
        case nil: return "check that the folder exists and can be written"
        }
    }

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
