import Foundation
import Testing
import ZIPFoundation
import ZizhuCore
import ZizhuReport
import ZizhuTestSupport

/// The parts of an .xlsx (a zip of XML files), by path.
func xlsxParts(_ url: URL) throws -> [String: String] {
    let archive = try Archive(url: url, accessMode: .read)
    var parts: [String: String] = [:]
    for entry in archive {
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        parts[entry.path] = String(decoding: data, as: UTF8.self)
    }
    return parts
}

/// The `<c r="REF" …>…</c>` element of cell `ref` in a sheet's XML, or nil.
func cellXML(_ sheet: String, _ ref: String) -> String? {
    guard let start = sheet.range(of: "<c r=\"\(ref)\"") else { return nil }
    let rest = sheet[start.lowerBound...]
    if let selfClosed = rest.range(of: "/>"), let open = rest.range(of: ">"), selfClosed.upperBound == open.upperBound {
        return String(rest[..<selfClosed.upperBound])
    }
    guard let end = rest.range(of: "</c>") else { return nil }
    return String(rest[..<end.upperBound])
}

private let rows: [LedgerWorkbook.Row] = [
    .init(schoolCode: "3701J001", studentNo: "2023001", name: "王小明", idNumber: "11010519491231002X",
          account: "6217000010001234567", approved: Fen(100_000), paid: Fen(100_000), payDate: "2023-10-15"),
    .init(schoolCode: "3701J001", studentNo: "2023002", name: "李四", idNumber: "110105194912310029",
          account: "", approved: Fen(150_050), paid: Fen(0), payDate: ""),
    .init(schoolCode: "3701J002", studentNo: "0012", name: "赵五", idNumber: "110105194912310011",
          account: "6217000010009876543", approved: Fen(200_000), paid: Fen(200_000), payDate: "2023-11-01"),
]

private func writeLedger(_ path: String) throws {
    let book = try LedgerWorkbook(url: URL(fileURLWithPath: path), term: "2023-fall")
    for row in rows { try book.add(row) }
    try book.close()
}

@Suite struct LedgerWorkbookTests {
    @Test func oneSheetPerSchoolNamedByCode() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        try writeLedger(folder.file("l.xlsx"))
        let parts = try xlsxParts(folder.url.appendingPathComponent("l.xlsx"))
        let workbook = try #require(parts["xl/workbook.xml"])
        #expect(workbook.contains("<sheet name=\"3701J001\""))
        #expect(workbook.contains("<sheet name=\"3701J002\""))
        #expect(parts["xl/worksheets/sheet1.xml"] != nil && parts["xl/worksheets/sheet2.xml"] != nil)
        #expect(parts["xl/worksheets/sheet3.xml"] == nil)
    }

    @Test func idsAndCardsAreMaskedTextAndMoneyIsNumeric() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        try writeLedger(folder.file("l.xlsx"))
        let parts = try xlsxParts(folder.url.appendingPathComponent("l.xlsx"))
        let sheet = try #require(parts["xl/worksheets/sheet1.xml"])
        // Row 3 is the header; the first student is row 4.
        let id = try #require(cellXML(sheet, "D4"))
        #expect(id.contains("t=\"inlineStr\"") && id.contains("110105********002X"), "\(id)")
        let card = try #require(cellXML(sheet, "E4"))
        #expect(card.contains("t=\"inlineStr\"") && card.contains("***************4567"), "\(card)")
        let studentNo = try #require(cellXML(sheet, "B4"))
        #expect(studentNo.contains("t=\"inlineStr\""), "a 学籍号 of digits stays text: \(studentNo)")
        let approved = try #require(cellXML(sheet, "F5"))
        #expect(!approved.contains("t=\"") && approved.contains("<v>1500.5</v>"), "\(approved)")
        let total = try #require(cellXML(sheet, "F6"))
        #expect(total.contains("<v>2500.5</v>"), "合计 of 应发: \(total)")
        #expect(sheet.contains("合计（2 人）"))
        #expect(sheet.contains("制表人：") && sheet.contains("审核人：") && sheet.contains("日期："))
        let styles = try #require(parts["xl/styles.xml"])
        #expect(styles.contains("formatCode=\"#,##0.00\""))
        for part in parts.values {
            #expect(!part.contains("11010519491231002X") && !part.contains("6217000010001234567"), "nothing whole")
        }
    }

    @Test func titleHeaderAndPrintSetup() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        try writeLedger(folder.file("l.xlsx"))
        let parts = try xlsxParts(folder.url.appendingPathComponent("l.xlsx"))
        let sheet = try #require(parts["xl/worksheets/sheet2.xml"])
        #expect(sheet.contains("国家助学金发放台账") && sheet.contains("2023年秋季学期") && sheet.contains("3701J002"))
        #expect(sheet.contains("<mergeCell ref=\"A1:I1\"/>"))
        for title in LedgerWorkbook.columns { #expect(sheet.contains("<t>\(title)</t>"), "\(title)") }
        let pageSetup = try #require(sheet.range(of: "<pageSetup ").map { String(sheet[$0.lowerBound...].prefix(while: { $0 != ">" })) })
        #expect(pageSetup.contains("paperSize=\"9\"") && pageSetup.contains("orientation=\"landscape\""), "\(pageSetup)")
        #expect(pageSetup.contains("fitToHeight=\"0\""), "one page wide, as many tall as needed: \(pageSetup)")
        #expect(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"))
        #expect(sheet.contains("<printOptions horizontalCentered=\"1\"/>"))
        #expect(sheet.contains("<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>"))
        #expect(sheet.contains("<row r=\"4\" ht=\"30\" customHeight=\"1\">"), "a tall row to sign in")
        let workbook = try #require(parts["xl/workbook.xml"])
        #expect(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">'3701J002'!$3:$3</definedName>"),
                "the header row repeats on every printed page; a sheet name starting with a digit is quoted")
    }

    @Test func sameRowsGiveTheSameBytes() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        try writeLedger(folder.file("a.xlsx"))
        try writeLedger(folder.file("b.xlsx"))
        let a = try readBytes(folder.file("a.xlsx"))
        let b = try readBytes(folder.file("b.xlsx"))
        #expect(!a.isEmpty && a == b)
        let core = try #require(try xlsxParts(folder.url.appendingPathComponent("a.xlsx"))["docProps/core.xml"])
        #expect(core.contains("2000-01-01T00:00:00Z"), "a fixed created time")
    }

    @Test func anEmptyLedgerStillHasASheet() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        let book = try LedgerWorkbook(url: folder.url.appendingPathComponent("e.xlsx"), term: "2024-spring")
        try book.close()
        let parts = try xlsxParts(folder.url.appendingPathComponent("e.xlsx"))
        #expect(parts["xl/workbook.xml"]?.contains("<sheet name=\"台账\"") == true)
        #expect(parts["xl/worksheets/sheet1.xml"]?.contains("合计（0 人）") == true)
    }
}

@Suite struct SheetNameTests {
    @Test func forbiddenCharactersLengthAndDuplicates() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        let book = try XlsxWorkbook(url: folder.url.appendingPathComponent("n.xlsx"))
        #expect(book.sheetName(for: "a/b:c*d?[e]\\f") == "a_b_c_d__e__f")
        let long = String(repeating: "学", count: 40)
        #expect(book.sheetName(for: long) == String(repeating: "学", count: 31))
        _ = try book.addSheet("3701J001")
        #expect(book.sheetName(for: "3701j001") == "3701j001~2", "names are unique regardless of case")
        #expect(book.sheetName(for: "") == "Sheet")
        try book.close()
    }
}

@Suite struct FindingsWorkbookTests {
    private func findings() -> [Discrepancy] {
        let a = Discrepancy(code: "R03", severity: .error, term: "2023-fall", schoolCode: "3701J001", studentNo: "2023001",
                            name: "王小明", idNumber: "11010519491231002X", expected: "1000.00", actual: "-500.50",
                            detail: "paid 500.50 on account 6217000010001234567", sources: ["a.csv:2", "b.csv:7"])
        let b = Discrepancy(code: "R05", severity: .error, term: "2023-fall", schoolCode: "3701J001", studentNo: "2023002",
                            name: "李四", idNumber: "110105194912310029", expected: "李四", actual: "李 四",
                            detail: "", sources: ["b.csv:9"])
        let c = Discrepancy(code: "R03", severity: .error, term: "2023-fall", schoolCode: "3701J002", studentNo: "9",
                            name: "赵五", idNumber: "110105194912310011", expected: "2000.00", actual: "1000",
                            detail: "", sources: ["b.csv:11"])
        return FindingsWriter.prepared([a, b, c], unmask: false)
    }

    @Test func summaryCountsPerCodeWithChineseNames() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        let url = folder.url.appendingPathComponent("d.xlsx")
        try FindingsWorkbook.write(findings(), to: url)
        let parts = try xlsxParts(url)
        let workbook = try #require(parts["xl/workbook.xml"])
        #expect(workbook.contains("<sheet name=\"汇总\"") && workbook.contains("<sheet name=\"明细\""))
        let summary = try #require(parts["xl/worksheets/sheet1.xml"])
        #expect(summary.contains("<t>R03</t>") && summary.contains("<t>AMOUNT_MISMATCH</t>") && summary.contains("<t>金额不符</t>"))
        #expect(try #require(cellXML(summary, "E2")).contains("<v>2</v>"), "two R03 findings")
        #expect(try #require(cellXML(summary, "E3")).contains("<v>1</v>"), "one R05 finding")
        #expect(try #require(cellXML(summary, "E4")).contains("<v>3</v>"), "the total")
    }

    @Test func findingsKeepTheCSVCellsWithMoneyAsNumbers() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        let url = folder.url.appendingPathComponent("d.xlsx")
        let prepared = findings()
        try FindingsWorkbook.write(prepared, to: url)
        let sheet = try #require(try xlsxParts(url)["xl/worksheets/sheet2.xml"])
        for (k, title) in FindingsWriter.columns.enumerated() {
            #expect(try #require(cellXML(sheet, "\(Character(UnicodeScalar(65 + k)!))1")).contains("<t>\(title)</t>"))
        }
        // Row 2 is the first R03 (3701J001): money numeric, the id masked as in the CSV.
        #expect(try #require(cellXML(sheet, "H2")).contains("<v>1000</v>"))
        #expect(try #require(cellXML(sheet, "I2")).contains("<v>-500.5</v>"))
        let id = try #require(cellXML(sheet, "G2"))
        #expect(id.contains("t=\"inlineStr\"") && id.contains("<t>\(prepared[0].idNumber)</t>") && id.contains("********"))
        #expect(sheet.contains("<t>\(prepared[0].detail)</t>") && !sheet.contains("6217000010001234567"))
        #expect(try #require(cellXML(sheet, "K2")).contains("<t>a.csv:2;b.csv:7</t>"))
        // A name in expected/actual, or an amount without two decimals, stays text.
        #expect(try #require(cellXML(sheet, "H4")).contains("t=\"inlineStr\""), "R05's expected is a name")
        #expect(try #require(cellXML(sheet, "I3")).contains("t=\"inlineStr\""), "1000 is not written like an amount")
        #expect(sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(sheet.contains("<autoFilter ref=\"A1:K4\"/>"))
        #expect(sheet.contains("<col min=\"10\" max=\"10\" width=\""), "column widths set")
    }

    /// An S01 over thousands of rows names every row in `sources`: more than a cell can hold in Excel.
    /// The workbook is still written; the cell is cut to the limit and says where the whole text is.
    @Test func aSourcesCellOverExcelsLimitIsCutNotFatal() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        let url = folder.url.appendingPathComponent("d.xlsx")
        let sources = (1...4000).map { "roster-with-a-long-name.csv:\($0)" }
        let long = Discrepancy(code: "S01", severity: .error, term: "2023-fall", schoolCode: "3701J001", studentNo: "1",
                               name: "王小明", idNumber: "11010519491231002X", expected: "1", actual: "4000",
                               detail: "", sources: sources)
        #expect(sources.joined(separator: ";").count > 32_767)
        try FindingsWorkbook.write(FindingsWriter.prepared([long], unmask: false), to: url)
        let sheet = try #require(try xlsxParts(url)["xl/worksheets/sheet2.xml"])
        let cell = try #require(cellXML(sheet, "K2"))
        #expect(cell.contains("roster-with-a-long-name.csv:1;") && cell.contains("truncated, see the CSV"))
        #expect(!cell.contains("roster-with-a-long-name.csv:4000<"))
        let text = try #require(cell.range(of: "<t>").map { cell[$0.upperBound...] }?.split(separator: "<").first)
        #expect(text.unicodeScalars.count == 32_767)
    }

    @Test func amountsAreRecognisedStrictly() {
        #expect(FindingsWorkbook.yuan("1000.00") == 1000)
        #expect(FindingsWorkbook.yuan("-0.05") == -0.05)
        #expect(FindingsWorkbook.yuan("1000") == nil)
        #expect(FindingsWorkbook.yuan("1000.0") == nil)
        #expect(FindingsWorkbook.yuan("2023-10-01") == nil)
        #expect(FindingsWorkbook.yuan("12345678901234.00") == nil)
        #expect(FindingsWorkbook.yuan("") == nil)
    }
}

/// The per-cell fast path (a format made beforehand) writes what the style path writes.
@Suite("xlsx cells: a format made beforehand writes the style's bytes")
struct PremadeFormatTests {
    @Test("text, blank, number and money cells in a format equal the same cells in its style, byte for byte")
    func formatEqualsStyle() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx-format")
        defer { folder.cleanUp() }
        let text = XlsxWorkbook.Style(verticalCenter: true, border: true, numberFormat: "@")
        let money = XlsxWorkbook.Style(border: true, numberFormat: "#,##0.00")
        let values = ["2023001", "王小明", "", "quote \" < & >", String(repeating: "长", count: 40_000)]
        func write(_ name: String, premade: Bool) throws -> URL {
            let url = folder.url.appendingPathComponent(name)
            let book = try XlsxWorkbook(url: url)
            let sheet = try book.addSheet("3701J001")
            let textFormat = book.format(for: text)
            let moneyFormat = book.format(for: money)
            let plainFormat = book.format(for: .plain)
            for (row, value) in values.enumerated() {
                if premade {
                    try sheet.text(row, 0, value, textFormat)
                    try sheet.text(row, 1, value, plainFormat)
                    try sheet.money(row, 2, Fen(Int64(row) * 12_345), moneyFormat)
                } else {
                    try sheet.text(row, 0, value, text)
                    try sheet.text(row, 1, value, .plain)
                    try sheet.money(row, 2, Fen(Int64(row) * 12_345), money)
                }
            }
            try book.close()
            return url
        }
        let fast = try xlsxParts(write("format.xlsx", premade: true))
        let slow = try xlsxParts(write("style.xlsx", premade: false))
        #expect(fast == slow)
        let sheet = try #require(fast["xl/worksheets/sheet1.xml"])
        #expect(cellXML(sheet, "A3") != nil, "an empty text cell in a bordered format is a blank cell")
        #expect(cellXML(sheet, "B3") == nil, "an empty text cell in the default format writes nothing")
        #expect(sheet.contains("（过长已截断"), "a cell over 32,767 characters is cut as the style path cuts it")
    }
}

/// Each central-directory entry of the zip at `url`: name, compression method and general-purpose
/// flags (APPNOTE 4.3.12).
private func zipDirectory(_ url: URL) throws -> [(name: String, method: UInt16, flags: UInt16)] {
    let bytes = [UInt8](try Data(contentsOf: url))
    func u16(_ i: Int) -> UInt16 { UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 }
    func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
    var entries: [(name: String, method: UInt16, flags: UInt16)] = []
    var i = 0
    while i + 46 <= bytes.count {
        if u32(i) == 0x0201_4B50 {
            let nameLength = Int(u16(i + 28))
            let name = String(decoding: bytes[(i + 46)..<min(bytes.count, i + 46 + nameLength)], as: UTF8.self)
            entries.append((name, u16(i + 10), u16(i + 8)))
            i += 46 + nameLength + Int(u16(i + 30)) + Int(u16(i + 32))
        } else {
            i += 1
        }
    }
    return entries
}

@Suite struct WorkbookDeflateLevelTests {
    /// libxlsxwriter has no option for it; CXlsxZipLevel sets level 1 under minizip's open call.
    /// minizip records the level in each entry's flags (bits 1–2: 0b11 for level 1, 0b00 for the
    /// default), so the written file shows whether the level took effect in this build.
    @Test func theWorkbooksEntriesAreDeflatedAtLevelOne() throws {
        #expect(XlsxWorkbook.deflateLevel == 1)
        let folder = try ScratchFolder(prefix: "zizhu-xlsx-level")
        defer { folder.cleanUp() }
        try writeLedger(folder.file("l.xlsx"))
        let entries = try zipDirectory(folder.url.appendingPathComponent("l.xlsx"))
        let sheets = entries.filter { $0.name.hasPrefix("xl/worksheets/sheet") }
        #expect(sheets.count == 2)
        #expect(!entries.isEmpty)
        for entry in entries {
            #expect(entry.method == 8, "\(entry.name) is not deflated")
            #expect(entry.flags & 0b110 == 0b110, "\(entry.name) flags \(entry.flags): not level 1")
        }
        // And it still reads as the workbook it is.
        let parts = try xlsxParts(folder.url.appendingPathComponent("l.xlsx"))
        #expect(parts["xl/workbook.xml"]?.contains("<sheet name=\"3701J001\"") == true)
    }
}
