import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// In-memory gzip, with reproducible output: the header carries mtime 0, no file name and OS
/// 255, so equal input and level give equal bytes on every machine with the same zlib.
public enum Gzip {
    /// Compresses `data` into one gzip member.
    public static func compress(_ data: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        let deflater: DeflateStream
        do { deflater = try DeflateStream(.gzip, level: level) } catch { throw failure(error) }
        var result: [UInt8] = []
        result.reserveCapacity(data.count / 3 + 64)
        let output = AlignedBuffer(capacity: 1 << 16)
        do {
            try data.withUnsafeBytes { input in
                try deflater.deflate(input, finish: true, into: output.mutableBytes) { result.append(contentsOf: $0) }
            }
        } catch let error as ZlibFailure {
            throw failure(error)
        }
        return result
    }

    /// Decompresses gzip data (all members), held to `limits` like a gzip file.
    public static func decompress(_ data: [UInt8], limits: ArchiveLimits = .default) throws -> [UInt8] {
        var result: [UInt8] = []
        let input = ByteInput(position: InputPosition(file: "<memory>"), source: .memory(data), limits: limits)
        if data.count < 2 || data[0] != 0x1f || data[1] != 0x8b {
            throw ZizhuError(.archive, Message("gzip.notGzip"), at: input.position)
        }
        try input.pump(chunkSize: 1 << 16) { result.append(contentsOf: $0) }
        return result
    }

    static func failure(_ error: ZlibFailure) -> ZizhuError {
        switch error {
        case .corrupt(let message): return ZizhuError(.output, Message("gzip.compressFailed", ["reason": message]))
        case .outOfMemory: return ZizhuError(.output, Message("zlib.compress.outOfMemory"))
        case .internalError(let code): return ZizhuError(.output, Message("zlib.status", ["code": "\(code)"]))
        }
    }
}

/// Writes a gzip file as the bytes come, with the same reproducible header as `Gzip.compress`.
///
/// Call `close()` to finish the stream: a writer released without it leaves an incomplete file
/// (which readers report as truncated).
public final class GzipFileWriter {
    private let descriptor: Int32
    private let path: String
    private let deflater: DeflateStream
    private let output = AlignedBuffer(capacity: 1 << 18)
    private var closed = false

    /// Creates (or truncates) `path`.
    public init(path: String, level: Int32 = 6) throws {
        self.path = path
        do { deflater = try DeflateStream(.gzip, level: level) } catch { throw Gzip.failure(error) }
        let fd = PlainFile.create(path)
        guard fd >= 0 else {
            let code = errno
            throw ZizhuError(.output, Message("file.create", ["path": path, "reason": ReadableFile.describe(code)]),
                             hint: WriteFailure.words(errno: code, doing: "create the file"))
        }
        descriptor = fd
    }

    deinit {
        if !closed { PlainFile.close(descriptor) }
    }

    /// Compresses and writes `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try run(bytes, finish: false)
    }

    /// Compresses and writes `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try run($0, finish: false) }
    }

    /// Ends the gzip stream and closes the file.
    public func close() throws {
        guard !closed else { return }
        try run(UnsafeRawBufferPointer(start: nil, count: 0), finish: true)
        closed = true
        if PlainFile.close(descriptor) != 0 {
            throw ZizhuError(.output, Message("file.finish", ["path": path, "reason": ReadableFile.describe(errno)]))
        }
    }

    private func run(_ bytes: UnsafeRawBufferPointer, finish: Bool) throws {
        guard !closed else { throw ZizhuError(.output, Message("file.closed", ["path": path])) }
        do {
            try deflater.deflate(bytes, finish: finish, into: output.mutableBytes) { piece in
                try PlainFile.writeAll(descriptor, piece, path: path)
            }
        } catch let error as ZlibFailure {
            throw Gzip.failure(error)
        }
    }
}
