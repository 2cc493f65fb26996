import Crypto
import Foundation
import ZizhuCore

/// Size and SHA-256 of a file, computed by streaming it.
public struct FileDigest: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int64
    public var sha256: String

    public init(path: String, bytes: Int64, sha256: String) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
    }

    /// Hashes the file at `url`, recording it under the name `path`.
    public static func of(_ url: URL, as path: String) throws -> FileDigest {
        guard let file = fopen(url.path, "rb") else {
            throw ZizhuError(.ioFailure, Message("digest.open"), at: InputPosition(file: url.path), hint: Message(verbatim: String(cString: strerror(errno))))
        }
        defer { fclose(file) }
        var hasher = SHA256()
        var total: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            total += Int64(n)
        }
        if ferror(file) != 0 {
            throw ZizhuError(.ioFailure, Message("digest.read"), at: InputPosition(file: url.path))
        }
        return FileDigest(path: path, bytes: total, sha256: hex(hasher.finalize()))
    }

    /// Hashes bytes as they pass (a pipe or standard input, which can be read only once).
    public struct Streaming {
        private var hasher = SHA256()
        public private(set) var bytes: Int64 = 0

        public init() {}

        public mutating func update(_ chunk: UnsafeRawBufferPointer) {
            hasher.update(bufferPointer: chunk)
            bytes += Int64(chunk.count)
        }

        /// The digest of every byte so far, recorded under the name `path`.
        public func digest(as path: String) -> FileDigest {
            FileDigest(path: path, bytes: bytes, sha256: FileDigest.hex(hasher.finalize()))
        }
    }

    /// SHA-256 of bytes in memory, as lower-case hex.
    public static func sha256(_ data: some DataProtocol) -> String { hex(SHA256.hash(data: data)) }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
