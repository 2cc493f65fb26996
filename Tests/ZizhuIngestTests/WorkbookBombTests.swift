import Foundation
import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO
import ZizhuTestSupport

/// A zip bomb dressed as a workbook: a sheet (or the shared strings) that inflates a thousand-fold
/// is refused with a clear error before it is inflated, whichever part it hides in.
@Suite struct WorkbookBombTests {
    /// 24 MiB of white space between two rows: valid XML, deflated over 1000 : 1 by any zip writer.
    static let padding = String(repeating: " ", count: 24 << 20)

    @Test func aSheetThatInflatesAThousandFoldIsRefused() throws {
        let book = XLSXBuilder(rows: #"<row r="1"><c r="A1"><v>1</v></c></row>"# + Self.padding + #"<row r="2"><c r="A2"><v>2</v></c></row>"#)
        let input = try book.input(name: "bomb.xlsx")
        let error = #expect(throws: ZizhuError.self) { _ = try readRecords(input, sheet: "Sheet1") }
        #expect(error?.code == .limitExceeded, "\(String(describing: error))")
        #expect(error?.code.exitStatus == 3)
        #expect(error?.message.contains("ratio") == true, "\(String(describing: error))")
    }

    @Test func sharedStringsThatInflateAThousandFoldAreRefused() throws {
        var book = XLSXBuilder(rows: #"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
        book.sharedXML = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>x</t></si>" + Self.padding + "</sst>"
        let input = try book.input(name: "bomb.xlsx")
        let error = #expect(throws: ZizhuError.self) { _ = try readRecords(input, sheet: "Sheet1") }
        #expect(error?.code == .limitExceeded, "\(String(describing: error))")
        #expect(error?.message.contains("ratio") == true, "\(String(describing: error))")
    }
}
