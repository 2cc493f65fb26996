import ZizhuCore

/// A limit broken inside a libcsv callback (callbacks cannot throw: the driver checks after
/// each `csv_parse` call).
enum ParseViolation {
    case field(line: Int, offset: Int64, bytes: Int)
    case record(line: Int, offset: Int64, bytes: Int64)
}

/// Everything the libcsv callbacks touch, kept in one struct behind a raw pointer: no class,
/// no reference counting and no exclusivity check per field, only an append into the batch.
struct ParseContext {
    var batch: RecordBatch
    /// Physical line being fed to libcsv.
    var line = 1
    /// Source offset of that line's first byte.
    var lineSource: Int64 = 0
    var recordStartLine = 1
    var recordStartSource: Int64 = 0
    /// Decoded offset of the record's first line start (for the record size limit).
    var recordStartDecoded: Int64 = 0
    var fieldStartLine = 1
    var fieldStartSource: Int64 = 0
    /// Decoded offset where the text fed in the current call ends, line break excluded: a
    /// record can only end at that break.
    var segmentContentEnd: Int64 = 0
    var records = 0
    let maxFieldBytes: Int
    let maxRecordBytes: Int64
    var violation: ParseViolation?

    init(batch: RecordBatch, maxFieldBytes: Int, maxRecordBytes: Int) {
        self.batch = batch
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = Int64(maxRecordBytes)
    }

    @inline(__always)
    mutating func addField(_ field: UnsafeRawBufferPointer) {
        batch.appendField(field)
        if field.count > maxFieldBytes && violation == nil {
            violation = .field(line: fieldStartLine, offset: fieldStartSource, bytes: field.count)
        }
        // The next field starts after this separator, on the line being fed.
        fieldStartLine = line
        fieldStartSource = lineSource
    }

    @inline(__always)
    mutating func endRecord() {
        batch.endRecord(line: UInt32(clamping: recordStartLine), offset: recordStartSource)
        records &+= 1
        let size = segmentContentEnd - recordStartDecoded
        if size > maxRecordBytes && violation == nil {
            violation = .record(line: recordStartLine, offset: recordStartSource, bytes: size)
        }
    }
}
