import Foundation
import ZizhuCore
import ZizhuReport

/// A sample CSV file written a second time as an Excel workbook, row by row as the CSV's rows are
/// ended (`CSVWriter.tap`): what an office gets when the system exports .xlsx instead of CSV.
///
/// The workbook is what Excel would hold, not the CSV's damage: ids, accounts and codes are text
/// cells (an `="…"` or `'` wrapper, a CSV habit, is taken off); 序号 is a number; in a 日期 column an
/// Excel serial is a date cell; in a 金额 column an amount is a number shown with two decimals.
/// The first title line spans the table (a merged cell); a workbook whose CSV has no title line
/// gets `title` above its header; `finish` can add a 合计 row under the data. Written through
/// libxlsxwriter with its fixed creation time: the same sample, the same bytes.
final class WorkbookTee {
    private let book: XlsxWorkbook
    private let sheet: XlsxSheet
    private let titleLines: Int
    private let width: Int
    private var cells: [[UInt8]] = []
    /// Rows of the CSV seen (titles and header included).
    private var csvRow = 0
    /// The next row to write in the sheet (0-based).
    private var row = 0
    private var kinds: [Kind] = []
    private(set) var dataRows = 0
    /// The sheet row (1-based) of the header; data rows follow it.
    private(set) var headerRow = 0

    private enum Kind { case text, sequence, date, money }

    private let titleStyle = XlsxWorkbook.Style(bold: true, size: 14, align: .center, verticalCenter: true)
    private let headerStyle = XlsxWorkbook.Style(bold: true, align: .center, border: true)
    private let textStyle = XlsxWorkbook.Style(border: true, numberFormat: "@")
    private let numberStyle = XlsxWorkbook.Style(border: true)
    private let dateStyle = XlsxWorkbook.Style(border: true, numberFormat: "yyyy-mm-dd")
    private let moneyStyle = XlsxWorkbook.Style(border: true, numberFormat: "#,##0.00")

    /// A workbook at `path` (absolute) with one sheet `sheetName`, for a CSV with `titleLines`
    /// title lines above a header of `width` columns.
    init(path: String, sheetName: String, titleLines: Int, width: Int, title: String?) throws {
        book = try XlsxWorkbook(url: URL(fileURLWithPath: path))
        sheet = try book.addSheet(sheetName)
        self.titleLines = titleLines
        self.width = width
        if titleLines == 0, let title {
            try sheet.rowHeight(0, 28)
            try sheet.merge(0, 0, max(0, width - 1), title, titleStyle)
            row = 1
        }
    }

    func cell(_ bytes: ArraySlice<UInt8>) {
        cells.append(Array(bytes))
    }

    func endRow() throws {
        defer { cells.removeAll(keepingCapacity: true); csvRow += 1; row += 1 }
        let texts = cells.map { String(decoding: $0, as: UTF8.self) }
        if csvRow < titleLines {
            if csvRow == 0 {
                try sheet.rowHeight(row, 28)
                try sheet.merge(row, 0, max(0, width - 1), texts.first ?? "", titleStyle)
            } else {
                for (column, text) in texts.enumerated() where !text.isEmpty { try sheet.text(row, column, text) }
            }
            return
        }
        if csvRow == titleLines {
            headerRow = row + 1
            kinds = texts.map { title in
                if title == "序号" { return .sequence }
                if title.contains("日期") { return .date }
                if title.contains("金额") { return .money }
                return .text
            }
            for (column, title) in texts.enumerated() {
                try sheet.columnWidth(column, column, Double(max(8, min(24, title.count * 2 + 4))))
                try sheet.text(row, column, title, headerStyle)
            }
            sheet.freezeRows(row + 1)
            return
        }
        try write(texts)
        if !(texts.first ?? "").hasPrefix("合计") { dataRows += 1 }
    }

    private func write(_ texts: [String]) throws {
        for (column, text) in texts.enumerated() {
            let kind = column < kinds.count ? kinds[column] : .text
            switch kind {
            case .sequence:
                if let number = Int(text) { try sheet.number(row, column, Double(number), numberStyle); continue }
            case .date:
                if text.count == 5, let serial = Int(text) { try sheet.number(row, column, Double(serial), dateStyle); continue }
            case .money:
                if case .success(let fen) = Fen.parse(text) { try sheet.money(row, column, fen, moneyStyle); continue }
            case .text:
                break
            }
            try sheet.text(row, column, Self.unwrapped(text), textStyle)
        }
    }

    /// `="370102…"` and `'370102…` (what a clerk does to keep Excel off an id in a CSV) as the
    /// text they protect.
    static func unwrapped(_ text: String) -> String {
        if text.hasPrefix("=\""), text.hasSuffix("\""), text.count >= 3 { return String(text.dropFirst(2).dropLast()) }
        if text.hasPrefix("'") { return String(text.dropFirst()) }
        return text
    }

    /// Adds a row under the data (a 合计 line) and writes the file.
    func finish(total: [String]? = nil) throws {
        if let total {
            for (column, text) in total.enumerated() where !text.isEmpty {
                try sheet.text(row, column, text, XlsxWorkbook.Style(bold: true, border: true))
            }
            row += 1
        }
        try book.close()
    }
}
