import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// Writes one merged data file (`merged/roster.csv.gz`): the packages' rows in the package CSV
/// form (UTF-8, no BOM, LF, RFC 4180 quoting) plus a last `source_package` column, streamed
/// through gzip so no package's rows are held longer than it takes to copy them.
///
/// These are data files for the next system, like the packages they come from: ids stay whole
/// (reports mask them, data does not) and cells are copied as the package holds them.
///
/// Deflate runs on a thread of its own: full 1 MiB buffers go to it down a short channel while
/// the next rows are copied, so the copying and the compressing use two cores. The stream is the
/// same bytes as when compressed inline (one deflate stream, fed the same buffers in order).
final class MergedTableWriter {
    static let sourceColumn = "source_package"

    /// The merged header: every column of the packages, in order of first appearance, then `source_package`.
    let header: [String]
    private let chunks = Channel<[UInt8]>(capacity: 2)
    private let compressor: StageThread
    private var compressorJoined = false
    private let gzip: GzipHandoff
    private var buffer: [UInt8] = []
    private static let flushBytes = 1 << 20
    private(set) var rows = 0

    /// The gzip writer, used by the compressor thread until it is joined, then by `close` — never
    /// by two threads at once.
    private final class GzipHandoff: @unchecked Sendable {
        let writer: GzipFileWriter
        init(_ writer: GzipFileWriter) { self.writer = writer }
    }

    /// zlib's level for the merged tables. Level 6 made their deflate the critical path of a
    /// province's merge (one thread per table; 46 % of a 300,000-student merge's instructions):
    /// level 1 deflates them in ~40 % of the time for files ~25 % larger. Same bytes every run.
    static let deflateLevel: Int32 = 1

    init(path: String, columns: [String]) throws {
        header = columns + [Self.sourceColumn]
        let gzip = GzipHandoff(try GzipFileWriter(path: path, level: Self.deflateLevel))
        self.gzip = gzip
        let chunks = self.chunks
        compressor = StageThread(name: "zizhu-merge-deflate") {
            do {
                while let chunk = try chunks.receive() { try gzip.writer.write(chunk) }
            } catch {
                // Stop the copying side too: its next send throws, and `close` rethrows this error.
                chunks.cancel()
                throw error
            }
        }
        buffer.reserveCapacity(Self.flushBytes + (1 << 16))
        for (index, name) in header.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            Self.appendField(Array(name.utf8)[...], to: &buffer, isRaw: false)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Where each merged column comes from in a package whose header is `packageHeader` (nil:
    /// the package lacks it, the cell stays empty). Nil when the package's columns are exactly
    /// the merged ones, in order.
    func mapping(for packageHeader: [String]) -> [Int?]? {
        let columns = Array(header.dropLast())
        if packageHeader == columns { return nil }
        return columns.map { packageHeader.firstIndex(of: $0) }
    }

    /// Copies the scanner's current record, then `source` (the package's name, pre-encoded).
    func write(_ scanner: PackageCSV.Scanner, mapping: [Int?]?, source: [UInt8]) throws {
        if let mapping {
            for (index, from) in mapping.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                if let from, from < scanner.spans.count { append(scanner, from) }
            }
        } else {
            for index in scanner.spans.indices {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                append(scanner, index)
            }
        }
        buffer.append(UInt8(ascii: ","))
        buffer.append(contentsOf: source)
        buffer.append(UInt8(ascii: "\n"))
        rows += 1
        if buffer.count >= Self.flushBytes { try flush() }
    }

    /// Copies a record of unquoted fields as it stands (`PackageCSV.forEachPlainRecord`: no `"`,
    /// CR, comma inside a field or line feed in it), then `source`: the bytes `write` makes of the
    /// same record when the package's columns are the merged ones (`mapping` nil).
    func writePlain(_ record: UnsafeBufferPointer<UInt8>, source: [UInt8]) throws {
        buffer.append(contentsOf: record)
        buffer.append(UInt8(ascii: ","))
        buffer.append(contentsOf: source)
        buffer.append(UInt8(ascii: "\n"))
        rows += 1
        if buffer.count >= Self.flushBytes { try flush() }
    }

    /// A cell's bytes as `source_package` will hold them, quoted when needed.
    static func encoded(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        appendField(Array(text.utf8)[...], to: &out, isRaw: false)
        return out
    }

    func close() throws {
        try flush()
        chunks.close()
        try joinCompressor()
        try gzip.writer.close()
    }

    /// A writer dropped without `close` (the merge failed): the compressor stops and the file is
    /// left to the run's clean-up.
    deinit {
        chunks.cancel()
        try? joinCompressor()
    }

    /// Waits for the compressor (once: a thread is joined one time) and rethrows its error.
    private func joinCompressor() throws {
        guard !compressorJoined else { return }
        compressorJoined = true
        try compressor.join()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try chunks.send(buffer)
        } catch {
            // The compressor failed (a full disk): its error is the one to report.
            try joinCompressor()
            throw error
        }
        buffer = []
        buffer.reserveCapacity(Self.flushBytes + (1 << 16))
    }

    private func append(_ scanner: PackageCSV.Scanner, _ index: Int) {
        let raw = scanner.raw(index)
        Self.appendField(raw[...], to: &buffer, isRaw: true)
    }

    /// Appends a field, in quotes when it holds `,`, `"`, CR or LF. A raw field from the scanner
    /// already has its quotes doubled (an unquoted field cannot hold one); text does not.
    private static func appendField<C: Collection>(_ bytes: C, to out: inout [UInt8], isRaw: Bool) where C.Element == UInt8 {
        var needsQuotes = false
        var hasQuote = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): needsQuotes = true; hasQuote = true
            case UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r"): needsQuotes = true
            default: break
            }
        }
        guard needsQuotes else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(UInt8(ascii: "\""))
        if hasQuote && !isRaw {
            for byte in bytes {
                out.append(byte)
                if byte == UInt8(ascii: "\"") { out.append(byte) }
            }
        } else {
            out.append(contentsOf: bytes)
        }
        out.append(UInt8(ascii: "\""))
    }
}
