import Foundation
import ZizhuCore
import ZizhuIO
import ZizhuReport

/// A regular file's size and modification time, taken before it is read and again after, so
/// that a file truncated, appended to or rewritten during a run fails the run (exit 3) instead
/// of leaving a manifest that records bytes the run never read.
struct FileStamp: Equatable {
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    var inode: UInt64

    /// The stamp of `path` when it is a regular file; nil for a pipe, a device, a folder, `-`,
    /// or a path that cannot be read (opening it reports that).
    static func of(_ path: String) -> FileStamp? {
        guard path != "-" else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return FileStamp(size: Int64(info.st_size), modifiedSeconds: Int(time.tv_sec),
                         modifiedNanoseconds: Int(time.tv_nsec), inode: UInt64(info.st_ino))
    }

    /// Throws unless the file is as it was before it was read (`after`) and, when the whole file
    /// was read from first byte to last, unless exactly `size` bytes were read.
    func check(after: FileStamp?, bytesRead: Int64?, path: String) throws {
        var what: Message?
        if let after, after != self {
            what = after.size != size ? Message("error.changed.size", ["from": "\(size)", "to": "\(after.size)"]) : Message("error.changed.modified")
        } else if after == nil {
            what = Message("error.changed.gone")
        } else if let bytesRead, bytesRead != size {
            what = Message("error.changed.short", ["read": "\(bytesRead)", "size": "\(size)"])
        }
        if let what {
            throw ZizhuError(.ioFailure, Message("error.changed", parts: ["what": what]),
                             at: InputPosition(file: path),
                             hint: Message("error.changed.hint"))
        }
    }
}

/// Sees the raw bytes of one input file as the reader reads them: counts them, and hashes them
/// when the file is not a regular file (a pipe, standard input), which can be read only once.
final class InputTap: RawBytesTap, @unchecked Sendable {
    private let lock = NSLock()
    private var digest: FileDigest.Streaming?
    private var count: Int64 = 0
    private let onChunk: (@Sendable (String) -> Void)?
    private let path: String

    init(path: String, hashes: Bool, onChunk: (@Sendable (String) -> Void)?) {
        self.path = path
        digest = hashes ? FileDigest.Streaming() : nil
        self.onChunk = onChunk
    }

    func consume(_ bytes: UnsafeRawBufferPointer) {
        lock.lock()
        count += Int64(bytes.count)
        digest?.update(bytes)
        lock.unlock()
        onChunk?(path)
    }

    var bytesRead: Int64 { lock.lock(); defer { lock.unlock() }; return count }

    /// The manifest entry of a hashed stream.
    var fileDigest: FileDigest? { lock.lock(); defer { lock.unlock() }; return digest?.digest(as: path) }
}
