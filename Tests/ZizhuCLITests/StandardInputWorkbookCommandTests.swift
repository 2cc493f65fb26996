import Foundation
import Testing
import ZizhuTestSupport

/// `zizhu validate … -` reads a workbook piped in, as it reads CSV. Before, an .xlsx on standard
/// input was refused ("a zip archive, which cannot be read as a stream") and an .xls read as text.
@Suite struct StandardInputWorkbookCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ZizhuIngestTests/Fixtures")

    @Test(arguments: ["roster-small.xlsx", "roster-small.xls"])
    func aWorkbookPipedInIsValidatedAndNamedDash(_ name: String) throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(name))
        let result = try CLI.runEnglish(["validate", "--schema", "roster", "-", "--quiet"], stdin: data)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("-!roster-small: 10 rows read, 10 accepted, 0 rejected; 1 title line(s) skipped"), "\(result.out)")
    }

    @Test func csvPipedInStillStreamsWithItsFirstBytesKept() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("roster-small.csv"))
        let result = try CLI.runEnglish(["validate", "--schema", "roster", "-", "--quiet"], stdin: data)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("-: 10 rows read, 10 accepted, 0 rejected; 1 title line(s) skipped"), "\(result.out)")
    }
}
