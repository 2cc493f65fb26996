import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An archive entry that was not opened, and why (shown to the user: nothing is dropped silently).
public struct SkippedEntry: Sendable, Hashable {
    /// The entry's path inside the archive.
    public var entry: String
    /// Why it was not read, e.g. "not a CSV file or workbook (.csv .tsv .txt .csv.gz .xlsx .xls)".
    public var reason: String

    /// A skipped entry and the reason shown for it.
    public init(entry: String, reason: String) {
        self.entry = entry
        self.reason = reason
    }
}

/// What a path given by the user expands to: one input for a file, one per CSV entry for a zip.
public struct OpenedInput: Sendable {
    /// The streams to read, in the order of the archive's directory.
    public var inputs: [ByteInput]
    /// Archive entries that are not read (directories and `__MACOSX` are left out of this list).
    public var skipped: [SkippedEntry]

    /// The inputs of one path and the archive entries left out.
    public init(inputs: [ByteInput], skipped: [SkippedEntry] = []) {
        self.inputs = inputs
        self.skipped = skipped
    }
}

/// Turns the paths on a command line into byte streams.
public enum InputOpener {
    /// Entry names read from a zip (case-insensitive).
    static let csvSuffixes = [".csv", ".tsv", ".txt", ".csv.gz"]

    /// Expands a path: a plain file, `-` (standard input), a gzip file, a workbook (.xlsx, .xls) or
    /// a zip archive.
    ///
    /// The kind is decided by the first bytes, not the name: `PK\u{3}\u{4}` is a zip, `1f 8b` is
    /// gzip (detected when the input is pumped; multi-member gzip is read whole). A zip yields one
    /// input per entry ending `.csv`, `.tsv`, `.txt` or `.csv.gz`; directories and `__MACOSX` are
    /// ignored and other entries listed in `skipped`; `.xlsx` and `.xls` entries are workbook inputs.
    /// A zip holding `xl/workbook.xml` is an .xlsx (one input, `format` `.xlsx`); a file starting
    /// with the OLE2 signature is an .xls. An archive holding any entry with an
    /// absolute or `..` path is refused whole (`.archive`), as is one whose declared sizes pass
    /// `limits` or whose entries overlap (`.limitExceeded` / `.archive`). A missing or unreadable
    /// file is `.ioFailure` with a hint.
    public static func open(_ path: String, limits: ArchiveLimits = .default) throws -> OpenedInput {
        let position = InputPosition(file: path)
        if path == "-" {
            return try open(standardInput: ReadableFile(path: "-", position: position), limits: limits)
        }
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG && (info.st_mode & S_IFMT) != S_IFDIR {
            // A pipe or device (`<(zcat x.gz)`, /dev/stdin) can be opened and read once only:
            // do not probe it here, stream it when pumped (gzip is still detected then).
            return OpenedInput(inputs: [ByteInput(position: position, source: .file(path: path), limits: limits)])
        }
        let file = try ReadableFile(path: path, position: position)
        var magic = [UInt8](repeating: 0, count: 8)
        let got = try magic.withUnsafeMutableBytes { try file.read(into: $0, at: 0, position: position) }
        let isZip = got >= 4 && magic[0] == 0x50 && magic[1] == 0x4b
            && ((magic[2] == 0x03 && magic[3] == 0x04) || (magic[2] == 0x05 && magic[3] == 0x06))
        if got == 8 && magic == InputFormat.oleMagic {
            return OpenedInput(inputs: [ByteInput(position: position, source: .file(path: path), limits: limits, format: .xls)])
        }
        if !isZip {
            if path.lowercased().hasSuffix(".zip") {
                throw ZizhuError(.archive, Message("error.zip.notZip", ["path": path]), at: position,
                                 hint: Message("error.zip.notZip.hint"))
            }
            return OpenedInput(inputs: [ByteInput(position: position, source: .file(path: path), limits: limits)])
        }
        return try openZip(path: path, file: file, limits: limits)
    }

    private static func openZip(path: String, file: ReadableFile, limits: ArchiveLimits) throws -> OpenedInput {
        let position = InputPosition(file: path)
        let size = try file.size(position: position)
        let directory = try ZipDirectory(file: file, fileSize: size, limits: limits, position: position)
        // Refuse the whole archive for one dangerous name: an archive built to escape a directory
        // is hostile, whatever its other entries hold.
        for entry in directory.entries {
            if let reason = ZipDirectory.unsafeWords(entry.name) {
                throw ZizhuError(.archive, Message("zip.unsafe", ["name": entry.name], parts: ["reason": reason]),
                                 at: position, hint: Message("zip.unsafe.hint"))
            }
        }
        // An .xlsx is a zip holding a workbook: the whole file is one input, read as a workbook.
        if directory.entries.contains(where: { $0.name == "xl/workbook.xml" }) {
            return OpenedInput(inputs: [ByteInput(position: position, source: .file(path: path), limits: limits, format: .xlsx)])
        }
        let budget = ArchiveBudget(limit: limits.maxTotalBytes)
        var inputs: [ByteInput] = []
        var skipped: [SkippedEntry] = []
        var declaredTotal: Int64 = 0
        var spans: [(start: Int64, end: Int64, name: String)] = []
        for entry in directory.entries {
            let components = entry.name.replacingAll("\\", with: "/").split(separator: "/")
            if entry.isDirectory || components.first == "__MACOSX" { continue }
            let lowered = entry.name.lowercased()
            let format: InputFormat = lowered.hasSuffix(".xlsx") ? .xlsx : lowered.hasSuffix(".xls") ? .xls : .text
            guard format != .text || csvSuffixes.contains(where: { lowered.hasSuffix($0) }) else {
                skipped.append(SkippedEntry(entry: entry.name, reason: "not a CSV file or workbook (.csv .tsv .txt .csv.gz .xlsx .xls)"))
                continue
            }
            let entryPosition = InputPosition(file: path, entry: entry.name)
            if entry.isEncrypted {
                throw ZizhuError(.archive, Message("error.zip.encrypted"), at: entryPosition,
                                 hint: Message("error.zip.encrypted.hint"))
            }
            guard entry.method == 0 || entry.method == 8 else {
                throw ZizhuError(.archive, Message("error.zip.method", ["method": "\(entry.method)"]),
                                 at: entryPosition, hint: Message("error.zip.method.hint"))
            }
            try checkDeclaredSizes(entry, limits: limits, position: entryPosition)
            declaredTotal += entry.uncompressedSize
            if declaredTotal > limits.maxTotalBytes {
                throw ZizhuError(.limitExceeded, Message("zip.csvTotalTooLarge", ["limit": "\(limits.maxTotalBytes)"]),
                                 at: position, hint: Message("zip.totalTooLarge.hint"))
            }
            let dataOffset = try localDataOffset(entry, file: file, fileSize: size,
                                                 directoryOffset: directory.centralDirectoryOffset, position: entryPosition)
            spans.append((entry.localHeaderOffset, dataOffset + entry.compressedSize, entry.name))
            let location = ZipEntryLocation(archivePath: path, name: entry.name, method: entry.method,
                                            crc32: entry.crc32, compressedSize: entry.compressedSize,
                                            uncompressedSize: entry.uncompressedSize, dataOffset: dataOffset)
            inputs.append(ByteInput(position: entryPosition, source: .zipEntry(location), limits: limits, budget: budget,
                                    format: format))
        }
        // Entries that share compressed data let a small archive expand without bound.
        spans.sort { $0.start < $1.start }
        for (previous, next) in zip(spans, spans.dropFirst()) where next.start < previous.end {
            throw ZizhuError(.archive, Message("zip.overlap", ["first": previous.name, "second": next.name]), at: position,
                             hint: Message("zip.overlap.hint"))
        }
        return OpenedInput(inputs: inputs, skipped: skipped)
    }

    private static func checkDeclaredSizes(_ entry: ZipDirectoryEntry, limits: ArchiveLimits, position: InputPosition) throws {
        if entry.uncompressedSize > limits.maxEntryBytes {
            throw ZizhuError(.limitExceeded, Message("zip.entryTooLarge", ["size": "\(entry.uncompressedSize)", "limit": "\(limits.maxEntryBytes)"]),
                             at: position, hint: Message("zip.entryTooLarge.hint"))
        }
        let (bound, overflow) = limits.maxRatio.multipliedReportingOverflow(by: max(entry.compressedSize, 1))
        if entry.uncompressedSize > ArchiveLimits.ratioGraceBytes && !overflow && entry.uncompressedSize > bound {
            throw ZizhuError(.limitExceeded,
                             Message("zip.ratio", ["compressed": "\(entry.compressedSize)", "size": "\(entry.uncompressedSize)",
                                                   "ratio": "\(limits.maxRatio)"]),
                             at: position, hint: Message("zip.ratio.csv.hint"))
        }
    }

    private static func localDataOffset(_ entry: ZipDirectoryEntry, file: ReadableFile, fileSize: Int64,
                                        directoryOffset: Int64, position: InputPosition) throws -> Int64 {
        var header = [UInt8](repeating: 0, count: 30)
        let got = try header.withUnsafeMutableBytes { try file.read(into: $0, at: entry.localHeaderOffset, position: position) }
        guard got == 30, header.le32(0) == ZipDirectory.localSignature else {
            throw ZizhuError(.archive, Message("error.zip.localHeader"), at: position,
                             hint: Message("error.zip.damaged.hint"))
        }
        let dataOffset = entry.localHeaderOffset + 30 + Int64(header.le16(26)) + Int64(header.le16(28))
        guard dataOffset + entry.compressedSize <= directoryOffset, dataOffset + entry.compressedSize <= fileSize else {
            throw ZizhuError(.archive, Message("error.zip.pastEnd"), at: position,
                             hint: Message("error.zip.pastEnd.hint"))
        }
        return dataOffset
    }
}
