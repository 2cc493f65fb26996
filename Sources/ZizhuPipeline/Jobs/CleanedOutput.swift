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
/// `--unmask` they are whole, so the file can be imported again. Streamed: rows go out batch by
/// batch (the workbook in constant-memory mode).
final class CleanedOutput {
    static let csvName = "cleaned.csv"
    static let workbookName = "cleaned.xlsx"
    static let rowsSheet = "cleaned"
    static let rejectsSheet = "rejects"

    private let output: OutputDirectory
    private let unmask: Bool
    private let book: XlsxWorkbook
    /// The first schema's sheet, added first so it opens first.
    private let rows: XlsxSheet
    private let rejects: XlsxSheet
    private var seenSchema: TableSchema?
    private var rejectSheets: [XlsxSheet]
    private var rejectCount = 0
    /// One per schema, in the order met: the first schema is `cleaned.csv` / sheet `cleaned`,
    /// another (a pipeline validating several schemas) `cleaned-NAME.csv` / sheet `NAME`.
    private var tables: [String: Table] = [:]
    private var firstSchema: String?
    private let textStyle = XlsxWorkbook.Style(numberFormat: "@")
    private let moneyStyle = XlsxWorkbook.Style(numberFormat: "0.00")
    private let headerStyle = XlsxWorkbook.Style(bold: true)

    private final class Table {
        let csv: CSVWriter
        let name: String
        let titles: [String]
        var sheets: [XlsxSheet]
        /// Data rows written so far.
        var count = 0
        init(csv: CSVWriter, name: String, titles: [String], sheet: XlsxSheet) {
            self.csv = csv
            self.name = name
            self.titles = titles
            sheets = [sheet]
        }
    }

    /// The language of the rejects sheet's descriptions.
    private let language: Language

    init(output: OutputDirectory, unmask: Bool, language: Language = .zh) throws {
        self.language = language
        self.output = output
        self.unmask = unmask
        book = try XlsxWorkbook(url: output.stagedURL(Self.workbookName))
        rows = try book.addSheet(Self.rowsSheet)
        rejects = try book.addSheet(Self.rejectsSheet)
        rejectSheets = [rejects]
        try writeHeader(FindingsWriter.rejectColumns, on: rejects, widths: false)
    }

    private func writeHeader(_ titles: [String], on sheet: XlsxSheet, widths: Bool) throws {
        for (k, title) in titles.enumerated() {
            if widths { try sheet.columnWidth(k, k, max(10, min(30, Double(title.count) * 2 + 2))) }
            try sheet.text(0, k, title, headerStyle)
        }
        sheet.freezeRows(1)
    }

    /// The sheet and row of the next data row of `sheets`, opening a sheet `name-2`, `name-3` …
    /// when Excel's row limit is reached.
    private func nextCell(_ sheets: inout [XlsxSheet], count: Int, name: String, titles: [String], widths: Bool) throws -> (XlsxSheet, Int) {
        let (index, row) = XlsxWorkbook.place(count)
        while sheets.count <= index {
            let sheet = try book.addSheet("\(name)-\(sheets.count + 1)")
            try writeHeader(titles, on: sheet, widths: widths)
            sheets.append(sheet)
        }
        return (sheets[index], row)
    }

    /// Writes a batch's accepted rows and its rejects.
    func consume(_ batch: ValidatedBatch, validator: RowValidator) throws {
        for issue in batch.rejects {
            let (sheet, row) = try nextCell(&rejectSheets, count: rejectCount, name: Self.rejectsSheet,
                                            titles: FindingsWriter.rejectColumns, widths: false)
            for (k, cell) in ReportStage.cells(issue, language).enumerated() {
                if k == 1, let line = Double(cell) { try sheet.number(row, k, line) } else { try sheet.text(row, k, cell, textStyle) }
            }
            rejectCount += 1
        }
        if seenSchema == nil { seenSchema = validator.schema }
        guard batch.count > 0 else { return }
        let table = try self.table(for: validator.schema)
        var cells: [String] = []
        for row in 0..<batch.count {
            cells.removeAll(keepingCapacity: true)
            let (sheet, sheetRow) = try nextCell(&table.sheets, count: table.count, name: table.name, titles: table.titles, widths: true)
            for field in 0..<batch.fieldCount {
                let value = batch.value(row, field)
                let cell = text(value, batch: batch, field: field, validator: validator)
                cells.append(cell)
                if case .money = value, let amount = Double(cell) {
                    try sheet.number(sheetRow, field, amount, moneyStyle)
                } else {
                    try sheet.text(sheetRow, field, cell, textStyle)
                }
            }
            try table.csv.writeRow(cells)
            table.count += 1
        }
    }

    /// Closes the files; without any accepted row, `cleaned.csv` holds the header only.
    func finish() throws {
        if tables.isEmpty, let seenSchema { _ = try table(for: seenSchema) }
        if tables.isEmpty {
            try output.write(Data([0xEF, 0xBB, 0xBF]), to: Self.csvName)
        }
        for name in tables.keys.sorted() { try tables[name]?.csv.close() }
        try book.close()
    }

    private func table(for schema: TableSchema) throws -> Table {
        if let table = tables[schema.name] { return table }
        let first = firstSchema == nil
        if first { firstSchema = schema.name }
        let titles = schema.fields.map(\.displayTitle)
        let csv = try CSVWriter(url: output.stagedURL(first ? Self.csvName : "cleaned-\(schema.name).csv"), header: titles)
        let name = first ? Self.rowsSheet : schema.name
        let sheet = first ? rows : try book.addSheet(name)
        try writeHeader(titles, on: sheet, widths: true)
        let table = Table(csv: csv, name: name, titles: titles, sheet: sheet)
        tables[schema.name] = table
        return table
    }

    /// A cell's normalized text; ids and accounts masked unless `unmask`, and any id- or
    /// account-shaped run in free text too.
    private func text(_ value: Value, batch: ValidatedBatch, field: Int, validator: RowValidator) -> String {
        switch value {
        case .empty: return ""
        case .text(let ref): return unmask ? batch.string(ref) : Masking.text(batch.string(ref))
        case .otherID(let ref): return unmask ? batch.string(ref) : Masking.id(batch.string(ref))
        case .account(let ref): return unmask ? batch.string(ref) : Masking.account(batch.string(ref))
        case .maskedAccount(let ref): return batch.string(ref)
        case .integer(let n): return String(n)
        case .money(let fen): return fen.yuan
        case .date(let date): return date.iso
        case .month(let date): return String(date.iso.prefix(7))
        case .residentID(let id): return unmask ? id.string : Masking.id(id.string)
        case .term(let t): return t.canonical
        case .region(let code):
            let digits = String(code)
            return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
        case .code(let index):
            guard field < validator.codeTables.count, let table = validator.codeTables[field], Int(index) < table.names.count else { return "" }
            return table.names[Int(index)]
        }
    }
}
