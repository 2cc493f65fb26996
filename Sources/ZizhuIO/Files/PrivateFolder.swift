import Foundation
import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private folder in the temporary directory, made by `mkdtemp` (mode 0700, a name no one can
/// guess, never an existing path or a planted link).
public enum PrivateFolder {
    public static func make(prefix: String) throws -> String {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-XXXXXX").path
        var bytes = Array(template.utf8CString)
        let made = bytes.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else {
            let code = errno
            throw ZizhuError(.output, Message("file.scratch", ["path": FileManager.default.temporaryDirectory.path]),
                             hint: WriteFailure.words(errno: code, doing: "create a folder"))
        }
        return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
