import ZizhuCore

/// One entry of a zip archive, as its central directory describes it.
public struct ZipEntryInfo: Sendable, Hashable {
    /// The path inside the archive, decoded (UTF-8, else GB18030).
    public let name: String
    /// True for a directory entry (`data/`); such an entry has no content to read.
    public let isDirectory: Bool
    /// True when the entry is password-protected (it cannot be read).
    public let isEncrypted: Bool
    /// 0 stored, 8 deflate; others cannot be read.
    public let method: UInt16
    /// Compressed size as the directory declares it.
    public let compressedSize: Int64
    /// Uncompressed size as the directory declares it (reading holds the entry to it).
    public let uncompressedSize: Int64
    /// CRC-32 as the directory declares it (reading checks it).
    public let crc32: UInt32
    /// Where the entry's data starts, or why it cannot be found (a damaged local header).
    let data: DataStart

    enum DataStart: Sendable, Hashable {
        case offset(Int64)
        case unusable(Message)
    }
}

/// A zip archive opened for reading, from a file or from bytes in memory, without trusting it.
///
/// Opening reads the central directory and every entry's local header, checking each count,
/// size and offset against the archive. It refuses the whole archive (`.archive`) when any entry
/// has an absolute or `..` path (whatever its other entries hold, such an archive is hostile),
/// when two entries share compressed data, and when the entries together declare more than
/// `limits.maxTotalBytes`. A problem of one entry only — encrypted, an unknown method, a size
/// past the limits, a damaged local header — is thrown when that entry is read, so a city archive
/// with one bad package still yields the others.
///
/// An archive of archives (a city archive of school packages) is opened with
/// `hostileEntries: .refuseEntry` instead: an entry with an unsafe name, or whose data overlaps
/// another's, is then listed but unreadable (reading it throws `.archive` with the reason), and
/// the other entries are read as usual — each inner archive stands or falls by itself.
///
/// Reading gives an entry's bytes as stored (a `.csv.gz` entry stays gzip), inflated under the
/// caps of `limits`: an entry producing more than its header declares is refused as it happens,
/// and its CRC-32 is checked. Every read of one archive spends from one budget of
/// `limits.maxTotalBytes`. This is the project's own reader: ZIPFoundation's extraction can hang
/// on a damaged archive, so it is never used for reading.
public struct ZipArchive: Sendable {
    /// What opening does with an entry whose name is unsafe or whose data overlaps another's.
    public enum HostileEntries: Sendable {
        /// Refuse the whole archive (`.archive`): the default, for an archive of data files.
        case refuseArchive
        /// List the entry as unreadable and open the rest: for an archive of archives.
        case refuseEntry
    }

    /// The path (or the name given for bytes in memory), used in error positions.
    public let name: String
    /// The entries in directory order, directories included.
    public let entries: [ZipEntryInfo]
    public let limits: ArchiveLimits
    private let memory: [UInt8]?
    private let budget: ArchiveBudget

    /// Opens the zip at `path`. A missing or unreadable file is `.ioFailure`; a damaged or hostile
    /// archive is `.archive`, `.truncated` or `.limitExceeded`.
    public init(path: String, limits: ArchiveLimits = .default, hostileEntries: HostileEntries = .refuseArchive) throws {
        let position = InputPosition(file: path)
        let file = try ReadableFile(path: path, position: position)
        try self.init(name: path, source: file, memory: nil, limits: limits, hostileEntries: hostileEntries)
    }

    /// Opens a zip held in memory (an entry of another archive); `name` appears in errors.
    public init(bytes: [UInt8], name: String, limits: ArchiveLimits = .default) throws {
        try self.init(name: name, source: MemoryZipSource(bytes: bytes), memory: bytes, limits: limits,
                      hostileEntries: .refuseArchive)
    }

    private init(name: String, source: some ZipByteSource, memory: [UInt8]?, limits: ArchiveLimits,
                 hostileEntries: HostileEntries) throws {
        let position = InputPosition(file: name)
        let size = try source.size(position: position)
        let directory = try ZipDirectory(file: source, fileSize: size, limits: limits, position: position)
        var refused: [Int: Message] = [:]
        for (index, entry) in directory.entries.enumerated() {
            if let reason = ZipDirectory.unsafeWords(entry.name) {
                guard hostileEntries == .refuseEntry else {
                    throw ZizhuError(.archive, Message("zip.unsafe", ["name": entry.name], parts: ["reason": reason]), at: position,
                                     hint: Message("zip.unsafe.hint"))
                }
                refused[index] = Message("zip.unusable.name", parts: ["reason": reason])
            }
        }
        var infos: [ZipEntryInfo] = []
        infos.reserveCapacity(directory.entries.count)
        var declaredTotal: Int64 = 0
        var spans: [(start: Int64, end: Int64, name: String, index: Int)] = []
        for (index, entry) in directory.entries.enumerated() {
            let start: ZipEntryInfo.DataStart
            if entry.isDirectory {
                start = .unusable(Message("zip.unusable.directory"))
            } else if let reason = refused[index] {
                start = .unusable(reason)
            } else {
                declaredTotal = declaredTotal.addingReportingOverflow(entry.uncompressedSize).partialValue
                do {
                    let offset = try Self.dataOffset(of: entry, in: source, fileSize: size,
                                                     directoryOffset: directory.centralDirectoryOffset)
                    spans.append((entry.localHeaderOffset, offset + entry.compressedSize, entry.name, index))
                    start = .offset(offset)
                } catch let reason as UnusableEntry {
                    start = .unusable(reason.message)
                }
            }
            infos.append(ZipEntryInfo(name: entry.name, isDirectory: entry.isDirectory, isEncrypted: entry.isEncrypted,
                                      method: entry.method, compressedSize: entry.compressedSize,
                                      uncompressedSize: entry.uncompressedSize, crc32: entry.crc32, data: start))
        }
        if declaredTotal < 0 || declaredTotal > limits.maxTotalBytes {
            throw ZizhuError(.limitExceeded, Message("zip.totalTooLarge", ["limit": "\(limits.maxTotalBytes)"]),
                             at: position, hint: Message("zip.totalTooLarge.hint"))
        }
        // Entries that share compressed data let a small archive expand without bound.
        spans.sort { $0.start < $1.start }
        var end: (offset: Int64, name: String)?
        for span in spans {
            if let previous = end, span.start < previous.offset {
                guard hostileEntries == .refuseEntry else {
                    throw ZizhuError(.archive, Message("zip.overlap", ["first": previous.name, "second": span.name]), at: position,
                                     hint: Message("zip.overlap.hint"))
                }
                let old = infos[span.index]
                infos[span.index] = ZipEntryInfo(name: old.name, isDirectory: old.isDirectory, isEncrypted: old.isEncrypted,
                                                 method: old.method, compressedSize: old.compressedSize,
                                                 uncompressedSize: old.uncompressedSize, crc32: old.crc32,
                                                 data: .unusable(Message("zip.unusable.overlap", ["name": previous.name])))
            }
            if end == nil || span.end > end?.offset ?? 0 { end = (span.end, span.name) }
        }
        self.name = name
        self.entries = infos
        self.limits = limits
        self.memory = memory
        self.budget = ArchiveBudget(limit: limits.maxTotalBytes)
    }

    /// The first file entry named exactly `name`, if any.
    public func entry(named name: String) -> ZipEntryInfo? {
        entries.first { $0.name == name && !$0.isDirectory }
    }

    /// The entry's bytes as stored in the archive (not gunzipped).
    public func read(_ entry: ZipEntryInfo) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 26)))
        try pump(entry) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Pushes the entry's bytes as stored (not gunzipped), in chunks of at most `chunkSize`.
    /// The buffer handed to `sink` is reused: copy what must outlive the call.
    public func pump(_ entry: ZipEntryInfo, chunkSize: Int = 1 << 16,
                     _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let location = try self.location(of: entry)
        let state = PumpState(position: InputPosition(file: name, entry: entry.name), limits: limits, budget: budget)
        try ZipEntryReader(location: location, state: state, unwrapsGzip: false).pump(chunkSize: max(1, chunkSize), sink)
    }

    /// The entry as a `ByteInput` (gunzipped when it is gzip, like any input), to stream into a
    /// CSV reader. Errors about the entry itself are thrown here; errors in its data when pumped.
    public func input(for entry: ZipEntryInfo) throws -> ByteInput {
        let location = try self.location(of: entry)
        return ByteInput(position: InputPosition(file: name, entry: entry.name), source: .zipEntry(location),
                         limits: limits, budget: budget)
    }

    /// Why a name may not be extracted anywhere (absolute, a drive letter, a `..` step, NUL), or nil.
    public static func unsafeReason(_ name: String) -> String? {
        ZipDirectory.unsafeReason(name)
    }

    /// `unsafeReason` as catalogue words.
    public static func unsafeWords(_ name: String) -> Message? {
        ZipDirectory.unsafeWords(name)
    }

    private func location(of entry: ZipEntryInfo) throws -> ZipEntryLocation {
        let position = InputPosition(file: name, entry: entry.name)
        if entry.isEncrypted {
            throw ZizhuError(.archive, Message("error.zip.encrypted"), at: position, hint: Message("error.zip.encrypted.hint"))
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw ZizhuError(.archive, Message("error.zip.method", ["method": "\(entry.method)"]),
                             at: position, hint: Message("error.zip.method.hint"))
        }
        if entry.uncompressedSize > limits.maxEntryBytes {
            throw ZizhuError(.limitExceeded,
                             Message("zip.entryTooLarge", ["size": "\(entry.uncompressedSize)", "limit": "\(limits.maxEntryBytes)"]),
                             at: position, hint: Message("zip.entryTooLarge.hint"))
        }
        let (bound, overflow) = limits.maxRatio.multipliedReportingOverflow(by: max(entry.compressedSize, 1))
        if entry.uncompressedSize > ArchiveLimits.ratioGraceBytes && !overflow && entry.uncompressedSize > bound {
            throw ZizhuError(.limitExceeded,
                             Message("zip.ratio", ["compressed": "\(entry.compressedSize)", "size": "\(entry.uncompressedSize)",
                                                   "ratio": "\(limits.maxRatio)"]),
                             at: position, hint: Message("zip.ratio.hint"))
        }
        switch entry.data {
        case .unusable(let reason):
            throw ZizhuError(.archive, Message("zip.unusable", parts: ["reason": reason]), at: position,
                             hint: entry.isDirectory ? nil : Message("zip.unusable.hint"))
        case .offset(let offset):
            return ZipEntryLocation(archivePath: name, name: entry.name, method: entry.method, crc32: entry.crc32,
                                    compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize,
                                    dataOffset: offset, memory: memory)
        }
    }

    private struct UnusableEntry: Error {
        var message: Message
    }

    /// Where an entry's data begins, after its local header; the data must end before the
    /// central directory.
    private static func dataOffset(of entry: ZipDirectoryEntry, in source: some ZipByteSource, fileSize: Int64,
                                   directoryOffset: Int64) throws -> Int64 {
        var header = [UInt8](repeating: 0, count: 30)
        let position = InputPosition(file: "")
        let got: Int
        do {
            got = try header.withUnsafeMutableBytes { try source.read(into: $0, at: entry.localHeaderOffset, position: position) }
        } catch let error as ZizhuError {
            throw UnusableEntry(message: error.messageWords)
        }
        guard got == 30, header.le32(0) == ZipDirectory.localSignature else {
            throw UnusableEntry(message: Message("zip.unusable.localHeader"))
        }
        let dataOffset = entry.localHeaderOffset + 30 + Int64(header.le16(26)) + Int64(header.le16(28))
        let (end, overflow) = dataOffset.addingReportingOverflow(entry.compressedSize)
        guard !overflow, end <= directoryOffset, end <= fileSize else {
            throw UnusableEntry(message: Message("zip.unusable.pastEnd"))
        }
        return dataOffset
    }
}
