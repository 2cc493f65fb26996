import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits decoded text into physical lines and feeds them to libcsv one at a time, so every
/// record knows the line it starts on.
///
/// libcsv does not count lines. Feeding it line by line and looking at its state before each
/// line tells whether a new record starts there (state "row not begun") or the line continues a
/// quoted field. CRLF, LF and a lone CR each end a line; a CRLF cut between two chunks is still
/// one break. Limits are checked after every call with bounds that never depend on where a chunk
/// ended, so the same file gives the same records and errors at any chunk size.
final class RecordParser {
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22
    private static let detectionBytes = 256 << 10
    private static let detectionLines = 64

    private let context: UnsafeMutablePointer<ParseContext>
    private let csv: LibCSVParser
    private let offsets: SourceOffsetMap
    private let options: CSVOptions
    private let position: InputPosition
    private let sourceIndex: Int
    private var sequence = 0

    /// Line of the next byte (1-based).
    private(set) var line = 1
    private var atLineStart = true
    private var pendingCR = false
    private var decodedOffset: Int64 = 0
    private var lineStartDecoded: Int64 = 0
    private var lineStartSource: Int64 = 0

    private(set) var delimiter: UInt8?
    /// Per column, whether it may hold a line break; set once the header is seen.
    private var lineBreakColumns: [Bool]?
    /// Still asking `options.lineBreakColumns` about each record (until the header or the limit).
    private var seekingHeader: Bool
    /// Records of the batch being built already shown to `options.lineBreakColumns`.
    private var inspected = 0
    private var recordsAsked = 0
    private static let headerSearchRecords = 256
    private var detectionBuffer: [UInt8] = []
    private var detectionBreaks = 0

    init(position: InputPosition, sourceIndex: Int, options: CSVOptions, offsets: SourceOffsetMap) {
        self.position = position
        self.sourceIndex = sourceIndex
        self.options = options
        self.offsets = offsets
        delimiter = options.delimiter
        seekingHeader = options.lineBreakColumns != nil
        context = UnsafeMutablePointer<ParseContext>.allocate(capacity: 1)
        let records = max(16, min(options.batchRecords, 1 << 16))
        context.initialize(to: ParseContext(reservingBytes: max(4096, min(options.batchBytes, 64 << 20)) + 4096,
                                            records: records + 1, fields: records * 24,
                                            maxFieldBytes: options.maxFieldBytes, maxRecordBytes: options.maxRecordBytes))
        csv = LibCSVParser(delimiter: options.delimiter ?? DelimiterDetector.comma, context: context)
    }

    deinit {
        context.pointee.free()
        context.deinitialize(count: 1)
        context.deallocate()
    }

    var records: Int { context.pointee.records }

    /// Physical lines seen so far (a last line without a break counts).
    var physicalLines: Int { atLineStart ? line - 1 : line }

    // MARK: input

    func feed(_ text: UnsafeRawBufferPointer, _ emit: (RecordBatch) throws -> Void) throws {
        guard text.count > 0 else { return }
        guard delimiter != nil else {
            detectionBuffer.append(contentsOf: text)
            for byte in text where byte == Self.lf || byte == Self.cr { detectionBreaks += 1 }
            if detectionBuffer.count >= Self.detectionBytes || detectionBreaks >= Self.detectionLines {
                try settleDelimiter(atEnd: false, emit)
            }
            return
        }
        try feedLines(text, emit)
    }

    /// Decides the separator from what was buffered and parses it.
    func settleDelimiter(atEnd: Bool, _ emit: (RecordBatch) throws -> Void) throws {
        guard delimiter == nil else { return }
        let chosen = DelimiterDetector.detect(detectionBuffer, atEnd: atEnd)
        delimiter = chosen
        csv.setDelimiter(chosen)
        let buffered = detectionBuffer
        detectionBuffer = []
        try buffered.withUnsafeBytes { try feedLines($0, emit) }
    }

    /// Ends the input: closes a last record without a line break, hands on the last batch.
    func finish(_ emit: (RecordBatch) throws -> Void) throws {
        try settleDelimiter(atEnd: true, emit)
        if seekingHeader { try seekHeader(emit) }
        // A stray quote on a last line without a break: that line alone, as on any other line.
        if lineBreakColumns != nil, csv.isInQuotedField { try cutAtUnclosedQuote(contentEnd: decodedOffset, emit) }
        if csv.isInQuotedField {
            throw ZizhuError(.csvSyntax,
                             Message("error.csv.unclosedQuote", ["line": "\(context.pointee.fieldStartLine)"]),
                             at: at(line: context.pointee.fieldStartLine, offset: context.pointee.fieldStartSource),
                             hint: Message("error.csv.unclosedQuote.hint"))
        }
        context.pointee.segmentContentEnd = decodedOffset
        context.pointee.line = line
        csv.finish()
        try checkViolation()
        if context.pointee.batchRecords > 0 { try flush(emit) }
    }

    // MARK: lines

    private func feedLines(_ text: UnsafeRawBufferPointer, _ emit: (RecordBatch) throws -> Void) throws {
        guard let raw = text.baseAddress else { return }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = text.count
        var i = 0
        if pendingCR {
            // The LF of a CRLF cut between chunks belongs to the break before it.
            pendingCR = false
            if p[0] == Self.lf {
                lineStartSource = offsets.afterBreak(atDecoded: decodedOffset)
                lineStartDecoded = decodedOffset + 1
                try parse(raw, from: 0, to: 1, contentEnd: decodedOffset, emit)
                i = 1
            }
        }
        var nextLF = -1
        var nextCR = -1
        var nextQuote = -1
        while i < n {
            if atLineStart {
                atLineStart = false
                beginLine()
            }
            if nextLF < i { nextLF = Self.find(Self.lf, p, from: i, count: n) }
            if nextCR < i { nextCR = Self.find(Self.cr, p, from: i, count: n) }
            let brk = min(nextLF, nextCR)
            if brk >= n {
                try parse(raw, from: i, to: n, contentEnd: decodedOffset + Int64(n), emit)
                break
            }
            var end = brk + 1
            var nextSource = offsets.afterBreak(atDecoded: decodedOffset + Int64(brk))
            if p[brk] == Self.cr {
                if brk + 1 < n {
                    if p[brk + 1] == Self.lf {
                        end = brk + 2
                        nextSource = offsets.afterBreak(atDecoded: decodedOffset + Int64(brk + 1))
                    }
                } else {
                    pendingCR = true
                }
            }
            if options.splitsQuoteFreeLines, csv.state == LibCSVState.rowNotBegun {
                if nextQuote < i { nextQuote = Self.find(Self.quote, p, from: i, count: n) }
                if nextQuote >= brk {
                    try split(p, from: i, to: brk, contentEnd: decodedOffset + Int64(brk), emit)
                } else {
                    try parse(raw, from: i, to: end, contentEnd: decodedOffset + Int64(brk), emit)
                }
            } else {
                try parse(raw, from: i, to: end, contentEnd: decodedOffset + Int64(brk), emit)
            }
            if seekingHeader { try seekHeader(emit) }
            if lineBreakColumns != nil, csv.isInQuotedField { try cutAtUnclosedQuote(contentEnd: decodedOffset + Int64(brk), emit) }
            line += 1
            atLineStart = true
            lineStartDecoded = decodedOffset + Int64(end)
            lineStartSource = nextSource
            i = end
        }
        decodedOffset += Int64(n)
    }

    @inline(__always)
    private func beginLine() {
        if line == 1 { lineStartSource = offsets.textStart }
        context.pointee.line = line
        context.pointee.lineSource = lineStartSource
        if csv.state == LibCSVState.rowNotBegun {
            context.pointee.recordStartLine = line
            context.pointee.recordStartSource = lineStartSource
            context.pointee.recordStartDecoded = lineStartDecoded
            context.pointee.fieldStartLine = line
            context.pointee.fieldStartSource = lineStartSource
        }
    }

    @inline(__always)
    private func parse(_ raw: UnsafeRawPointer, from start: Int, to end: Int, contentEnd: Int64,
                       _ emit: (RecordBatch) throws -> Void) throws {
        context.pointee.segmentContentEnd = contentEnd
        guard csv.parse(raw + start, count: end - start) else {
            throw ZizhuError(.limitExceeded, Message("csv.outOfMemory", ["reason": "\(csv.errorMessage)"]),
                             at: at(line: line, offset: lineStartSource), hint: Message("csv.outOfMemory.hint"))
        }
        if context.pointee.violation != nil { try checkViolation() }
        if csv.state != LibCSVState.rowNotBegun {
            let recordBytes = decodedOffset + Int64(end) - context.pointee.recordStartDecoded
            if recordBytes > context.pointee.maxRecordBytes {
                throw recordTooLong(line: context.pointee.recordStartLine, offset: context.pointee.recordStartSource, bytes: recordBytes,
                                    quoted: context.pointee.recordStartLine < line)
            }
            let fieldBytes = csv.fieldBytesSoFar
            if fieldBytes > options.maxFieldBytes {
                throw fieldTooLong(line: context.pointee.fieldStartLine, offset: context.pointee.fieldStartSource, bytes: fieldBytes,
                                   quoted: csv.isInQuotedField || context.pointee.fieldStartLine < line)
            }
        } else if context.pointee.batchRecords >= options.batchRecords || context.pointee.bytes.count >= options.batchBytes {
            try flush(emit)
        }
    }

    /// Splits one whole line without quotes, `p[start..<end]` (its break excluded), that starts
    /// a record: what libcsv would make of it, without its per-byte state machine. Unquoted
    /// fields lose the spaces and tabs around them (a tab separator stays a separator); a line
    /// of only blanks is no record. libcsv's own state is untouched (still "row not begun").
    @inline(__always)
    private func split(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, contentEnd: Int64,
                       _ emit: (RecordBatch) throws -> Void) throws {
        let separator = delimiter ?? DelimiterDetector.comma
        @inline(__always) func isBlank(_ byte: UInt8) -> Bool {
            (byte == 0x20 || byte == 0x09) && byte != separator
        }
        var first = start
        while first < end && isBlank(p[first]) { first += 1 }
        if first == end { return }
        // The separator in every byte of a word: a word XOR this has a zero byte where it stood.
        let pattern = UInt64(separator) &* 0x0101_0101_0101_0101
        var fieldStart = first
        while true {
            var fieldEnd = fieldStart
            var found = false
            // Eight bytes at a time: (x − 0x01…) & ~x & 0x80… marks zero bytes; the lowest mark is
            // exact (a false mark can only sit above a true one), and the lowest byte comes first
            // in memory on the little-endian machines we run on.
            while fieldEnd + 8 <= end {
                let word = UnsafeRawPointer(p + fieldEnd).loadUnaligned(as: UInt64.self).littleEndian ^ pattern
                let marks = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
                if marks != 0 {
                    fieldEnd += marks.trailingZeroBitCount >> 3
                    found = true
                    break
                }
                fieldEnd += 8
            }
            if !found { while fieldEnd < end && p[fieldEnd] != separator { fieldEnd += 1 } }
            var a = fieldStart
            while a < fieldEnd && isBlank(p[a]) { a += 1 }
            var b = fieldEnd
            while b > a && isBlank(p[b - 1]) { b -= 1 }
            context.pointee.addField(UnsafeRawBufferPointer(start: p + a, count: b - a))
            if fieldEnd == end { break }
            fieldStart = fieldEnd + 1
        }
        context.pointee.segmentContentEnd = contentEnd
        context.pointee.endRecord()
        if context.pointee.violation != nil { try checkViolation() }
        if context.pointee.batchRecords >= options.batchRecords || context.pointee.bytes.count >= options.batchBytes {
            try flush(emit)
        }
    }

    // MARK: line breaks the schema does not allow

    /// Shows the records completed since the last look to `options.lineBreakColumns` until one is
    /// the header (then its flags hold) or enough records have passed.
    private func seekHeader(_ emit: (RecordBatch) throws -> Void) throws {
        guard let ask = options.lineBreakColumns else { seekingHeader = false; return }
        while inspected < context.pointee.batchRecords {
            let cells = context.pointee.cells(inspected)
            inspected += 1
            recordsAsked += 1
            if let flags = ask(cells) {
                lineBreakColumns = flags
                seekingHeader = false
                return
            }
            if recordsAsked >= Self.headerSearchRecords { seekingHeader = false; return }
        }
    }

    /// A quoted field is open at the end of a line. If its column may not hold a line break, the
    /// quote is a stray one: the record ends here (marked, its last field the text after the
    /// quote) and the next line starts a record of its own, so no row is swallowed.
    private func cutAtUnclosedQuote(contentEnd: Int64, _ emit: (RecordBatch) throws -> Void) throws {
        guard let flags = lineBreakColumns, context.pointee.fieldStartLine == line else { return }
        let column = context.pointee.fieldsInRecord
        if column < flags.count, flags[column] { return }
        if column >= flags.count { return }
        var text = csv.partialField
        while let last = text.last, last == Self.lf || last == Self.cr { text.removeLast() }
        csv.reset()
        context.pointee.segmentContentEnd = contentEnd
        text.withUnsafeBytes { context.pointee.addField($0) }
        context.pointee.endRecord()
        context.pointee.unclosedQuotes.append(UInt32(truncatingIfNeeded: context.pointee.batchRecords - 1))
        if context.pointee.violation != nil { try checkViolation() }
        if context.pointee.batchRecords >= options.batchRecords || context.pointee.bytes.count >= options.batchBytes {
            try flush(emit)
        }
    }

    private func flush(_ emit: (RecordBatch) throws -> Void) throws {
        if seekingHeader { try seekHeader(emit) }
        inspected = 0
        let full = context.pointee.takeBatch(sourceIndex: sourceIndex, sequence: sequence)
        sequence += 1
        try emit(full)
    }

    // MARK: errors

    private func checkViolation() throws {
        switch context.pointee.violation {
        case .field(let start, let offset, let bytes)?:
            // A field that ran over a line break was quoted; one on its own line is simply long.
            throw fieldTooLong(line: start, offset: offset, bytes: bytes, quoted: start < line)
        case .record(let start, let offset, let bytes)?:
            throw recordTooLong(line: start, offset: offset, bytes: bytes, quoted: start < line)
        case nil:
            return
        }
    }

    private func at(line: Int, offset: Int64) -> InputPosition {
        InputPosition(file: position.file, entry: position.entry, line: line, byteOffset: offset)
    }

    /// A field over the size limit. Only a quoted field that ran over line breaks is blamed on a
    /// quote; a field on one line is simply longer than any cell of these files.
    private func fieldTooLong(line: Int, offset: Int64, bytes: Int, quoted: Bool) -> ZizhuError {
        if quoted {
            return ZizhuError(.limitExceeded, Message("error.csv.quotedFieldTooLong", ["line": "\(line)", "limit": "\(options.maxFieldBytes)", "bytes": "\(bytes)"]),
                              at: at(line: line, offset: offset),
                              hint: Message("error.csv.quotedFieldTooLong.hint"))
        }
        return ZizhuError(.limitExceeded, Message("error.csv.fieldTooLong", ["line": "\(line)", "limit": "\(options.maxFieldBytes)", "bytes": "\(bytes)"]),
                          at: at(line: line, offset: offset),
                          hint: Message("error.csv.fieldTooLong.hint", ["line": "\(line)"]))
    }

    private func recordTooLong(line: Int, offset: Int64, bytes: Int64, quoted: Bool) -> ZizhuError {
        if quoted {
            return ZizhuError(.limitExceeded, Message("error.csv.quotedRecordTooLong", ["line": "\(line)", "limit": "\(options.maxRecordBytes)", "bytes": "\(bytes)"]),
                              at: at(line: line, offset: offset),
                              hint: Message("error.csv.quotedRecordTooLong.hint"))
        }
        return ZizhuError(.limitExceeded, Message("error.csv.recordTooLong", ["line": "\(line)", "limit": "\(options.maxRecordBytes)", "bytes": "\(bytes)"]),
                          at: at(line: line, offset: offset),
                          hint: Message("error.csv.recordTooLong.hint", ["line": "\(line)"]))
    }

    @inline(__always)
    private static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        guard let hit = memchr(p + from, Int32(byte), count - from) else { return count }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
    }
}
