import Foundation
import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO
import ZizhuTestSupport

/// The workbook readers and writers speak through the catalogue: Chinese by default, the English
/// words as they were.
@Suite struct WorkbookMessageTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    @Test func noWorkbookErrorIsWrittenAsAnEnglishLiteral() throws {
        var offenders: [String] = []
        for folder in ["ZizhuIngest/Workbook", "ZizhuReport/Workbook"] {
            let url = Self.sources.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".swift") {
                let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                    where line.range(of: #"ZizhuError\(\.\w+, ""#, options: .regularExpression) != nil {
                    offenders.append("\(folder)/\(name):\(number + 1)")
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }

    @Test func anUnknownSheetIsNamedInChineseAndInTheSameEnglishAsBefore() throws {
        let input = try XLSXBuilder(rows: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row>").input()
        let error = #expect(throws: ZizhuError.self) { _ = try WorkbookReader.selectSheet(input, sheet: "名册") }
        #expect(error?.code == .usage)
        #expect(error?.message == "the workbook has no sheet \"名册\"")
        #expect(error?.hint(.en) == "its sheets are: 1 Sheet1")
        #expect(error?.message(.zh) == "工作簿中没有工作表「名册」")
        #expect(error?.hint(.zh) == "它的工作表有：1 Sheet1")
    }

    @Test func aDamagedSheetXMLReadsInChinese() throws {
        let input = try XLSXBuilder(rows: "<row r=\"1\"><c r=\"A1\"></row>").input()
        let error = #expect(throws: ZizhuError.self) { _ = try readRecords(try WorkbookReader.selectSheet(input, sheet: nil)) }
        #expect(error?.message.hasPrefix("the workbook part is not well-formed XML: ") == true, "\(String(describing: error))")
        #expect(error?.message(.zh).hasPrefix("工作簿的一个部分不是格式正确的 XML：") == true)
        #expect(error?.hint(.zh) == "工作簿已损坏：请用电子表格软件打开后重新保存")
    }
}
