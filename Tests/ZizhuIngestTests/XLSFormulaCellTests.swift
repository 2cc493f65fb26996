import Foundation
import Testing
@testable import ZizhuIngest
import ZizhuIO
import ZizhuTestSupport

/// FreeXL 1.0.6 skips FORMULA records and reads a BOOLERR error as 0 or 1; `XLSFormulaCells` gives
/// those cells their cached results and error literals.
@Suite struct XLSFormulaCellTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// roster-formulas.xls: LibreOffice saved roster-formulas.fods as "MS Excel 97". C3 is =NA(),
    /// B4 =1/0, B5 ="王"&"五", A6 =2023000+5.
    @Test func formulaResultsAndErrorsOfALibreOfficeXLSAreRead() throws {
        let opened = try InputOpener.open(Self.fixtures.appendingPathComponent("roster-formulas.xls").path)
        let records = try readRecords(try WorkbookReader.selectSheet(opened.inputs[0], sheet: nil))
        #expect(records.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(records[2].cells == ["2023002", "李四", "#N/A", "全日制", "在籍"])
        #expect(records[3].cells == ["2023003", "#DIV/0!", "370102200705173453", "全日制", "在籍"])
        #expect(records[4].cells == ["2023004", "王五", "370102200705184566", "全日制", "在籍"])
        #expect(records[5].cells == ["2023005", "赵六", "370102200707195672", "全日制", "在籍"])
    }

    /// Both places a workbook stream lives: the mini stream (under 4,096 bytes) and sectors of its own.
    @Test(arguments: ["roster-formulas.xls", "roster-small.xls"])
    func theWorkbookStreamIsFoundInALibreOfficeFile(_ name: String) throws {
        let bytes = try readBytes(Self.fixtures.appendingPathComponent(name).path)
        let stream = try #require(CompoundFile(bytes: bytes)?.workbookStream())
        #expect(stream.starts(with: [0x09, 0x08]))
        #expect(XLSFormulaCells.sheetCells(stream, sheetIndex: 0) != nil)
    }

    /// A BIFF8 workbook stream: globals with one BOUNDSHEET, then the sheet's records.
    static func stream(_ sheetRecords: [(UInt16, [UInt8])]) -> [UInt8] {
        func record(_ type: UInt16, _ body: [UInt8]) -> [UInt8] {
            [UInt8(type & 0xFF), UInt8(type >> 8), UInt8(body.count & 0xFF), UInt8(body.count >> 8)] + body
        }
        let bof = record(0x0809, [0x00, 0x06, 0x05, 0x00] + Array(repeating: 0, count: 12))
        let globalsLength = bof.count + 4 + 11 + 4  // BOF, BOUNDSHEET (11 bytes), EOF
        let offset = UInt32(globalsLength)
        let boundsheet = record(0x0085, [UInt8(offset & 0xFF), UInt8(offset >> 8), 0, 0, 0, 0, 2, 0, 0x53, 0x31, 0x20])
        var bytes = bof + boundsheet + record(0x000A, [])
        bytes += record(0x0809, [0x00, 0x06, 0x10, 0x00] + Array(repeating: 0, count: 12))
        for (type, body) in sheetRecords { bytes += record(type, body) }
        return bytes + record(0x000A, [])
    }

    static func cell(_ row: UInt16, _ column: UInt16) -> [UInt8] {
        [UInt8(row & 0xFF), UInt8(row >> 8), UInt8(column & 0xFF), UInt8(column >> 8), 0x0F, 0x00]
    }

    @Test func aBOOLERRErrorConstantIsItsLiteralAndABooleanIsLeftToFreeXL() throws {
        let cells = try #require(XLSFormulaCells.sheetCells(Self.stream([
            (0x0205, Self.cell(1, 2) + [0x2A, 0x01]),   // #N/A typed into C2
            (0x0205, Self.cell(2, 0) + [0x17, 0x01]),   // #REF! in A3
            (0x0205, Self.cell(3, 1) + [0x01, 0x00]),   // TRUE: FreeXL's 1 stands
        ]), sheetIndex: 0))
        #expect(cells == [XLSFormulaCells.Cell(row: 1, column: 2): "#N/A", XLSFormulaCells.Cell(row: 2, column: 0): "#REF!"])
    }

    @Test func formulaRecordsGiveTheirCachedResults() throws {
        let number = Self.cell(0, 0) + withUnsafeBytes(of: (2023005.0).bitPattern.littleEndian) { Array($0) } + [0, 0, 0, 0, 0, 0]
        let error = Self.cell(0, 1) + [0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0xFF, 0xFF] + [0, 0, 0, 0, 0, 0]
        let boolean = Self.cell(0, 2) + [0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF] + [0, 0, 0, 0, 0, 0]
        let string = Self.cell(0, 3) + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF] + [0, 0, 0, 0, 0, 0]
        let empty = Self.cell(0, 4) + [0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF] + [0, 0, 0, 0, 0, 0]
        let cells = try #require(XLSFormulaCells.sheetCells(Self.stream([
            (0x0006, number), (0x0006, error), (0x0006, boolean),
            (0x0006, string), (0x0207, [0x02, 0x00, 0x01, 0x8B, 0x73, 0x94, 0x4E]),  // "王五" in UTF-16LE
            (0x0006, empty),
        ]), sheetIndex: 0))
        #expect(cells[.init(row: 0, column: 0)] == "2023005")
        #expect(cells[.init(row: 0, column: 1)] == "#DIV/0!")
        #expect(cells[.init(row: 0, column: 2)] == "1")
        #expect(cells[.init(row: 0, column: 3)] == "王五")
        #expect(cells[.init(row: 0, column: 4)] == nil)
    }

    @Test func aStreamItCannotFollowGivesNothingExtra() {
        #expect(XLSFormulaCells.sheetCells([0x09, 0x08, 0x10, 0x00, 0x00, 0x05], sheetIndex: 0) == nil)  // BIFF5
        #expect(XLSFormulaCells.sheetCells(Self.stream([(0x0205, [0x01, 0x00])]), sheetIndex: 0) == nil)  // cut short
        #expect(XLSFormulaCells.sheetCells(Self.stream([]), sheetIndex: 1) == nil)  // no second sheet
        #expect(XLSFormulaCells.cells(path: "/nonexistent.xls", sheetIndex: 0).isEmpty)
    }
}
