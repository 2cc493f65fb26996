import ZizhuCore

/// Random access to the bytes of a zip archive: a file read with `pread`, or bytes in memory
/// (a school package inside a city archive is read without a temporary file).
protocol ZipByteSource {
    /// Size in bytes.
    func size(position: InputPosition) throws -> Int64
    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, position: InputPosition) throws -> Int
}

extension ReadableFile: ZipByteSource {}

/// A zip archive held in memory.
struct MemoryZipSource: ZipByteSource {
    let bytes: [UInt8]

    func size(position: InputPosition) throws -> Int64 { Int64(bytes.count) }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, position: InputPosition) throws -> Int {
        guard offset >= 0, offset < Int64(bytes.count), buffer.count > 0 else { return 0 }
        let start = Int(offset)
        let count = min(buffer.count, bytes.count - start)
        bytes.withUnsafeBytes { all in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[start..<(start + count)]))
        }
        return count
    }
}
