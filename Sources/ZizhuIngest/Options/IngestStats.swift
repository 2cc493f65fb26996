/// What reading one input found: its encoding and separator, and how much it held.
public struct IngestStats: Sendable, Codable, Hashable {
    /// The encoding detected (or forced); a pure-ASCII file reports UTF-8.
    public var encoding: TextEncoding
    /// `","` or `"\t"`.
    public var delimiter: String
    /// Bytes of the (decompressed) source, byte-order mark included.
    public var sourceBytes: Int64
    /// Physical lines, blank ones included (a final line without a line break counts).
    public var physicalLines: Int
    /// Records handed on: title lines and the header included, blank lines not.
    public var records: Int

    /// Statistics as found by a `RecordReader`.
    public init(encoding: TextEncoding, delimiter: String, sourceBytes: Int64, physicalLines: Int, records: Int) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.sourceBytes = sourceBytes
        self.physicalLines = physicalLines
        self.records = records
    }
}
