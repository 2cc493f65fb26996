import Crypto
import Foundation
import ZizhuCore

/// Uploaded files, stored content-addressed: `DIR/blobs/ab/abcdef…` named by their SHA-256.
///
/// A file is streamed into `DIR/tmp/` while it is hashed and counted, flushed to disk, and only
/// then renamed into place (a rename within one file system is atomic): a blob either is whole or
/// is not there, and an acknowledged upload survives a crash or a restart.
public struct BlobStore: Sendable {
    public let root: String

    public init(root: String) throws {
        self.root = root
        for folder in ["blobs", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
    }

    public func path(of sha256: String) -> String {
        "\(root)/blobs/\(sha256.prefix(2))/\(sha256)"
    }

    /// A new temporary file to stream into.
    func temporaryWriter() throws -> BlobWriter {
        try BlobWriter(path: "\(root)/tmp/\(UUID().uuidString).part")
    }

    /// Moves a finished temporary file into place under its hash (dropping it when that blob already exists).
    func commit(_ writer: BlobWriter) throws -> (sha256: String, size: Int64) {
        let (sha256, size) = try writer.finish()
        let target = path(of: sha256)
        let fm = FileManager.default
        try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if fm.fileExists(atPath: target) {
            try? fm.removeItem(atPath: writer.path)
        } else if rename(writer.path, target) != 0 {
            let code = errno
            try? fm.removeItem(atPath: writer.path)
            throw ZizhuError(.output, Message("serveError.upload.store", ["errno": "\(code)"]), at: InputPosition(file: target),
                             hint: WriteFailure.words(errno: code, doing: "storing the upload"))
        }
        Self.syncFolder((target as NSString).deletingLastPathComponent)
        return (sha256, size)
    }

    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

/// Streams bytes into a temporary file, hashing and counting them.
final class BlobWriter {
    let path: String
    private let handle: FileHandle
    private var hasher = SHA256()
    private(set) var size: Int64 = 0
    private var closed = false

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ZizhuError(.output, Message("serveError.upload.temporary"), at: InputPosition(file: path),
                             hint: Message("serveError.upload.temporary.hint"))
        }
        self.path = path
        self.handle = handle
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        size += Int64(bytes.count)
        try handle.write(contentsOf: Data(bytes))
    }

    /// Flushes to disk and closes; returns the hex SHA-256 and the size.
    func finish() throws -> (String, Int64) {
        try handle.synchronize()
        try handle.close()
        closed = true
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
    }

    /// Closes and removes the temporary file (a refused or interrupted upload).
    func discard() {
        if !closed { try? handle.close() }
        closed = true
        try? FileManager.default.removeItem(atPath: path)
    }
}
