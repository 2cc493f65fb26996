import Foundation
import Testing
import ZizhuTestSupport

/// `zizhu validate` reads workbooks made by a real spreadsheet program (LibreOffice) like CSV.
@Suite struct WorkbookCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ZizhuIngestTests/Fixtures")

    @Test(arguments: ["roster-small.xlsx", "roster-small.xls"])
    func validateReadsAWorkbookAndNamesItsSheet(_ name: String) throws {
        let path = Self.fixtures.appendingPathComponent(name).path
        let result = try CLI.run(["validate", "--schema", "roster", path, "--quiet"])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("\(path)!roster-small: 10 rows read, 10 accepted, 0 rejected; 1 title line(s) skipped"), "\(result.out)")
    }

    @Test func idsStoredAsNumbersAreRejectedWithTheHintAndTheSheetPosition() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx-cli")
        defer { folder.cleanUp() }
        // roster-numbers.xlsx: the same rows imported by LibreOffice with default column types,
        // so the ids became numbers (as happens when a clerk opens a CSV in Excel and saves it).
        let path = Self.fixtures.appendingPathComponent("roster-numbers.xlsx").path
        let result = try CLI.run(["validate", "--schema", "roster", path, "--out", folder.file("out"), "--quiet"])
        #expect(result.status == 1, "\(result.err)")
        let rejects = String(decoding: try readBytes(folder.file("out/rejects.csv")), as: UTF8.self)
        #expect(rejects.contains("\(path)!roster-numbers,3,身份　证号,***********,ID_SCIENTIFIC_NOTATION"), "\(rejects)")
        #expect(rejects.contains("format the id column as text"))
        // The one id with a letter (…364x) was text in the workbook too, and is accepted.
        #expect(result.out.contains("10 rows read, 1 accepted, 9 rejected"), "\(result.out)")
    }

    @Test func anUnknownSheetIsAUsageErrorAndAKnownOneIsRead() throws {
        let path = Self.fixtures.appendingPathComponent("roster-small.xlsx").path
        let wrong = try CLI.run(["validate", "--schema", "roster", path, "--sheet", "Nope", "--quiet"])
        #expect(wrong.status == 2)
        #expect(wrong.err.contains("no sheet \"Nope\""), "\(wrong.err)")
        #expect(wrong.err.contains("1 roster-small"))
        let byIndex = try CLI.run(["validate", "--schema", "roster", path, "--sheet", "1", "--quiet"])
        #expect(byIndex.status == 0, "\(byIndex.err)")
    }

    @Test func aWorkbookThatIsNotWellFormedExitsThree() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx-cli")
        defer { folder.cleanUp() }
        // An .xls signature followed by garbage: FreeXL cannot read it.
        let path = try folder.write("bad.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0x41, count: 600))
        let result = try CLI.run(["validate", "--schema", "roster", path, "--quiet"])
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
            return try CLI.run(["run", file, "--quiet"])
        }
        let good = try run("roster-small")
        #expect(good.status == 0, "\(good.err)")
        let bad = try run("名册")
        #expect(bad.status == 2, "\(bad.err)")
        #expect(bad.err.contains("no sheet \"名册\""), "\(bad.err)")
    }
}
