import Foundation
import ZizhuCore

/// `discrepancies.xlsx`: a summary sheet (汇总: count per code with its Chinese name) and the
/// findings (明细) in `discrepancies.csv`'s columns and cell values — the findings given are the
/// ones the CSV was written from, so masking is the CSV's. The header is frozen and filtered; an
/// `expected` / `actual` cell holding an amount in yuan (`1000.00`) is a number shown with two
/// decimals, anything else stays text.
public enum FindingsWorkbook {
    public static let fileName = "discrepancies.xlsx"
    public static let summarySheet = "汇总"
    public static let findingsSheet = "明细"
    public static let summaryColumns = ["代码 code", "名称 name", "中文名称", "严重程度 severity", "数量 count"]
    static let widths: [Double] = [7, 9, 12, 10, 14, 10, 21, 14, 14, 60, 40]

    /// With `history`, the 明细 sheets end with the status, first_seen and note columns.
    public static func write(_ findings: [Discrepancy], history: [FindingsWriter.HistoryCells]? = nil, to url: URL) throws {
        let columns = history == nil ? FindingsWriter.columns : FindingsWriter.columns + FindingsWriter.historyColumns
        let widths = history == nil ? Self.widths : Self.widths + [10, 21, 40]
        let book = try XlsxWorkbook(url: url)
        let header = XlsxWorkbook.Style(bold: true, border: true)
        let money = XlsxWorkbook.Style(numberFormat: "#,##0.00")
        let text = XlsxWorkbook.Style(numberFormat: "@")

        let summary = try book.addSheet(summarySheet)
        for (k, width) in [12.0, 28, 16, 18, 12].enumerated() { try summary.columnWidth(k, k, width) }
        for (k, title) in summaryColumns.enumerated() { try summary.text(0, k, title, header) }
        summary.freezeRows(1)
        var counts: [String: Int] = [:]
        var severities: [String: String] = [:]
        for f in findings {
            counts[f.code, default: 0] += 1
            severities[f.code] = severities[f.code] ?? f.severity.rawValue
        }
        var row = 1
        for code in counts.keys.sorted() {
            let entry = FindingCatalog.entry(code)
            try summary.text(row, 0, code)
            try summary.text(row, 1, entry?.name ?? "")
            try summary.text(row, 2, chineseNames[code] ?? "")
            try summary.text(row, 3, entry?.severity.rawValue ?? severities[code] ?? "")
            try summary.number(row, 4, Double(counts[code] ?? 0))
            row += 1
        }
        try summary.text(row, 0, "合计 total", header)
        try summary.number(row, 4, Double(findings.count), header)

        // 明细, then 明细-2, 明细-3 … when the findings outgrow Excel's rows a sheet.
        let cells = history.map { zip(findings, $0).map { FindingsWriter.csvCells($0) + $1.cells } } ?? findings.map(FindingsWriter.csvCells)
        var sheets: [XlsxSheet] = []
        let sheetCount = cells.isEmpty ? 1 : XlsxWorkbook.place(cells.count - 1).sheet + 1
        for n in 0..<sheetCount {
            let sheet = try book.addSheet(n == 0 ? findingsSheet : "\(findingsSheet)-\(n + 1)")
            for (k, width) in widths.enumerated() { try sheet.columnWidth(k, k, width) }
            for (k, title) in columns.enumerated() { try sheet.text(0, k, title, header) }
            sheet.freezeRows(1)
            let rows = n == sheetCount - 1 ? (cells.isEmpty ? 0 : XlsxWorkbook.place(cells.count - 1).row) : XlsxWorkbook.sheetRows - 1
            try sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: max(rows, 1), lastColumn: columns.count - 1)
            sheets.append(sheet)
        }
        for (i, row) in cells.enumerated() {
            let (n, r) = XlsxWorkbook.place(i)
            for (k, cell) in row.enumerated() {
                if (k == 7 || k == 8), let amount = yuan(cell) {
                    try sheets[n].number(r, k, amount, money)
                } else {
                    try sheets[n].text(r, k, cell, text)
                }
            }
        }
        try book.close()
    }

    /// `cell` as an amount of yuan when it is written like one (`-12.50`, `1000.00`: digits, a
    /// point and two decimals, at most 13 digits before it), else nil.
    public static func yuan(_ cell: String) -> Double? {
        let bytes = Array(cell.utf8)
        var i = 0
        if bytes.first == UInt8(ascii: "-") { i = 1 }
        let digitsStart = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        let whole = i - digitsStart
        guard whole >= 1, whole <= 13, i + 3 == bytes.count, bytes[i] == UInt8(ascii: "."),
              bytes[i + 1] >= 0x30, bytes[i + 1] <= 0x39, bytes[i + 2] >= 0x30, bytes[i + 2] <= 0x39 else { return nil }
        guard case .success(let fen) = Fen.parse(cell) else { return nil }
        return Double(fen.value) / 100
    }

    /// The Chinese names of the contract's codes (§6), for people reading the summary.
    public static let chineseNames: [String: String] = Dictionary(
        uniqueKeysWithValues: FindingCatalog.entries.map { ($0.code, $0.name(.zh)) })
}
