import Foundation
import ZizhuCore

/// One readable byte stream: a file, standard input, a gzip file (decompressed), a zip entry
/// (inflated, and gunzipped when the entry is itself gzip), or bytes in memory.
///
/// Gzip is recognised by its magic bytes `1f 8b`, whatever the name says, so a renamed
/// `roster.csv` that is really gzip reads correctly. Decompressed streams are held to the
/// `ArchiveLimits` they were opened with while the bytes flow. A `ByteInput` is a description:
/// every `pump` opens the source afresh (standard input can be pumped only once).
public struct ByteInput: Sendable {
    /// The file as the user gave it (`-` for standard input) and, for zip members, the entry.
    public let position: InputPosition
    let source: Source
    let limits: ArchiveLimits
    let budget: ArchiveBudget?
    /// Sees the raw bytes of a file or standard input as they are read (see `observed(by:)`).
    let tap: (any RawBytesTap)?
    /// What the bytes are: delimited text (the default), an .xlsx workbook or an .xls workbook.
    public let format: InputFormat
    /// The sheet chosen in a workbook (nil: not chosen yet, or not a workbook).
    public private(set) var sheet: String?

    enum Source: Sendable {
        case file(path: String)
        /// Standard input, whose first bytes (`head`) were read already to tell what it holds.
        case standardInput(head: [UInt8])
        case memory([UInt8])
        case zipEntry(ZipEntryLocation)
    }

    init(position: InputPosition, source: Source, limits: ArchiveLimits, budget: ArchiveBudget? = nil,
         tap: (any RawBytesTap)? = nil, format: InputFormat = .text) {
        self.position = position
        self.source = source
        self.limits = limits
        self.budget = budget
        self.tap = tap
        self.format = format
    }

    /// Whether the stream is a file or standard input read from its first byte to its last (not
    /// a zip entry, not bytes in memory): only such a stream is seen by a tap.
    public var readsWholeFile: Bool {
        switch source {
        case .file, .standardInput: return true
        case .memory, .zipEntry: return false
        }
    }

    /// The same stream under another name (standard input spooled to a file still reads as `-`).
    func renamed(_ position: InputPosition) -> ByteInput {
        var copy = ByteInput(position: position, source: source, limits: limits, budget: budget, tap: tap, format: format)
        copy.sheet = sheet
        return copy
    }

    /// The same stream, with `tap` shown every raw byte (before gzip is inflated) as it is read.
    /// A pipe or standard input can be read only once, so whatever must see its bytes (the
    /// manifest's hash) sees them here.
    public func observed(by tap: any RawBytesTap) -> ByteInput {
        var copy = ByteInput(position: position, source: source, limits: limits, budget: budget, tap: tap, format: format)
        copy.sheet = sheet
        return copy
    }

    /// Bytes held in memory, named `name` in positions (tests, generated data). Gzip magic is
    /// detected here too; a workbook is recognised by its first bytes (see `InputFormat.sniff`).
    public static func memory(_ bytes: [UInt8], name: String) -> ByteInput {
        ByteInput(position: InputPosition(file: name), source: .memory(bytes), limits: .default,
                  format: InputFormat.sniff(bytes.prefix(8), name: name, isZipWorkbook: InputFormat.isZipWorkbook(bytes)))
    }

    /// The same workbook with `sheet` chosen: its position names the sheet as an entry,
    /// `file.xlsx!Sheet1` (or `archive.zip!file.xlsx!Sheet1`), so every line shows it.
    public func selecting(sheet name: String) -> ByteInput {
        var position = position
        position.entry = position.entry.map { "\($0)!\(name)" } ?? name
        var copy = ByteInput(position: position, source: source, limits: limits, budget: budget, tap: tap, format: format)
        copy.sheet = name
        return copy
    }

    /// The workbook's zip archive (an .xlsx is a zip), opened under this input's limits: the file
    /// itself, or the entry of an outer zip (or bytes) held in memory.
    public func workbookArchive() throws -> ZipArchive {
        switch source {
        case .file(let path):
            return try ZipArchive(path: path, limits: limits)
        case .memory(let bytes):
            return try ZipArchive(bytes: bytes, name: position.displayName, limits: limits)
        case .standardInput, .zipEntry:
            return try ZipArchive(bytes: readAll(), name: position.displayName, limits: limits)
        }
    }

    /// A path to the bytes on disk (an .xls is read by a library that opens files): the file
    /// itself, or a private copy in a temporary folder that `body`'s end removes.
    public func withLocalFile<R>(_ body: (String) throws -> R) throws -> R {
        // A spooled standard input (`/dev/fd/N`) is this process's alone: another gets a copy.
        if case .file(let path) = source, !path.hasPrefix("/dev/fd/") { return try body(path) }
        let folder = try PrivateFolder.make(prefix: "zizhu-xls")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/input.xls"
        let bytes = try readAll()
        let descriptor = PlainFile.create(path)
        guard descriptor >= 0 else {
            throw ZizhuError(.ioFailure, Message("input.workbookCopy"), at: position)
        }
        defer { _ = PlainFile.close(descriptor) }
        try bytes.withUnsafeBytes { try PlainFile.writeAll(descriptor, $0, path: path) }
        return try body(path)
    }

    private func readAll() throws -> [UInt8] {
        var bytes: [UInt8] = []
        try pump { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Pushes the (decompressed) bytes in order, in chunks of at most `chunkSize` bytes.
    ///
    /// The buffer handed to `sink` is reused for the next chunk: copy what must outlive the call.
    /// Throws `ZizhuError` with the position and the byte offset in the decompressed stream:
    /// `.truncated` for gzip or zip data cut short, `.archive` for corrupt compressed data,
    /// `.limitExceeded` for a decompression bomb, `.ioFailure` when the file cannot be read.
    public func pump(chunkSize: Int = 1 << 20, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let size = max(1, chunkSize)
        let state = PumpState(position: position, limits: limits, budget: budget)
        switch source {
        case .file(let path):
            try pumpFile(ReadableFile(path: path, position: position), chunkSize: size, state: state, sink)
        case .standardInput(let head):
            try pumpFile(ReadableFile(path: "-", position: position), head: head, chunkSize: size, state: state, sink)
        case .memory(let bytes):
            let stage = GzipSniffer(state: state, chunkSize: size, isOutermost: true, refusesZip: true)
            try bytes.withUnsafeBytes { all in
                var offset = 0
                while offset < all.count {
                    let end = min(all.count, offset + size)
                    state.rawConsumed = Int64(end)
                    try stage.push(UnsafeRawBufferPointer(rebasing: all[offset..<end]), sink)
                    offset = end
                }
            }
            try stage.finish(sink)
        case .zipEntry(let location):
            try ZipEntryReader(location: location, state: state).pump(chunkSize: size, sink)
        }
    }

    private func pumpFile(_ file: ReadableFile, head: [UInt8] = [], chunkSize: Int, state: PumpState,
                          _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = AlignedBuffer(capacity: chunkSize)
        let stage = GzipSniffer(state: state, chunkSize: chunkSize, isOutermost: true, refusesZip: true)
        var total: Int64 = 0
        if !head.isEmpty {
            total = Int64(head.count)
            state.rawConsumed = total
            try head.withUnsafeBytes { bytes in
                tap?.consume(bytes)
                try stage.push(bytes, sink)
            }
        }
        while true {
            let count = try file.read(into: buffer.mutableBytes, position: state.positionAt(state.produced))
            if count == 0 { break }
            total += Int64(count)
            state.rawConsumed = total
            tap?.consume(buffer.prefix(count))
            try stage.push(buffer.prefix(count), sink)
        }
        try stage.finish(sink)
    }
}

/// Receives the raw bytes of a file or standard input, in order, on the thread that reads them.
public protocol RawBytesTap: AnyObject, Sendable {
    func consume(_ bytes: UnsafeRawBufferPointer)
}

/// What an input holds, decided by its first bytes (and, inside an archive, the entry name).
public enum InputFormat: Sendable, Hashable {
    /// CSV or TSV text (possibly gzip-compressed).
    case text
    /// An Office Open XML workbook (a zip holding `xl/workbook.xml`).
    case xlsx
    /// A BIFF8 workbook (an OLE2 compound file, `D0 CF 11 E0`).
    case xls

    static let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// The format of bytes starting with `head`: OLE2 → .xls; a zip that holds a workbook → .xlsx.
    static func sniff(_ head: some Collection<UInt8>, name: String, isZipWorkbook: Bool) -> InputFormat {
        if head.elementsEqual(oleMagic) { return .xls }
        if isZipWorkbook { return .xlsx }
        return .text
    }

    /// Whether in-memory bytes are a zip holding `xl/workbook.xml`.
    static func isZipWorkbook(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4b, bytes[2] == 0x03, bytes[3] == 0x04 else { return false }
        guard let archive = try? ZipArchive(bytes: bytes, name: "") else { return false }
        return archive.entry(named: "xl/workbook.xml") != nil
    }
}
