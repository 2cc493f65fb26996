import Testing
@testable import ZizhuSchema

/// `EXCEL_ERROR` fires on exactly Excel's error values: the near-misses a clerk might really type
/// (a class name starting with `#`, a value without its mark, lower case) stay data.
@Suite struct ExcelErrorValueTests {
    private func matches(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { ExcelErrorValue.matches($0) }
    }

    @Test func everyErrorValueMatches() {
        for literal in ExcelErrorValue.literals {
            #expect(matches(String(decoding: literal, as: UTF8.self)))
        }
    }

    @Test(arguments: ["#NA", "N/A", "#n/a", "#N/A ", " #N/A", "#REF", "#DIV/0", "#1班", "#N/A#N/A", "#", "", "无"])
    func nearMissesAreData(_ text: String) {
        #expect(!matches(text))
    }

    @Test func theCellIsNamedAsExcelNamesIt() {
        #expect(ExcelErrorValue.cellName(column: 0, line: 7) == "A7")
        #expect(ExcelErrorValue.cellName(column: 25, line: 1) == "Z1")
        #expect(ExcelErrorValue.cellName(column: 26, line: 3) == "AA3")
        #expect(ExcelErrorValue.cellName(column: 701, line: 2) == "ZZ2")
        #expect(ExcelErrorValue.cellName(column: 702, line: 2) == "AAA2")
    }
}
