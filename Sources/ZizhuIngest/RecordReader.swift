import ZizhuCore
import ZizhuIO

/// Reads one input as CSV records, streaming: bytes → UTF-8 text → libcsv → `RecordBatch`es.
///
/// Every record is handed on — title lines above the header and the header included — tagged
/// with the physical line where it starts and that line's byte offset in the (decompressed)
/// source. Blank lines (and lines of only spaces) give no record but count as lines. Quoted
/// fields may hold line breaks; the lines after them are still counted right.
///
/// Encoding (unless forced in `CSVOptions`): a byte-order mark decides (UTF-8 BOM stripped,
/// UTF-16LE/BE converted). Without one, ASCII passes through undecided; at the first byte
/// ≥ 0x80 the decision is made from the bytes there — that byte and up to 1 MiB after it —
/// not from a fixed sample at the start of the file: valid UTF-8 → UTF-8, else valid GB18030 →
/// GB18030 (converted to UTF-8), else `.invalidEncoding` at that source offset. After the
/// decision, a byte that does not fit is `.invalidEncoding` naming its source offset and line.
///
/// Separator (unless forced): comma or tab, detected from the first lines (see
/// `DelimiterDetector`). Errors: `.limitExceeded` for a field or record over the limits,
/// `.csvSyntax` for a quote never closed (naming the line where it opened); every error
/// carries file, archive entry, line and byte offset.
///
/// A workbook input (`ByteInput.format` .xlsx or .xls) is read by `WorkbookReader` instead:
/// its sheet's rows become the same records, the row number as the line.
public final class RecordReader {
    private let input: ByteInput
    private let sourceIndex: Int
    private let options: CSVOptions

    /// A reader of `input`, whose batches carry `sourceIndex` (the input's index in the run).
    public init(input: ByteInput, sourceIndex: Int, options: CSVOptions = CSVOptions()) {
        self.input = input
        self.sourceIndex = sourceIndex
        self.options = options
    }

    /// Streams every record as `RecordBatch` values, in order, and returns what was found.
    ///
    /// Batches are handed on when they pass `batchBytes` or `batchRecords`, always at a record
    /// boundary; the last one may be small. `emit` runs on the calling thread.
    public func read(_ emit: (RecordBatch) throws -> Void) throws -> IngestStats {
        if input.format != .text {
            return try withoutActuallyEscaping(emit) { emit in
                try WorkbookReader.read(input, sourceIndex: sourceIndex, options: options, emit)
            }
        }
        let decoder = TextDecoder(forced: options.encoding)
        let parser = RecordParser(position: input.position, sourceIndex: sourceIndex, options: options,
                                  offsets: decoder.offsets)
        do {
            try input.pump(chunkSize: options.chunkSize) { chunk in
                try decoder.push(chunk) { text in try parser.feed(text, emit) }
            }
            try decoder.finish { text in try parser.feed(text, emit) }
        } catch let failure as DecodeFailure {
            // Parse what came before the bad byte so the line count reaches it.
            try parser.settleDelimiter(atEnd: false, emit)
            throw ZizhuError(.invalidEncoding, failure.message,
                             at: InputPosition(file: input.position.file, entry: input.position.entry,
                                               line: parser.line + failure.breaksBefore, byteOffset: failure.sourceOffset),
                             hint: failure.hint)
        }
        try parser.finish(emit)
        return IngestStats(encoding: decoder.encoding,
                           delimiter: parser.delimiter == DelimiterDetector.tab ? "\t" : ",",
                           sourceBytes: decoder.sourceBytes,
                           physicalLines: parser.physicalLines,
                           records: parser.records)
    }
}
