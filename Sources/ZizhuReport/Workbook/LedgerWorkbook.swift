import Foundation
import ZizhuCore

/// `发放台账.xlsx`: the payout ledger as a school prints it and students sign it — one sheet per
/// school (named by its code), a title, the columns a student signs against, a 合计 row and the
/// 制表人 / 审核人 / 日期 lines; A4 landscape, the header row on every printed page, "第 n 页 共 m 页",
/// one page wide. Ids and card numbers are always masked (a printed page is for people, contract
/// §9) and are text cells; amounts are numbers. The machine columns (match tier, sources) stay in
/// `ledger.csv`.
///
/// Rows are streamed: `add` them in school order (the ledger's order), then `close()`.
public final class LedgerWorkbook {
    /// What one printed row needs.
    public struct Row: Sendable {
        public var schoolCode: String
        public var studentNo: String
        public var name: String
        public var idNumber: String
        public var account: String
        public var approved: Fen
        public var paid: Fen
        public var payDate: String

        public init(schoolCode: String, studentNo: String, name: String, idNumber: String, account: String,
                    approved: Fen, paid: Fen, payDate: String) {
            self.schoolCode = schoolCode
            self.studentNo = studentNo
            self.name = name
            self.idNumber = idNumber
            self.account = account
            self.approved = approved
            self.paid = paid
            self.payDate = payDate
        }
    }

    public static let fileName = "发放台账.xlsx"
    public static let title = "国家助学金发放台账"
    public static let columns = ["序号", "学籍号", "姓名", "身份证号", "资助卡号", "应发(元)", "实发(元)", "发放日期", "学生签名"]
    static let widths: [Double] = [6, 16, 10, 21, 21, 12, 12, 12, 18]
    /// The header row (0-based), printed atop every page.
    public static let headerRow = 2
    public static let footer = "&C第 &P 页 共 &N 页"
    static let moneyFormat = "#,##0.00"

    private let book: XlsxWorkbook
    private let termName: String
    private var sheet: XlsxSheet?
    private var school: String?
    private var row = 0
    private var count = 0
    private var approvedTotal: Int64 = 0
    private var paidTotal: Int64 = 0

    private let titleStyle = XlsxWorkbook.Style(bold: true, size: 16, align: .center, verticalCenter: true)
    private let subtitleStyle = XlsxWorkbook.Style(align: .left, verticalCenter: true)
    private let headerStyle = XlsxWorkbook.Style(bold: true, align: .center, verticalCenter: true, wrap: true, border: true)
    private let textStyle = XlsxWorkbook.Style(verticalCenter: true, border: true, numberFormat: "@")
    private let centerStyle = XlsxWorkbook.Style(align: .center, verticalCenter: true, border: true)
    private let centerTextStyle = XlsxWorkbook.Style(align: .center, verticalCenter: true, border: true, numberFormat: "@")
    private let moneyStyle = XlsxWorkbook.Style(verticalCenter: true, border: true, numberFormat: moneyFormat)
    private let totalLabelStyle = XlsxWorkbook.Style(bold: true, align: .center, verticalCenter: true, border: true)
    private let totalMoneyStyle = XlsxWorkbook.Style(bold: true, verticalCenter: true, border: true, numberFormat: moneyFormat)
    private let signStyle = XlsxWorkbook.Style(align: .left, verticalCenter: true)
    /// The formats of a student's row, made at the first row.
    private struct RowFormats {
        let center, text, money, centerText: XlsxWorkbook.Format
    }
    private var rowFormats: RowFormats?

    /// - Parameter term: the term's canonical form (`2023-fall`) or its Chinese name.
    public init(url: URL, term: String) throws {
        book = try XlsxWorkbook(url: url)
        if case .success(let parsed) = Term.parse(term) { termName = parsed.chineseName } else { termName = term }
    }

    /// Adds one student's row; a new school code starts a new sheet.
    public func add(_ r: Row) throws {
        if sheet == nil || r.schoolCode != school { try startSheet(r.schoolCode) }
        guard let sheet else { return }
        count += 1
        try sheet.rowHeight(row, 30)
        // Formats looked up once (in the order the styles were first used: the same styles.xml).
        let formats = rowFormats ?? RowFormats(center: book.format(for: centerStyle), text: book.format(for: textStyle),
                                               money: book.format(for: moneyStyle), centerText: book.format(for: centerTextStyle))
        rowFormats = formats
        try sheet.number(row, 0, Double(count), formats.center)
        try sheet.text(row, 1, r.studentNo, formats.text)
        try sheet.text(row, 2, r.name, formats.text)
        try sheet.text(row, 3, r.idNumber.isEmpty ? "" : Masking.id(r.idNumber), formats.text)
        try sheet.text(row, 4, r.account.isEmpty ? "" : Masking.account(r.account), formats.text)
        try sheet.money(row, 5, r.approved, formats.money)
        try sheet.money(row, 6, r.paid, formats.money)
        try sheet.text(row, 7, r.payDate, formats.centerText)
        try sheet.text(row, 8, "", formats.text)
        approvedTotal &+= r.approved.value
        paidTotal &+= r.paid.value
        row += 1
    }

    /// Ends the last sheet and writes the file. A ledger without rows still gets one (empty) sheet.
    public func close() throws {
        if sheet == nil { try startSheet("") }
        try endSheet()
        try book.close()
    }

    private func startSheet(_ code: String) throws {
        try endSheet()
        let sheet = try book.addSheet(code.isEmpty ? "台账" : code)
        self.sheet = sheet
        school = code
        row = 0
        count = 0
        approvedTotal = 0
        paidTotal = 0
        for (k, width) in Self.widths.enumerated() { try sheet.columnWidth(k, k, width) }
        try sheet.printSetup(repeatRows: Self.headerRow...Self.headerRow, footer: Self.footer)
        let last = Self.columns.count - 1
        try sheet.rowHeight(0, 32)
        try sheet.merge(0, 0, last, Self.title, titleStyle)
        try sheet.rowHeight(1, 20)
        let schoolText = code.isEmpty ? "学校代码：" : "学校代码：\(code)"
        try sheet.merge(1, 0, last, "\(schoolText)　　学期：\(termName)", subtitleStyle)
        try sheet.rowHeight(Self.headerRow, 24)
        for (k, title) in Self.columns.enumerated() { try sheet.text(Self.headerRow, k, title, headerStyle) }
        row = Self.headerRow + 1
    }

    /// The 合计 row and the signature lines under the last student.
    private func endSheet() throws {
        guard let sheet else { return }
        try sheet.rowHeight(row, 24)
        try sheet.merge(row, 0, 4, "合计（\(count) 人）", totalLabelStyle)
        try sheet.money(row, 5, Fen(approvedTotal), totalMoneyStyle)
        try sheet.money(row, 6, Fen(paidTotal), totalMoneyStyle)
        try sheet.text(row, 7, "", totalLabelStyle)
        try sheet.text(row, 8, "", totalLabelStyle)
        row += 2
        try sheet.rowHeight(row, 28)
        try sheet.merge(row, 0, 2, "制表人：", signStyle)
        try sheet.merge(row, 3, 5, "审核人：", signStyle)
        try sheet.merge(row, 6, 8, "日期：", signStyle)
        self.sheet = nil
    }
}
