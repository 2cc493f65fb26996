import Foundation
import Testing
import ZizhuCore
import ZizhuSample

@Suite("zizhu sample: planted cases")
struct SamplePlantedTests {
    static let everyCode = (1...14).map { "R" + String(format: "%02d", $0) } + (1...11).map { "S" + String(format: "%02d", $0) }

    /// Id text of a cell as the tool reads it: the canonical 18 characters, nil when unreadable.
    static func canonicalId(_ cell: String) -> String? {
        if case .success(let id) = ResidentID.parse(cell) { return id.string }
        return nil
    }

    static func sources(_ record: [String: String]) -> [(file: String, line: Int)] {
        (record["sources"] ?? "").split(separator: ";").compactMap { source in
            guard let colon = source.lastIndex(of: ":"), let line = Int(source[source.index(after: colon)...]) else { return nil }
            return (String(source[..<colon]), line)
        }
    }

    static func tables(_ folder: String) throws -> [String: SampleTable] {
        var tables: [String: SampleTable] = [:]
        for entry in try SampleSupport.fileList(folder)
        where ["roster", "applications", "ledger", "allocations"].contains(entry["schema"] ?? "") {
            let table = try SampleTable(folder: folder, entry: entry)
            tables[table.path] = table
        }
        return tables
    }

    @Test(arguments: [(Term(year: 2023, season: .fall), UInt64(1)), (Term(year: 2024, season: .spring), UInt64(9))])
    func plantedListsEveryReconcileAndSubmitCode(term: Term, seed: UInt64) throws {
        let (folder, report) = try SampleSupport.generate(students: 300, seed: seed, term: term)
        defer { SampleSupport.remove(folder) }
        let planted = try SampleSupport.planted(folder)
        let codes = Set(planted.compactMap { $0["code"] })
        for code in Self.everyCode + ["M01", "M03", "REJECT", "NEAR", "TOTAL_MISMATCH"] {
            #expect(codes.contains(code), "\(code) is not planted for \(term)")
        }
        #expect(report.planted == planted.filter { ($0["code"] ?? "").count == 3 }.count)
        // Every finding but the unmatched R02 row and the per-school R14/M03 names a student.
        for record in planted where (record["code"] ?? "").count == 3 && record["code"] != "R14" && record["code"] != "M03" {
            if record["code"] == "R02" && record["student_no"] == "" { continue }
            let id = record["id_number"] ?? ""
            #expect(Self.canonicalId(id) == id, "\(record["code"] ?? ""): id \(id) is not a valid 18-character id")
            #expect(record["student_no"]?.isEmpty == false)
        }
    }

    @Test func everySourcePointsAtARowOfTheStudent() throws {
        let (folder, _) = try SampleSupport.generate(students: 400, seed: 2)
        defer { SampleSupport.remove(folder) }
        let tables = try Self.tables(folder)
        let planted = try SampleSupport.planted(folder)
        for record in planted {
            let sources = Self.sources(record)
            #expect(!sources.isEmpty, "\(record["code"] ?? "") \(record["note"] ?? "") has no sources")
            for source in sources {
                if source.file == "schools.csv" { continue }
                let table = try #require(tables[source.file], "\(source.file) is not an input")
                let row = try #require(table.rows.first { $0.line == source.line } ?? (record["code"] == "TOTAL_MISMATCH" ? (source.line, []) : nil),
                                       "\(source.file):\(source.line) is no data row")
                let id = record["id_number"] ?? ""
                let idColumn = table.column(SampleSupport.idTitles)
                if !id.isEmpty, idColumn != nil, record["code"] != "REJECT",
                   let read = Self.canonicalId(table.cell(row.cells, idColumn)) {
                    #expect(read == id, "\(source.file):\(source.line) belongs to another student")
                }
            }
        }
    }

    @Test func rejectRowsHoldTheUnreadableValues() throws {
        let (folder, _) = try SampleSupport.generate(students: 300, seed: 1)
        defer { SampleSupport.remove(folder) }
        let tables = try Self.tables(folder)
        let rejects = try SampleSupport.planted(folder).filter { $0["code"] == "REJECT" }
        #expect(rejects.count >= 8)
        var seen: Set<String> = []
        for record in rejects {
            let source = try #require(Self.sources(record).first)
            let table = try #require(tables[source.file])
            let row = try #require(table.rows.first { $0.line == source.line })
            let cells = row.cells.joined(separator: "|")
            for marker in ["E+17", "12.345", "-02-30"] where cells.contains(marker) { seen.insert(marker) }
            let id = table.cell(row.cells, table.column(SampleSupport.idTitles))
            if Self.canonicalId(id) == nil && !id.contains("E+") { seen.insert("checksum") }
            if row.cells.contains("") { seen.insert("empty") }
        }
        #expect(seen.isSuperset(of: ["E+17", "12.345", "-02-30", "checksum", "empty"]))
    }

    @Test func idsOutsideRejectRowsAreReadable() throws {
        let (folder, _) = try SampleSupport.generate(students: 800, seed: 4)
        defer { SampleSupport.remove(folder) }
        let tables = try Self.tables(folder)
        let planted = try SampleSupport.planted(folder)
        var excused: Set<String> = []
        for record in planted where record["code"] == "REJECT" || (record["note"] ?? "").contains("E+17 is a warning") {
            for source in Self.sources(record) { excused.insert("\(source.file):\(source.line)") }
        }
        var checked = 0
        for table in tables.values {
            guard let idColumn = table.column(SampleSupport.idTitles) else { continue }
            let typeColumn = table.column(["证件类型"])
            for row in table.rows where !excused.contains("\(table.path):\(row.line)") {
                let cell = table.cell(row.cells, idColumn)
                if table.cell(row.cells, typeColumn) == "护照" { continue }
                #expect(Self.canonicalId(cell) != nil, "\(table.path):\(row.line): id \(cell) does not pass the check")
                checked += 1
            }
        }
        #expect(checked > 2000)
    }

    @Test func fifteenDigitIdUpgradesToTheIdUsedElsewhere() throws {
        let (folder, _) = try SampleSupport.generate(students: 300, seed: 1)
        defer { SampleSupport.remove(folder) }
        let tables = try Self.tables(folder)
        let finance = try #require(tables["finance/roster.csv.gz"])
        let cases = try SampleSupport.planted(folder).filter { ($0["note"] ?? "").hasPrefix("15-digit") }
        #expect(cases.count == 2)
        for record in cases {
            let source = try #require(Self.sources(record).first)
            let roster = try #require(tables[source.file])
            let row = try #require(roster.rows.first { $0.line == source.line })
            let written = TextNormalizer.normalize(roster.cell(row.cells, roster.column(SampleSupport.idTitles)), mode: .compact)
            #expect(written.count == 15)
            let upgraded = try #require(Self.canonicalId(written))
            #expect(upgraded == record["id_number"])
            // The finance roster carries the 18-digit id on the row of the same student number.
            let studentNo = roster.cell(row.cells, roster.column(SampleSupport.studentNoTitles))
            let other = try #require(finance.rows.first { finance.cell($0.cells, finance.column(SampleSupport.studentNoTitles)) == studentNo })
            #expect(finance.cell(other.cells, finance.column(SampleSupport.idTitles)) == upgraded)
        }
    }

    @Test func duplicateIdsInASchoolRosterAreExactlyThePlantedS01() throws {
        let (folder, _) = try SampleSupport.generate(students: 900, seed: 6)
        defer { SampleSupport.remove(folder) }
        let tables = try Self.tables(folder)
        let planted = try SampleSupport.planted(folder)
        var duplicates: Set<String> = []
        for (path, table) in tables where path.hasPrefix("city/") && path.hasSuffix("roster.csv") {
            var seen: Set<String> = []
            for row in table.rows {
                guard let id = Self.canonicalId(table.cell(row.cells, table.column(SampleSupport.idTitles))) else { continue }
                if !seen.insert(id).inserted { duplicates.insert(id) }
            }
        }
        let s01 = Set(planted.filter { $0["code"] == "S01" }.compactMap { $0["id_number"] })
        #expect(!s01.isEmpty)
        #expect(duplicates == s01)
    }

    @Test func applicantsAreEnrolledInTheirSchoolRosterUnlessPlantedS03() throws {
        let (folder, _) = try SampleSupport.generate(students: 900, seed: 6)
        defer { SampleSupport.remove(folder) }
        let tables = try Self.tables(folder)
        let planted = try SampleSupport.planted(folder)
        let s03 = Set(planted.filter { $0["code"] == "S03" }.compactMap { $0["id_number"] })
        let rejected = Set(planted.filter { $0["code"] == "REJECT" }.flatMap { Self.sources($0).map { "\($0.file):\($0.line)" } })
        var unenrolled: Set<String> = []
        for (path, applications) in tables where path.hasPrefix("city/") && path.hasSuffix("applications.csv") {
            let roster = try #require(tables[path.replacingOccurrences(of: "applications.csv", with: "roster.csv")])
            var enrolled: Set<String> = []
            for row in roster.rows where !rejected.contains("\(roster.path):\(row.line)") {
                let status = roster.cell(row.cells, roster.column(["学籍状态"]))
                if ["在籍", "在校", "复学"].contains(status),
                   let id = Self.canonicalId(roster.cell(row.cells, roster.column(SampleSupport.idTitles))) {
                    enrolled.insert(id)
                }
            }
            for row in applications.rows where !rejected.contains("\(path):\(row.line)") {
                if let id = Self.canonicalId(applications.cell(row.cells, applications.column(SampleSupport.idTitles))),
                   !enrolled.contains(id) {
                    unenrolled.insert(id)
                }
            }
        }
        #expect(unenrolled == s03)
    }
}
