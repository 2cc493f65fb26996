/// How to read one CSV input; the defaults detect everything.
public struct CSVOptions: Sendable {
    /// Field separator: `,` or tab; `nil` detects one of them from the first lines.
    public var delimiter: UInt8? = nil
    /// `nil` detects the encoding (see `RecordReader`).
    public var encoding: TextEncoding? = nil
    /// Longest field, in bytes of UTF-8 (quotes removed).
    public var maxFieldBytes = 1 << 20
    /// Longest record, in bytes of decoded text from its first line's start to its end
    /// (quotes, separators and quoted line breaks included).
    public var maxRecordBytes = 2 << 20
    /// A batch is handed on once it holds this many field bytes …
    public var batchBytes = 1 << 20
    /// … or this many records.
    public var batchRecords = 8192
    /// How many bytes to pull from the input at a time. Tests use tiny sizes to prove that
    /// chunk boundaries never change the result.
    public var chunkSize = 1 << 20
    /// A complete line holding no quote character, starting a record, is split by our own byte
    /// loop with libcsv's rules (fields trimmed of spaces and tabs, a line of only blanks gives
    /// no record); libcsv parses every other line. `false` sends every line through libcsv —
    /// tests compare the two.
    public var splitsQuoteFreeLines = true
    /// Which columns may hold a line break, decided by the schema: given a record's cells, the
    /// flags per column when that record is the header, else nil (asked of the first records
    /// only). Once the header is known, a quoted field that runs over a line break in a column
    /// that may not hold one is not let swallow the lines after it: its line becomes a record
    /// marked `hasUnclosedQuote` and the next line is read as a record of its own.
    /// nil: every column may (plain CSV).
    public var lineBreakColumns: (@Sendable ([String]) -> [Bool]?)? = nil

    /// The sheet of a workbook to read, by name or 1-based index; nil reads the first visible
    /// sheet that holds data. Ignored for CSV.
    public var sheet: String? = nil

    /// Everything detected, default limits.
    public init() {}
}
