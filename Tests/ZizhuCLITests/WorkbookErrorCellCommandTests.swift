import Foundation
import Testing
import ZizhuIO
import ZizhuTestSupport

/// A cell holding one of Excel's error values (`#N/A`, `#VALUE!` …) is no data: the row is
/// rejected with `EXCEL_ERROR`, the cell named as Excel names it, whatever the field's type.
@Suite struct WorkbookErrorCellCommandTests {
    static let titles = ["学籍号", "姓名", "身份证号", "学习形式", "学籍状态"]

    /// A roster sheet `名册` whose rows are given cell by cell; a cell `e:#N/A` is an error cell
    /// (`t="e"`), any other an inline string.
    static func roster(_ rows: [[String]], in folder: ScratchFolder) throws -> String {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        func cell(_ ref: String, _ value: String) -> String {
            if value.hasPrefix("e:") { return "<c r=\"\(ref)\" t=\"e\"><f>VLOOKUP(A1,Z:Z,2,0)</f><v>\(value.dropFirst(2))</v></c>" }
            return "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(value)</t></is></c>"
        }
        var xml = ""
        for (index, row) in ([titles] + rows).enumerated() {
            xml += "<row r=\"\(index + 1)\">"
            for (column, value) in row.enumerated() { xml += cell(String(UnicodeScalar(65 + column)!) + String(index + 1), value) }
            xml += "</row>"
        }
        let entries = [
            ZipEntryData(name: "[Content_Types].xml", bytes: Array("<Types/>".utf8)),
            ZipEntryData(name: "xl/workbook.xml", bytes: Array("<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"名册\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
            ZipEntryData(name: "xl/_rels/workbook.xml.rels", bytes: Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".utf8)),
            ZipEntryData(name: "xl/worksheets/sheet1.xml", bytes: Array("<worksheet xmlns=\"\(main)\"><sheetData>\(xml)</sheetData></worksheet>".utf8)),
        ]
        let path = folder.file("errors.xlsx")
        try ZipWriter.write(entries: entries, to: path)
        return path
    }

    @Test func errorCellsRejectTheirRowWithTheirOwnRuleAndTheCellName() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx-errors")
        defer { folder.cleanUp() }
        let path = try Self.roster([
            ["2023001", "张三", "370102200703151234", "全日制", "在籍"],
            ["2023002", "李四", "e:#N/A", "全日制", "在籍"],          // an id field
            ["2023003", "e:#VALUE!", "370102200705173453", "全日制", "在籍"],  // a name (text) field
            ["2023004", "王五", "370102200706184568", "e:#REF!", "在籍"],   // a coded field
        ], in: folder)
        let result = try CLI.runEnglish(["validate", "--schema", "roster", path, "--out", folder.file("out"), "--quiet"])
        #expect(result.status == 1, "\(result.err)")
        #expect(result.out.contains("4 rows read, 1 accepted, 3 rejected"), "\(result.out)")
        let rejects = try CSVTable.read(URL(fileURLWithPath: folder.file("out/rejects.csv")))
        func has(_ row: [String: String], _ cell: String, _ literal: String) -> Bool {
            let message = row["message"] ?? ""
            return message.contains(cell) && message.contains(literal) && row["value"] == literal
        }
        let excel = rejects.filter { $0["rule"] == "EXCEL_ERROR" }
        #expect(excel.count == 3, "\(rejects)")
        // Positions: the sheet, the row, the column; the message names the cell as Excel does.
        #expect(excel.contains { $0["file"] == "\(path)!名册" && $0["line"] == "3" && has($0, "C3", "#N/A") }, "\(excel)")
        #expect(excel.contains { $0["line"] == "4" && has($0, "B4", "#VALUE!") }, "\(excel)")
        #expect(excel.contains { $0["line"] == "5" && has($0, "D5", "#REF!") }, "\(excel)")
        #expect(excel.allSatisfy { ($0["hint"] ?? "").contains("formula") }, "the hint says what to fix: \(excel)")
        // Only the error cell is reported for the row: not a second reject for the same cell.
        #expect(rejects.filter { $0["line"] == "3" }.count == 1, "\(rejects)")
    }

    /// An .xls saved by LibreOffice: FreeXL skips formulas, so before XLSFormulaCells the error cells
    /// were empty (a missing-value reject at best) and the string formula's 王五 was lost.
    @Test func errorCellsOfAnXLSRejectTheirRowWithEXCELERROR() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xls-errors")
        defer { folder.cleanUp() }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ZizhuIngestTests/Fixtures/roster-formulas.xls").path
        let result = try CLI.runEnglish(["validate", "--schema", "roster", path, "--out", folder.file("out"), "--quiet"])
        #expect(result.status == 1, "\(result.err)")
        #expect(result.out.contains("5 rows read, 3 accepted, 2 rejected"), "\(result.out)")
        let rejects = try CSVTable.read(URL(fileURLWithPath: folder.file("out/rejects.csv")))
        #expect(rejects.count == 2, "\(rejects)")
        #expect(rejects.contains { $0["file"] == "\(path)!名册" && $0["line"] == "3" && $0["rule"] == "EXCEL_ERROR"
            && $0["value"] == "#N/A" && ($0["message"] ?? "").contains("C3") }, "\(rejects)")
        #expect(rejects.contains { $0["line"] == "4" && $0["rule"] == "EXCEL_ERROR" && $0["value"] == "#DIV/0!"
            && ($0["message"] ?? "").contains("B4") }, "\(rejects)")
    }

    @Test(arguments: ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"])
    func eachExcelErrorValueSavedAsCSVIsRejectedToo(_ literal: String) throws {
        let folder = try ScratchFolder(prefix: "zizhu-csv-errors")
        defer { folder.cleanUp() }
        let csv = Self.titles.joined(separator: ",") + "\n2023001,张三,370102200703151234,全日制,在籍\n2023002,\(literal),370102200704162349,全日制,在籍\n"
        let path = try folder.write("roster.csv", Array(csv.utf8))
        let result = try CLI.runEnglish(["validate", "--schema", "roster", path, "--out", folder.file("out"), "--quiet"])
        #expect(result.status == 1, "\(result.err)")
        let rejects = try CSVTable.read(URL(fileURLWithPath: folder.file("out/rejects.csv")))
        #expect(rejects.contains { $0["line"] == "3" && $0["rule"] == "EXCEL_ERROR" && ($0["message"] ?? "").contains("B3") }, "\(rejects)")
    }
}

@Suite struct WorkbookErrorCellChineseTests {
    @Test func theErrorCellRejectReadsInChineseByDefault() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        let path = folder.file("roster.csv")
        try Data("学籍号,姓名,身份证号,学习形式,学籍状态\n2023002,李四,#N/A,全日制,在籍\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = try CLI.run(["validate", "--schema", "roster", path, "--out", folder.file("out"), "--quiet"],
                                 environment: ["ZIZHU_LANG": "zh"])
        #expect(result.status == 1, "\(result.err)")
        let rejects = try CSVTable.read(URL(fileURLWithPath: folder.file("out/rejects.csv")))
        let excel = rejects.filter { $0["rule"] == "EXCEL_ERROR" }
        #expect(excel.count == 1, "\(rejects)")
        #expect(excel.first?["message"]?.contains("Excel 的错误值 #N/A") == true, "\(excel)")
        #expect(excel.first?["hint"]?.contains("公式") == true, "\(excel)")
    }
}
