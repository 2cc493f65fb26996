/// A batch of CSV records: every field's bytes packed into one buffer, with offsets.
///
/// Records cross channels in batches of thousands so that per-element hand-over costs vanish; no
/// field becomes a `String` until a person needs to read it. Field `f` of the batch occupies
/// `bytes[fieldOffsets[f] ..< fieldOffsets[f + 1]]`; record `r` owns fields
/// `recordFields[r] ..< recordFields[r + 1]`. Bytes are UTF-8 (the ingest stage has already
/// decoded GB18030/UTF-16) with CSV quoting removed.
public struct RecordBatch: Sendable {
    /// Which input this batch comes from (index into the run's list of inputs).
    public var sourceIndex: Int
    /// Sequence number of this batch within its source, from 0.
    public var sequence: Int
    public private(set) var bytes: [UInt8]
    public private(set) var fieldOffsets: [UInt32]
    public private(set) var recordFields: [UInt32]
    /// Physical line (1-based) on which each record starts.
    public private(set) var recordLines: [UInt32]
    /// Byte offset of each record's start in the decoded stream.
    public private(set) var recordOffsets: [Int64]
    /// Records (ascending) cut at the end of their line because a quote opened in a column that
    /// may not hold a line break was not closed on it (`CSVOptions.lineBreakColumns`): the last
    /// field holds the text after that quote. Such a record is rejected, never read as data.
    public private(set) var unclosedQuoteRecords: [UInt32] = []

    public init(sourceIndex: Int = 0, sequence: Int = 0, reservingBytes: Int = 0, records: Int = 0, fields: Int = 0) {
        self.sourceIndex = sourceIndex
        self.sequence = sequence
        bytes = []
        bytes.reserveCapacity(reservingBytes)
        fieldOffsets = [0]
        fieldOffsets.reserveCapacity(fields + 1)
        recordFields = [0]
        recordFields.reserveCapacity(records + 1)
        recordLines = []
        recordLines.reserveCapacity(records)
        recordOffsets = []
        recordOffsets.reserveCapacity(records)
    }

    /// A batch from arrays built elsewhere (the CSV reader fills raw buffers and hands them over once per flush).
    /// `fieldOffsets` starts with 0 and has one entry per field after it; `recordFields` starts with 0 and has one
    /// entry per record after it; `recordLines` and `recordOffsets` have one entry per record.
    ///
    /// The arrays are taken as they are (no copy). Only the O(1) shape checks run here — a wrong
    /// shape is a bug in the builder, never something input can cause — so offsets must already
    /// be non-decreasing, the last field offset must equal `bytes.count` and the last record must
    /// not name more fields than there are, as `appendField`/`endRecord` would leave them.
    public init(sourceIndex: Int, sequence: Int, bytes: [UInt8], fieldOffsets: [UInt32],
                recordFields: [UInt32], recordLines: [UInt32], recordOffsets: [Int64], unclosedQuoteRecords: [UInt32] = []) {
        precondition(fieldOffsets.first == 0 && fieldOffsets[fieldOffsets.count - 1] == UInt32(truncatingIfNeeded: bytes.count),
                     "fieldOffsets must start with 0 and end at bytes.count")
        precondition(recordFields.first == 0 && Int(recordFields[recordFields.count - 1]) <= fieldOffsets.count - 1,
                     "recordFields must start with 0 and stay within the fields")
        precondition(recordLines.count == recordFields.count - 1 && recordOffsets.count == recordLines.count,
                     "one line and one offset per record")
        self.sourceIndex = sourceIndex
        self.sequence = sequence
        self.bytes = bytes
        self.fieldOffsets = fieldOffsets
        self.recordFields = recordFields
        self.recordLines = recordLines
        self.recordOffsets = recordOffsets
        self.unclosedQuoteRecords = unclosedQuoteRecords
    }

    /// Whether record `record` was cut at a quote not closed on its line (see `unclosedQuoteRecords`).
    @inlinable public func hasUnclosedQuote(_ record: Int) -> Bool {
        guard !unclosedQuoteRecords.isEmpty else { return false }
        var low = 0, high = unclosedQuoteRecords.count
        while low < high {
            let mid = (low + high) / 2
            if Int(unclosedQuoteRecords[mid]) < record { low = mid + 1 } else { high = mid }
        }
        return low < unclosedQuoteRecords.count && Int(unclosedQuoteRecords[low]) == record
    }

    /// Marks the last record as cut at an unclosed quote.
    public mutating func markLastRecordUnclosedQuote() {
        guard !recordLines.isEmpty else { return }
        unclosedQuoteRecords.append(UInt32(truncatingIfNeeded: recordLines.count - 1))
    }

    /// Number of complete records.
    @inlinable public var count: Int { recordLines.count }
    @inlinable public var isEmpty: Bool { recordLines.isEmpty }
    /// Bytes held (a batch is flushed when this passes the batch size).
    @inlinable public var byteCount: Int { bytes.count }

    // MARK: building (ingest side)

    /// Appends one field's bytes to the record being built.
    public mutating func appendField(_ field: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: field)
        fieldOffsets.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Appends one field given as an array (tests, generators).
    public mutating func appendField(_ field: [UInt8]) {
        field.withUnsafeBytes { appendField($0) }
    }

    /// Closes the record being built: its fields are those appended since the last call.
    public mutating func endRecord(line: UInt32, offset: Int64) {
        recordFields.append(UInt32(truncatingIfNeeded: fieldOffsets.count - 1))
        recordLines.append(line)
        recordOffsets.append(offset)
    }

    /// Appends a whole record of strings (tests and small generators only).
    public mutating func appendRecord(_ fields: [String], line: UInt32, offset: Int64 = 0) {
        for field in fields { appendField(Array(field.utf8)) }
        endRecord(line: line, offset: offset)
    }

    // MARK: reading (stage side)

    /// Number of fields in record `record`.
    @inlinable public func fieldCount(_ record: Int) -> Int {
        Int(recordFields[record + 1] - recordFields[record])
    }

    /// Byte range of field `column` of record `record`, or an empty range past the record's end
    /// (a short row reads as empty cells).
    @inlinable public func range(_ record: Int, _ column: Int) -> Range<Int> {
        let first = Int(recordFields[record])
        let index = first + column
        guard column >= 0, index < Int(recordFields[record + 1]) else { return 0..<0 }
        return Int(fieldOffsets[index])..<Int(fieldOffsets[index + 1])
    }

    /// Calls `body` with the bytes of one field (empty past the record's end).
    @inlinable public func withField<R>(_ record: Int, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = range(record, column)
        return try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[r]))
        }
    }

    /// The field as a `String` — for messages and outputs, not the hot path.
    public func string(_ record: Int, _ column: Int) -> String {
        String(decoding: bytes[range(record, column)], as: UTF8.self)
    }

    /// All fields of a record as strings (headers, title lines, rejects).
    public func strings(_ record: Int) -> [String] {
        (0..<fieldCount(record)).map { string(record, $0) }
    }

    /// Physical line where record `record` starts.
    @inlinable public func line(_ record: Int) -> Int { Int(recordLines[record]) }

    /// Drops the contents but keeps the capacity, for reuse by the producer.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
        fieldOffsets.removeAll(keepingCapacity: keepingCapacity)
        fieldOffsets.append(0)
        recordFields.removeAll(keepingCapacity: keepingCapacity)
        recordFields.append(0)
        recordLines.removeAll(keepingCapacity: keepingCapacity)
        recordOffsets.removeAll(keepingCapacity: keepingCapacity)
        unclosedQuoteRecords.removeAll(keepingCapacity: keepingCapacity)
    }
}
