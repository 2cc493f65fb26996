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

    enum Source: Sendable {
        case file(path: String)
        case standardInput
        case memory([UInt8])
        case zipEntry(ZipEntryLocation)
    }

    init(position: InputPosition, source: Source, limits: ArchiveLimits, budget: ArchiveBudget? = nil,
         tap: (any RawBytesTap)? = nil) {
        self.position = position
        self.source = source
        self.limits = limits
        self.budget = budget
        self.tap = tap
    }

    /// Whether the stream is a file or standard input read from its first byte to its last (not
    /// a zip entry, not bytes in memory): only such a stream is seen by a tap.
    public var readsWholeFile: Bool {
        switch source {
        case .file, .standardInput: return true
        case .memory, .zipEntry: return false
        }
    }

    /// The same stream, with `tap` shown every raw byte (before gzip is inflated) as it is read.
    /// A pipe or standard input can be read only once, so whatever must see its bytes (the
    /// manifest's hash) sees them here.
    public func observed(by tap: any RawBytesTap) -> ByteInput {
        ByteInput(position: position, source: source, limits: limits, budget: budget, tap: tap)
    }

    /// Bytes held in memory, named `name` in positions (tests, generated data). Gzip magic is
    /// detected here too.
    public static func memory(_ bytes: [UInt8], name: String) -> ByteInput {
        ByteInput(position: InputPosition(file: name), source: .memory(bytes), limits: .default)
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
        case .standardInput:
            try pumpFile(ReadableFile(path: "-", position: position), chunkSize: size, state: state, sink)
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

    private func pumpFile(_ file: ReadableFile, chunkSize: Int, state: PumpState,
                          _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = AlignedBuffer(capacity: chunkSize)
        let stage = GzipSniffer(state: state, chunkSize: chunkSize, isOutermost: true, refusesZip: true)
        var total: Int64 = 0
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
