/// Builds CSV rows as bytes, one cell at a time, quoting a cell only when it needs it, and hands
/// full buffers to a sink at row boundaries (so a multi-byte character is never split).
///
/// Values are appended straight into `out` between `cell()` calls: no `String` per field. The
/// writer counts physical lines (a quoted cell with a newline spans two), so planted rows can be
/// cited as `file:line` exactly as the tool will cite them.
struct CSVWriter {
    var out: [UInt8] = []
    let delimiter: UInt8
    private let eol: [UInt8]
    private let sink: ByteSink
    private var cellStart = 0
    private var cellsInRow = 0
    private var newlinesInRow = 0
    /// Physical line (1-based) on which the next row starts.
    private(set) var line = 1
    /// Data rows written (rows the tool will count: not titles, header or total).
    var dataRows = 0
    /// When set, every row also goes to this workbook, cell by cell (the CSV's unquoted cells).
    var tap: WorkbookTee?

    private static let flushSize = 1 << 20

    init(sink: ByteSink, delimiter: UInt8, crlf: Bool) {
        self.sink = sink
        self.delimiter = delimiter
        eol = crlf ? [13, 10] : [10]
        out.reserveCapacity(CSVWriter.flushSize + (1 << 16))
    }

    /// Starts a new cell; append its bytes to `out` afterwards.
    @inline(__always)
    mutating func cell() {
        if cellsInRow > 0 {
            finishCell()
            out.append(delimiter)
        }
        cellStart = out.count
        cellsInRow += 1
    }

    /// A cell holding `bytes`.
    @inline(__always)
    mutating func cell(_ bytes: [UInt8]) {
        cell()
        out.append(contentsOf: bytes)
    }

    /// A cell holding `text` (reference data and one-off values, not the hot path).
    mutating func cell(_ text: String) {
        cell()
        out.append(contentsOf: text.utf8)
    }

    /// Several cells at once (headers, title lines).
    mutating func cells(_ texts: [String]) {
        for text in texts { cell(text) }
    }

    /// Ends the row and returns the physical line it started on.
    @discardableResult
    mutating func endRow() throws -> Int {
        if cellsInRow > 0 { finishCell() }
        try tap?.endRow()
        out.append(contentsOf: eol)
        let started = line
        line += 1 + newlinesInRow
        newlinesInRow = 0
        cellsInRow = 0
        if out.count >= CSVWriter.flushSize { try flush() }
        return started
    }

    /// A whole row of texts (headers, titles, totals).
    @discardableResult
    mutating func row(_ texts: [String]) throws -> Int {
        cells(texts)
        return try endRow()
    }

    /// Sends buffered bytes to the sink.
    mutating func flush() throws {
        guard !out.isEmpty else { return }
        try sink.write(out)
        out.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the sink.
    mutating func close() throws {
        try flush()
        try sink.close()
    }

    /// Quotes the cell just finished if it holds the delimiter, a quote or a line break, the way
    /// Excel does (`"` doubled). Rare, so the common path is one scan and no copy.
    @inline(__always)
    private mutating func finishCell() {
        tap?.cell(out[cellStart...])
        var needsQuotes = false
        var index = cellStart
        let end = out.count
        while index < end {
            let byte = out[index]
            if byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                needsQuotes = true
                break
            }
            index += 1
        }
        guard needsQuotes else { return }
        var quoted: [UInt8] = [0x22]
        for byte in out[cellStart..<end] {
            if byte == 0x22 { quoted.append(0x22) }
            if byte == 0x0A { newlinesInRow += 1 }
            quoted.append(byte)
        }
        quoted.append(0x22)
        out.replaceSubrange(cellStart..<end, with: quoted)
    }
}
