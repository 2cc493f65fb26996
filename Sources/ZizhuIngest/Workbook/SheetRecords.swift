import ZizhuCore

/// Turns a sheet's cells, row by row, into the `RecordBatch`es the CSV reader produces: one
/// record per row that holds any non-empty cell, its line the sheet's row number; cells missing
/// between others (sparse rows) are empty fields; rows with nothing in them give no record.
struct SheetRecords {
    private let sourceIndex: Int
    private let options: CSVOptions
    private let maxColumns: Int
    private var batch: RecordBatch
    private var sequence = 0
    /// The current row's cells, one after the other, and where each ends: plain buffers (an
    /// array's uniqueness check and growth cost as much as the rest of a cell); `release()` frees them.
    private var rowBytes = Slab<UInt8>()
    private var rowEnds = Slab<Int>()
    private var rowHasText = false
    private(set) var records = 0
    private(set) var lastRow = 0

    init(sourceIndex: Int, options: CSVOptions, maxColumns: Int) {
        self.sourceIndex = sourceIndex
        self.options = options
        self.maxColumns = maxColumns
        batch = RecordBatch(sourceIndex: sourceIndex, sequence: 0)
    }

    /// Gives back the row buffers (the sheet's `deinit`).
    func release() {
        rowBytes.release()
        rowEnds.release()
    }

    /// Columns set so far in the current row.
    var columns: Int { rowEnds.count }

    /// Sets the cell at 0-based `column` (after any already set in this row) to `bytes`.
    mutating func setCell(_ column: Int, _ bytes: UnsafeBufferPointer<UInt8>, position: @autoclosure () -> InputPosition) throws {
        guard column < maxColumns else {
            throw ZizhuError(.archive, Message("error.workbook.columnTooFar", ["columns": String(maxColumns)]), at: position(),
                             hint: Message("hint.workbook.damaged"))
        }
        let set = rowEnds.count
        guard column >= set else {
            throw ZizhuError(.archive, Message("error.workbook.cellsOutOfOrder"), at: position(),
                             hint: Message("hint.workbook.damaged"))
        }
        guard bytes.count <= options.maxFieldBytes else {
            throw ZizhuError(.limitExceeded, Message("error.workbook.cellTooLong", ["bytes": String(bytes.count), "limit": String(options.maxFieldBytes)]),
                             at: position(), hint: Message("hint.workbook.cellTooLong"))
        }
        if set < column { for _ in set..<column { rowEnds.append(rowBytes.count) } }
        rowBytes.append(contentsOf: bytes)
        rowEnds.append(rowBytes.count)
        if !bytes.isEmpty { rowHasText = true }
        guard rowBytes.count <= options.maxRecordBytes else {
            throw ZizhuError(.limitExceeded, Message("error.workbook.rowTooLong", ["limit": String(options.maxRecordBytes)]), at: position(),
                             hint: Message("hint.workbook.rowTooLong"))
        }
    }

    mutating func setCell(_ column: Int, _ text: String, position: @autoclosure () -> InputPosition) throws {
        var text = text
        try text.withUTF8 { try setCell(column, $0, position: position()) }
    }

    /// Closes row `row` (1-based); hands a batch on when it is full.
    mutating func endRow(_ row: Int, offset: Int64, _ emit: (RecordBatch) throws -> Void) throws {
        lastRow = max(lastRow, row)
        defer {
            rowBytes.removeAll()
            rowEnds.removeAll()
            rowHasText = false
        }
        guard rowHasText else { return }
        // Trailing empty cells (formatted but blank) are dropped, like a CSV row's missing tail.
        let ends = rowEnds.buffer
        var count = ends.count
        while count > 1, ends[count - 1] == ends[count - 2] { count -= 1 }
        let all = UnsafeRawBufferPointer(rowBytes.buffer)
        var start = 0
        for index in 0..<count {
            batch.appendField(UnsafeRawBufferPointer(rebasing: all[start..<ends[index]]))
            start = ends[index]
        }
        batch.endRecord(line: UInt32(truncatingIfNeeded: row), offset: offset)
        records += 1
        if batch.count >= options.batchRecords || batch.byteCount >= options.batchBytes {
            try flush(emit)
        }
    }

    /// Hands on the last, possibly small, batch.
    mutating func flush(_ emit: (RecordBatch) throws -> Void) throws {
        guard !batch.isEmpty else { return }
        try emit(batch)
        sequence += 1
        batch = RecordBatch(sourceIndex: sourceIndex, sequence: sequence)
    }
}
