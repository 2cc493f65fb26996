import ZizhuCore

/// A limit broken inside a libcsv callback (callbacks cannot throw: the driver checks after
/// each `csv_parse` call).
enum ParseViolation {
    case field(line: Int, offset: Int64, bytes: Int)
    case record(line: Int, offset: Int64, bytes: Int64)
}

/// A growable buffer of trivial values in raw memory: an append is a capacity check and a store,
/// with none of `Array`'s uniqueness checks (the owner frees it with `free()`; it is a struct so
/// the libcsv callback reaches it without reference counting).
struct RawBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow(to: count + 1) }
        (base + count).initialize(to: value)
        count &+= 1
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        fresh.moveInitialize(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }

    /// The contents as an array (one copy), for handing a batch on.
    func array() -> [Element] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// Forgets the contents, keeps the memory.
    mutating func removeAll(keeping prefix: Int = 0) { count = prefix }

    func free() { base.deallocate() }
}

extension RawBuffer where Element == UInt8 {
    /// Appends a field's bytes: one memcpy.
    @inline(__always)
    mutating func append(bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n > 0, let source = bytes.baseAddress else { return }
        if count + n > capacity { grow(to: count + n) }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: n)
        count &+= n
    }
}

/// Everything the libcsv callbacks touch, kept in one struct behind a raw pointer: no class,
/// no reference counting and no exclusivity check per field. The batch being built lives in
/// raw buffers (a field is a memcpy and one offset store) and becomes a `RecordBatch` once per
/// flush; `RecordParser` frees the buffers in its deinit.
struct ParseContext {
    /// Field bytes of the batch being built.
    var bytes: RawBuffer<UInt8>
    /// `RecordBatch.fieldOffsets`: a leading 0, then each field's end.
    var fieldOffsets: RawBuffer<UInt32>
    /// `RecordBatch.recordFields`: a leading 0, then each record's end field.
    var recordFields: RawBuffer<UInt32>
    var recordLines: RawBuffer<UInt32>
    var recordOffsets: RawBuffer<Int64>
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
    /// Records of the batch being built that were cut at an unclosed quote (rare: a plain array).
    var unclosedQuotes: [UInt32] = []
    let maxFieldBytes: Int
    let maxRecordBytes: Int64
    var violation: ParseViolation?

    init(reservingBytes: Int, records: Int, fields: Int, maxFieldBytes: Int, maxRecordBytes: Int) {
        bytes = RawBuffer(capacity: reservingBytes)
        fieldOffsets = RawBuffer(capacity: fields + 1)
        fieldOffsets.append(0)
        recordFields = RawBuffer(capacity: records + 1)
        recordFields.append(0)
        recordLines = RawBuffer(capacity: records)
        recordOffsets = RawBuffer(capacity: records)
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = Int64(maxRecordBytes)
    }

    /// Complete records in the batch being built.
    var batchRecords: Int { recordLines.count }

    /// Fields completed so far in the record being built.
    var fieldsInRecord: Int { fieldOffsets.count - 1 - Int(recordFields.base[recordFields.count - 1]) }

    /// The cells of record `record` of the batch being built.
    func cells(_ record: Int) -> [String] {
        let first = Int(recordFields.base[record]), end = Int(recordFields.base[record + 1])
        return (first..<end).map { f in
            let start = Int(fieldOffsets.base[f]), stop = Int(fieldOffsets.base[f + 1])
            return String(decoding: UnsafeBufferPointer(start: bytes.base + start, count: stop - start), as: UTF8.self)
        }
    }

    @inline(__always)
    mutating func addField(_ field: UnsafeRawBufferPointer) {
        bytes.append(bytes: field)
        fieldOffsets.append(UInt32(truncatingIfNeeded: bytes.count))
        if field.count > maxFieldBytes && violation == nil {
            violation = .field(line: fieldStartLine, offset: fieldStartSource, bytes: field.count)
        }
        // The next field starts after this separator, on the line being fed.
        fieldStartLine = line
        fieldStartSource = lineSource
    }

    @inline(__always)
    mutating func endRecord() {
        recordFields.append(UInt32(truncatingIfNeeded: fieldOffsets.count - 1))
        recordLines.append(UInt32(clamping: recordStartLine))
        recordOffsets.append(recordStartSource)
        records &+= 1
        let size = segmentContentEnd - recordStartDecoded
        if size > maxRecordBytes && violation == nil {
            violation = .record(line: recordStartLine, offset: recordStartSource, bytes: size)
        }
    }

    /// Hands the batch built so far over as a `RecordBatch` and starts an empty one in the same
    /// memory.
    mutating func takeBatch(sourceIndex: Int, sequence: Int) -> RecordBatch {
        let batch = RecordBatch(sourceIndex: sourceIndex, sequence: sequence, bytes: bytes.array(),
                                fieldOffsets: fieldOffsets.array(), recordFields: recordFields.array(),
                                recordLines: recordLines.array(), recordOffsets: recordOffsets.array(),
                                unclosedQuoteRecords: unclosedQuotes)
        unclosedQuotes.removeAll()
        bytes.removeAll()
        fieldOffsets.removeAll(keeping: 1)
        recordFields.removeAll(keeping: 1)
        recordLines.removeAll()
        recordOffsets.removeAll()
        return batch
    }

    /// Frees the raw buffers; the context is unusable after.
    func free() {
        bytes.free()
        fieldOffsets.free()
        recordFields.free()
        recordLines.free()
        recordOffsets.free()
    }
}
