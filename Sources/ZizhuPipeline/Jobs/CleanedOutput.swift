import Foundation
import ZizhuCore
import ZizhuReport
import ZizhuSchema

/// `validate --out`'s `cleaned.csv` and `cleaned.xlsx`: the accepted rows normalized (ids
/// upper-cased and whole-width, dates ISO, money in yuan with two decimals, codes by their
/// canonical names) under the schema's field titles — what a clerk fixes and sends again — and,
/// in the workbook, a `rejects` sheet with each rejected row's reason (`rejects.csv`'s columns).
///
/// Ids and accounts are masked unless `--unmask` (contract §9: a file for people); with
/// `--unmask` they are whole, so the file can be imported again.
///
/// `cleaned.csv` is streamed batch by batch. The workbook is for people, and an .xlsx costs about
/// 40 µs a row to write (libxlsxwriter's XML and zlib — twenty times the rest of validation): its
/// rows are held (compactly) until the run ends and the workbook is written then, only when the
/// run has at most `workbookRowLimit` rows, accepted and rejected together. A larger run writes
/// no `cleaned.xlsx` (the held rows are dropped as soon as the limit is passed) and says so in the
/// summary; `cleaned.csv` and `rejects.csv` hold every row either way.
final class CleanedOutput {
    static let csvName = "cleaned.csv"
    static let workbookName = "cleaned.xlsx"
    static let rowsSheet = "cleaned"
    static let rejectsSheet = "rejects"
    /// Most rows (accepted + rejected) `cleaned.xlsx` is written for by default
    /// (`RunOptions.cleanedWorkbookRows`): a large school's two files many times over.
    static let workbookRowLimit = RunOptions().cleanedWorkbookRows

    private let output: OutputDirectory
    /// The cells' text, masked unless `--unmask`; also handed to the validation pool (`cells`).
    let cells: CleanedCells
    private let workbookLimit: Int
    private var seenSchema: TableSchema?
    /// One per schema, in the order met (`order`): the first schema is `cleaned.csv` / sheet
    /// `cleaned`, another (a pipeline validating several schemas) `cleaned-NAME.csv` / sheet `NAME`.
    private var tables: [String: Table] = [:]
    private var order: [String] = []
    private var rejects = HeldRows()
    /// Rows held for the workbook so far; past `workbookLimit` the workbook is given up.
    private var held = 0
    private(set) var workbookDropped = false
    private let textStyle = XlsxWorkbook.Style(numberFormat: "@")
    private let moneyStyle = XlsxWorkbook.Style(numberFormat: "0.00")
    private let headerStyle = XlsxWorkbook.Style(bold: true)

    private final class Table {
        let csv: CSVWriter
        let name: String
        let titles: [String]
        var rows = HeldRows()
        init(csv: CSVWriter, name: String, titles: [String]) {
            self.csv = csv
            self.name = name
            self.titles = titles
        }
    }

    /// The language of the rejects sheet's descriptions.
    private let language: Language

    /// A sheet's rows held for the workbook: every cell's UTF-8 followed by a NUL (handed to the C
    /// library as it lies), its kind, and where each row's cells start.
    struct HeldRows {
        enum Kind: UInt8 { case text, money, number }
        private(set) var bytes: [UInt8] = []
        private(set) var cells: [(start: Int, length: Int32, kind: Kind)] = []
        private(set) var rowStarts: [Int] = []

        var count: Int { rowStarts.count }

        mutating func startRow() { rowStarts.append(cells.count) }

        mutating func append(_ text: String, _ kind: Kind) {
            append(text.utf8, kind)
        }

        mutating func append<Bytes: Sequence<UInt8>>(_ text: Bytes, _ kind: Kind) {
            let start = bytes.count
            bytes.append(contentsOf: text)
            cells.append((start, Int32(truncatingIfNeeded: bytes.count - start), kind))
            bytes.append(0)
        }

        /// Row `row`'s cells, in order, as (column, C string, length, kind).
        func forEachCell(ofRow row: Int, _ body: (Int, UnsafePointer<CChar>, Int, Kind) throws -> Void) throws {
            let end = row + 1 < rowStarts.count ? rowStarts[row + 1] : cells.count
            try bytes.withUnsafeBufferPointer { all in
                guard let base = all.baseAddress else { return }
                try base.withMemoryRebound(to: CChar.self, capacity: all.count) { chars in
                    for (column, index) in (rowStarts[row]..<end).enumerated() {
                        let cell = cells[index]
                        try body(column, chars + cell.start, Int(cell.length), cell.kind)
                    }
                }
            }
        }
    }

    init(output: OutputDirectory, unmask: Bool, language: Language = .zh,
         workbookLimit: Int = CleanedOutput.workbookRowLimit) throws {
        self.language = language
        self.output = output
        self.cells = CleanedCells(unmask: unmask)
        self.workbookLimit = workbookLimit
    }

    /// Writes a batch's accepted rows to the CSV and holds them, and its rejects, for the workbook.
    func consume(_ batch: ValidatedBatch, validator: RowValidator) throws {
        if !workbookDropped, held + batch.rejects.count + batch.count > workbookLimit { dropWorkbook() }
        if !workbookDropped {
            for issue in batch.rejects {
                rejects.startRow()
                for (k, cell) in ReportStage.cells(issue, language).enumerated() {
                    rejects.append(cell, k == 1 && Double(cell) != nil ? .number : .text)
                }
            }
            held += batch.rejects.count + batch.count
        }
        if seenSchema == nil { seenSchema = validator.schema }
        guard batch.count > 0 else { return }
        let table = try self.table(for: validator.schema)
        // Rows the validation pool encoded already (the pool's batches) are only written here.
        try table.csv.writeEncoded(batch.prepared ?? cells.encodeRows(batch, validator: validator))
        guard !workbookDropped else { return }
        // The held rows are worked on as a local: a class's stored property passed `inout` costs a
        // dynamic exclusivity check per call, i.e. per cell here.
        var heldRows = HeldRows()
        swap(&heldRows, &table.rows)
        defer { swap(&heldRows, &table.rows) }
        var cell: [UInt8] = []
        let names = CleanedCells.CodeNames(validator)
        for row in 0..<batch.count {
            heldRows.startRow()
            for field in 0..<batch.fieldCount {
                let value = batch.value(row, field)
                cell.removeAll(keepingCapacity: true)
                cells.appendText(value, batch: batch, field: field, names: names, to: &cell)
                let kind: HeldRows.Kind
                if case .money = value { kind = .money } else { kind = .text }
                heldRows.append(cell, kind)
            }
        }
    }

    private func dropWorkbook() {
        workbookDropped = true
        rejects = HeldRows()
        for table in tables.values { table.rows = HeldRows() }
    }

    /// Closes the files; without any accepted row, `cleaned.csv` holds the header only. Returns
    /// the note for the summary when the run was too large for `cleaned.xlsx`.
    func finish() throws -> String? {
        if tables.isEmpty, let seenSchema { _ = try table(for: seenSchema) }
        if tables.isEmpty {
            try output.write(Data([0xEF, 0xBB, 0xBF]), to: Self.csvName)
        }
        for name in tables.keys.sorted() { try tables[name]?.csv.close() }
        if workbookDropped {
            return "cleaned.xlsx 未写出 / not written: more than \(workbookLimit) rows (accepted and rejected); "
                + "cleaned.csv and rejects.csv hold every row"
        }
        try writeWorkbook()
        return nil
    }

    /// `cleaned.xlsx` from the held rows: sheet `cleaned` (the first schema), `rejects`, then one
    /// sheet per further schema; past Excel's row limit a table goes on in `NAME-2`, `NAME-3` ….
    private func writeWorkbook() throws {
        let book = try XlsxWorkbook(url: output.stagedURL(Self.workbookName))
        // Formats made in a fixed order: the same rows, the same bytes.
        _ = book.format(for: headerStyle)
        let text = book.format(for: textStyle)
        let money = book.format(for: moneyStyle)
        let plain = book.format(for: .plain)
        let first = try book.addSheet(Self.rowsSheet)
        let rejectSheet = try book.addSheet(Self.rejectsSheet)

        func writeHeader(_ titles: [String], on sheet: XlsxSheet, widths: Bool) throws {
            for (k, title) in titles.enumerated() {
                // The column's empty cells are text too: what a clerk types there stays as typed.
                if widths { try sheet.columnWidth(k, k, max(10, min(30, Double(title.count) * 2 + 2)), style: textStyle) }
                try sheet.text(0, k, title, headerStyle)
            }
            sheet.freezeRows(1)
        }
        func write(_ rows: HeldRows, first sheet: XlsxSheet, name: String, titles: [String], widths: Bool) throws {
            var sheets = [sheet]
            try writeHeader(titles, on: sheet, widths: widths)
            for index in 0..<rows.count {
                let (sheetIndex, row) = XlsxWorkbook.place(index)
                while sheets.count <= sheetIndex {
                    let more = try book.addSheet("\(name)-\(sheets.count + 1)")
                    try writeHeader(titles, on: more, widths: widths)
                    sheets.append(more)
                }
                let target = sheets[sheetIndex]
                try rows.forEachCell(ofRow: index) { column, cString, length, kind in
                    switch kind {
                    case .text: try target.text(row, column, cString: cString, length: length, text)
                    case .money: try target.number(row, column, strtod(cString, nil), money)
                    case .number: try target.number(row, column, strtod(cString, nil), plain)
                    }
                }
            }
        }

        try write(rejects, first: rejectSheet, name: Self.rejectsSheet, titles: FindingsWriter.rejectColumns, widths: false)
        for (index, schema) in order.enumerated() {
            guard let table = tables[schema] else { continue }
            let sheet = index == 0 ? first : try book.addSheet(table.name)
            try write(table.rows, first: sheet, name: table.name, titles: table.titles, widths: true)
        }
        try book.close()
    }

    private func table(for schema: TableSchema) throws -> Table {
        if let table = tables[schema.name] { return table }
        let first = order.isEmpty
        order.append(schema.name)
        let titles = schema.fields.map(\.displayTitle)
        let csv = try CSVWriter(in: output, name: first ? Self.csvName : "cleaned-\(schema.name).csv", header: titles)
        let table = Table(csv: csv, name: first ? Self.rowsSheet : schema.name, titles: titles)
        tables[schema.name] = table
        return table
    }
}
