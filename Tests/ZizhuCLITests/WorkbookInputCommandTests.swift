import Foundation
import Testing
import ZizhuIO
import ZizhuTestSupport

/// `zizhu validate` reads workbooks made by a real spreadsheet program (LibreOffice) like CSV.
@Suite struct WorkbookInputCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ZizhuIngestTests/Fixtures")

    @Test(arguments: ["roster-small.xlsx", "roster-small.xls"])
    func validateReadsAWorkbookAndNamesItsSheet(_ name: String) throws {
        let path = Self.fixtures.appendingPathComponent(name).path
        let result = try CLI.runEnglish(["validate", "--schema", "roster", path, "--quiet"])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("\(path)!roster-small: 10 rows read, 10 accepted, 0 rejected; 1 title line(s) skipped"), "\(result.out)")
    }

    @Test func idsStoredAsNumbersAreRejectedWithTheHintAndTheSheetPosition() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx-cli")
        defer { folder.cleanUp() }
        // roster-numbers.xlsx: the same rows imported by LibreOffice with default column types,
        // so the ids became numbers (as happens when a clerk opens a CSV in Excel and saves it).
        let path = Self.fixtures.appendingPathComponent("roster-numbers.xlsx").path
        let result = try CLI.runEnglish(["validate", "--schema", "roster", path, "--out", folder.file("out"), "--quiet"])
        #expect(result.status == 1, "\(result.err)")
        let rejects = String(decoding: try readBytes(folder.file("out/rejects.csv")), as: UTF8.self)
        #expect(rejects.contains("\(path)!roster-numbers,3,身份　证号,***********,ID_SCIENTIFIC_NOTATION"), "\(rejects)")
        #expect(rejects.contains("format the id column as text"))
        // The one id with a letter (…364x) was text in the workbook too, and is accepted.
        #expect(result.out.contains("10 rows read, 1 accepted, 9 rejected"), "\(result.out)")
    }

    @Test func anUnknownSheetIsAUsageErrorAndAKnownOneIsRead() throws {
        let path = Self.fixtures.appendingPathComponent("roster-small.xlsx").path
        let wrong = try CLI.runEnglish(["validate", "--schema", "roster", path, "--sheet", "Nope", "--quiet"])
        #expect(wrong.status == 2)
        #expect(wrong.err.contains("no sheet \"Nope\""), "\(wrong.err)")
        #expect(wrong.err.contains("1 roster-small"))
        let byIndex = try CLI.runEnglish(["validate", "--schema", "roster", path, "--sheet", "1", "--quiet"])
        #expect(byIndex.status == 0, "\(byIndex.err)")
    }

    /// The file crashes FreeXL (SIGSEGV); zizhu ran FreeXL in-process and died with it (exit 139)
    /// before the child process, now it exits 3 with the reason.
    @Test func anXLSThatCrashesFreeXLExitsThreeWithTheReason() throws {
        let path = Self.fixtures.appendingPathComponent("freexl-sst-segv.xls").path
        let result = try CLI.runEnglish(["validate", "--schema", "ledger", path, "--quiet"])
        #expect(result.status == 3, "\(result.err)")
        #expect(result.err.contains("error[ARCHIVE]: the .xls reader stopped on this file (signal 11)"), "\(result.err)")
        let chinese = try CLI.run(["validate", "--schema", "ledger", path, "--quiet"])
        #expect(chinese.status == 3)
        #expect(chinese.err.contains(".xls 读取程序在此文件上中止"), "\(chinese.err)")
    }

    @Test func aWorkbookThatIsNotWellFormedExitsThree() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx-cli")
        defer { folder.cleanUp() }
        // An .xls signature followed by garbage: FreeXL cannot read it.
        let path = try folder.write("bad.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0x41, count: 600))
        let result = try CLI.runEnglish(["validate", "--schema", "roster", path, "--quiet"])
        #expect(result.status == 3, "\(result.err)")
        #expect(result.err.contains("error[ARCHIVE]"), "\(result.err)")
    }

    @Test func aPipelineInputNamesItsSheet() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx-cli")
        defer { folder.cleanUp() }
        let path = Self.fixtures.appendingPathComponent("roster-small.xlsx").path
        func run(_ sheet: String) throws -> (status: Int32, out: String, err: String) {
            let yaml = """
                pipeline: validate
                inputs:
                  data:
                    schema: roster
                    files: ["\(path)"]
                    sheet: "\(sheet)"
                stages:
                  - name: read
                    kind: ingest
                    from: data
                  - name: check
                    kind: validate
                    from: read
                  - name: report
                    kind: validation-report
                    from: check
                output: \(folder.file("out-" + sheet))
                """
            let file = try folder.write("p-\(sheet).yaml", Array(yaml.utf8))
            return try CLI.runEnglish(["run", file, "--quiet"])
        }
        let good = try run("roster-small")
        #expect(good.status == 0, "\(good.err)")
        let bad = try run("名册")
        #expect(bad.status == 2, "\(bad.err)")
        #expect(bad.err.contains("no sheet \"名册\""), "\(bad.err)")
    }

    /// A bank file as a workbook: a merged title row, amounts as numbers, dates as date cells,
    /// the account as text, a 合计 row — read and checked as its CSV would be.
    static func ledgerWorkbook(total: String, in folder: ScratchFolder) throws -> String {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        func text(_ ref: String, _ value: String) -> String { "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(value)</t></is></c>" }
        let titles = ["流水号", "入账日期", "收款账号", "收款人", "交易金额", "处理结果", "备注", "用途"]
        var rows = "<row r=\"1\">" + text("A1", "建设银行代发明细") + "</row><row r=\"2\">"
        for (index, title) in titles.enumerated() { rows += text(String(UnicodeScalar(65 + index)!) + "2", title) }
        rows += "</row>"
        for (row, (serial, account, name, amount)) in [("45241", "6212859549868999296", "何轩俊", "750"),
                                                        ("45241", "6212859708256023958", "韦嘉艳", "625.5")].enumerated() {
            let r = row + 3
            rows += "<row r=\"\(r)\">" + text("A\(r)", "202311110000000\(row + 1)") + "<c r=\"B\(r)\" s=\"1\"><v>\(serial)</v></c>"
                + text("C\(r)", account) + text("D\(r)", name) + "<c r=\"E\(r)\"><v>\(amount)</v></c>"
                + text("F\(r)", "交易成功") + text("H\(r)", "国家助学金") + "</row>"
        }
        rows += "<row r=\"6\">" + text("A6", "合计") + "<c r=\"E6\"><f>SUM(E3:E4)</f><v>\(total)</v></c></row>"
        let sheet = "<worksheet xmlns=\"\(main)\"><sheetData>\(rows)</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:H1\"/></mergeCells></worksheet>"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let entries = [
            ZipEntryData(name: "[Content_Types].xml", bytes: Array("<Types/>".utf8)),
            ZipEntryData(name: "xl/workbook.xml", bytes: Array("<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"代发明细\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
            ZipEntryData(name: "xl/_rels/workbook.xml.rels", bytes: Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".utf8)),
            ZipEntryData(name: "xl/styles.xml", bytes: Array("<styleSheet xmlns=\"\(main)\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>".utf8)),
            ZipEntryData(name: "xl/worksheets/sheet1.xml", bytes: Array(sheet.utf8)),
        ]
        let path = folder.file("ledger-\(total).xlsx")
        try ZipWriter.write(entries: entries, to: path)
        return path
    }

    @Test func aLedgerWorkbookWithATitleRowAndATotalRowIsCheckedLikeItsCSV() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx-cli")
        defer { folder.cleanUp() }
        let good = try CLI.runEnglish(["validate", "--schema", "ledger", try Self.ledgerWorkbook(total: "1375.5", in: folder), "--quiet"])
        #expect(good.status == 0, "\(good.err)")
        #expect(good.out.contains("!代发明细: 2 rows read, 2 accepted, 0 rejected; 1 title line(s) skipped"), "\(good.out)")
        #expect(!good.out.contains("warning"), "\(good.out)")
        let bad = try CLI.runEnglish(["validate", "--schema", "ledger", try Self.ledgerWorkbook(total: "1300", in: folder), "--quiet"])
        #expect(bad.out.contains("the total row (line 6) says 交易金额 1300.00, but the data rows add up to 1375.50"), "\(bad.out)")
    }
}

/// What zizhu writes, zizhu reads: `cleaned.xlsx` and `discrepancies.xlsx` come back through the
/// workbook reader as the rows they hold.
@Suite struct WorkbookRoundTripTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-data")

    @Test func cleanedWorkbookValidatesAgainToTheSameCleanedRows() throws {
        let folder = try ScratchFolder(prefix: "zizhu-roundtrip")
        defer { folder.cleanUp() }
        let roster = Self.sample.appendingPathComponent("city/370100/3701J001/roster.csv").path
        let first = try CLI.runEnglish(["validate", "--schema", "roster", roster, "--out", folder.file("first"), "--unmask", "--quiet"])
        #expect(first.status == 0 || first.status == 1, "\(first.err)")
        let again = try CLI.runEnglish(["validate", "--schema", "roster", folder.file("first/cleaned.xlsx"), "--sheet", "cleaned",
                                 "--out", folder.file("again"), "--unmask", "--quiet"])
        #expect(again.status == 0, "every cleaned row is accepted again: \(again.out) \(again.err)")
        let rows = try CSVTable.read(URL(fileURLWithPath: folder.file("first/cleaned.csv")))
        #expect(rows.count > 100)
        #expect(again.out.contains("\(rows.count) rows read, \(rows.count) accepted, 0 rejected"), "\(again.out)")
        // The second pass normalizes nothing further: the same cleaned rows, byte for byte.
        #expect(try readBytes(folder.file("again/cleaned.csv")) == readBytes(folder.file("first/cleaned.csv")))
    }
}
