import Foundation
import Testing
import ZizhuCore
import ZizhuSample

@Suite("zizhu sample: files and encodings")
struct SampleFilesTests {
    @Test func everyListedFileDecodesInItsDeclaredEncodingWithTheDeclaredRowCount() throws {
        let (folder, report) = try SampleSupport.generate(students: 600, seed: 3)
        defer { SampleSupport.remove(folder) }
        let entries = try SampleSupport.fileList(folder)
        let encodings = Set(entries.compactMap { $0["encoding"] })
        #expect(encodings.isSuperset(of: ["GB18030", "UTF-8", "UTF-8 with BOM"]))
        #expect(Set(entries.compactMap { $0["delimiter"] }) == ["comma", "tab"])
        for entry in entries where entry["schema"].map({ ["roster", "applications", "ledger", "allocations"].contains($0) }) == true {
            let table = try SampleTable(folder: folder, entry: entry)
            #expect(table.rows.count == Int(entry["data_rows"] ?? ""), "\(table.path): row count")
            #expect(table.header.count >= 3, "\(table.path): header")
            // Every data row has as many cells as the header (a short or long row is a CSV bug).
            for row in table.rows {
                #expect(row.cells.count == table.header.count, "\(table.path):\(row.line) has \(row.cells.count) cells")
            }
        }
        // Every written file is listed in the report, and every non-zip input in files.csv exists.
        for entry in entries {
            let path = entry["path"] ?? ""
            let file = path.split(separator: "!").first.map(String.init) ?? path
            #expect(report.files.contains(file), "\(file) written but not reported")
        }
    }

    @Test func gb18030FilesAreNotUTF8() throws {
        let (folder, _) = try SampleSupport.generate(students: 300, seed: 1)
        defer { SampleSupport.remove(folder) }
        let gb = try SampleSupport.fileList(folder).filter { $0["encoding"] == "GB18030" && !($0["path"] ?? "").hasSuffix(".gz") }
        #expect(!gb.isEmpty)
        for entry in gb {
            let raw = try SampleSupport.bytes(folder + "/" + (entry["path"] ?? ""))
            #expect(String(validating: raw, as: UTF8.self) == nil, "\(entry["path"] ?? "") should hold GB18030 bytes")
        }
    }

    @Test func schoolFoldersSitInTheirCityAndOneListedSchoolHasNone() throws {
        let (folder, _) = try SampleSupport.generate(students: 300, seed: 1)
        defer { SampleSupport.remove(folder) }
        let schools = SampleSupport.parseCSV(try SampleSupport.text(folder: folder, path: "schools.csv", encoding: "UTF-8"))
        #expect(schools.first == ["school_code", "school_name", "city_code", "city_name"])
        var folders: [String] = []
        for city in try FileManager.default.contentsOfDirectory(atPath: folder + "/city") {
            for school in try FileManager.default.contentsOfDirectory(atPath: folder + "/city/" + city) {
                folders.append(city + "/" + school)
            }
        }
        #expect(schools.count - 1 == folders.count + 1)
        let missing = schools.dropFirst().filter { !folders.contains($0[2] + "/" + $0[0]) }
        #expect(missing.count == 1)
    }

    @Test func financeRosterHasOneRowPerStudentWithUniqueIds() throws {
        let (folder, report) = try SampleSupport.generate(students: 500, seed: 5)
        defer { SampleSupport.remove(folder) }
        let entry = try #require(try SampleSupport.fileList(folder).first { $0["path"] == "finance/roster.csv.gz" })
        let table = try SampleTable(folder: folder, entry: entry)
        #expect(table.rows.count == report.students)
        let ids = table.rows.map { table.cell($0.cells, table.column(SampleSupport.idTitles)) }
        #expect(Set(ids).count == ids.count)
    }

    @Test func rejectsTooFewStudentsAndTooManySchools() throws {
        let folder = try SampleSupport.temporaryFolder("usage")
        defer { SampleSupport.remove(folder) }
        var options = SampleOptions()
        options.students = 99
        #expect(throws: ZizhuError.self) { try SampleGenerator.write(to: folder, options: options) }
        options.students = 300
        options.schools = 16
        #expect(throws: ZizhuError.self) { try SampleGenerator.write(to: folder, options: options) }
        options.schools = 2
        #expect(throws: ZizhuError.self) { try SampleGenerator.write(to: folder, options: options) }
    }
}
