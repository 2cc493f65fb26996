internal import CLibCSV

// The only file that talks to libcsv.

/// libcsv's parser states (csv.h exposes the field; the names live in libcsv.c).
enum LibCSVState {
    static let rowNotBegun: Int32 = 0
    static let fieldNotBegun: Int32 = 1
    static let fieldBegun: Int32 = 2
    static let fieldMightHaveEnded: Int32 = 3
}

/// Field callback: one append into the batch, nothing else (called ~20 times per record).
private func fieldCallback(_ field: UnsafeMutableRawPointer?, _ length: Int, _ data: UnsafeMutableRawPointer?) {
    guard let data else { return }
    data.assumingMemoryBound(to: ParseContext.self).pointee.addField(UnsafeRawBufferPointer(start: field, count: length))
}

/// Record callback: closes the record in the batch.
private func recordCallback(_ terminator: Int32, _ data: UnsafeMutableRawPointer?) {
    guard let data else { return }
    data.assumingMemoryBound(to: ParseContext.self).pointee.endRecord()
}

/// A libcsv parser in non-strict mode with its default field trimming.
///
/// Non-strict: a stray quote inside an unquoted field (`5"3`) is kept as a character rather
/// than failing the whole file; an unterminated quoted field is caught by the driver at the
/// end. libcsv trims spaces and tabs around unquoted fields (quoted fields keep them) and skips
/// lines holding nothing but spaces and tabs.
final class LibCSVParser {
    private let parser: UnsafeMutablePointer<csv_parser>
    private let context: UnsafeMutableRawPointer

    init(delimiter: UInt8, context: UnsafeMutablePointer<ParseContext>) {
        parser = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
        parser.initialize(to: csv_parser())
        csv_init(parser, 0)
        csv_set_delim(parser, delimiter)
        // Grow the field buffer in 64 KiB steps, not libcsv's 128 bytes (a long field would
        // otherwise cost thousands of reallocations).
        csv_set_blk_size(parser, 1 << 16)
        self.context = UnsafeMutableRawPointer(context)
    }

    deinit {
        csv_free(parser)
        parser.deinitialize(count: 1)
        parser.deallocate()
    }

    func setDelimiter(_ delimiter: UInt8) {
        csv_set_delim(parser, delimiter)
    }

    /// The bytes of the field being read (a quoted field not yet closed).
    var partialField: [UInt8] {
        let p = parser.pointee
        guard let buffer = p.entry_buf, p.entry_pos > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: buffer, count: p.entry_pos))
    }

    /// Forgets the record being read: the next byte starts a new record.
    func reset() {
        let delimiter = parser.pointee.delim_char
        csv_free(parser)
        parser.pointee = csv_parser()
        csv_init(parser, 0)
        csv_set_delim(parser, delimiter)
        csv_set_blk_size(parser, 1 << 16)
    }

    @inline(__always)
    var state: Int32 { parser.pointee.pstate }

    /// True inside a quoted field that has not been closed.
    var isInQuotedField: Bool { parser.pointee.pstate == LibCSVState.fieldBegun && parser.pointee.quoted != 0 }

    /// A lower bound on the size of the field being read: trailing spaces of an unquoted field
    /// (trimmed if the field ends there) and a quote that may be the closing one are not counted.
    var fieldBytesSoFar: Int {
        let p = parser.pointee
        var size = p.entry_pos - p.spaces
        if p.pstate == LibCSVState.fieldMightHaveEnded { size -= 1 }
        return max(0, size)
    }

    /// Parses `count` bytes; false when libcsv ran out of memory.
    @inline(__always)
    func parse(_ bytes: UnsafeRawPointer, count: Int) -> Bool {
        csv_parse(parser, bytes, count, fieldCallback, recordCallback, context) == count
    }

    /// Ends the input: a last record without a line break is closed.
    func finish() {
        csv_fini(parser, fieldCallback, recordCallback, context)
    }

    var errorMessage: String {
        String(cString: csv_strerror(csv_error(parser)))
    }
}
