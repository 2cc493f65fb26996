import Foundation
import Testing
import ZizhuCore
import ZizhuPipeline
import ZizhuSample
import ZizhuTestSupport

/// `zizhu sample --grant-share`: more grantees (about one bank row per student at 100), the same
/// bytes without it, and planted cases that stay exactly what reconcile and submit report.
@Suite("zizhu sample: --grant-share")
struct SampleGrantShareTests {
    /// Data rows per schema prefix of the finance files, from files.csv.
    private static func financeRows(_ folder: String) throws -> (roster: Int, approved: Int, ledger: Int) {
        var roster = 0, approved = 0, ledger = 0
        for entry in try SampleSupport.fileList(folder) where (entry["path"] ?? "").hasPrefix("finance/") {
            let rows = Int(entry["data_rows"] ?? "") ?? 0
            switch entry["schema"] {
            case "roster": roster += rows
            case "applications": approved += rows
            case "ledger": ledger += rows
            default: break
            }
        }
        return (roster, approved, ledger)
    }

    /// 国家助学金 rows of this term in the approved list.
    private static func grantRows(_ folder: String) throws -> Int {
        let tables = try SamplePlantedTests.tables(folder)
        let approved = try #require(tables["finance/approved.csv"])
        return approved.rows.filter {
            approved.cell($0.cells, approved.column(["资助项目"])) == "国家助学金"
                && approved.cell($0.cells, approved.column(["学期"])) == "2023年秋季学期"
        }.count
    }

    @Test func fullShareGivesAboutOneBankRowPerStudent() throws {
        let students = 1500
        let (plain, _) = try SampleSupport.generate(students: students, seed: 11, name: "plain")
        let (full, report) = try SampleSupport.generate(students: students, seed: 11, name: "full", grantShare: 100)
        defer { SampleSupport.remove(plain); SampleSupport.remove(full) }
        let before = try Self.financeRows(plain)
        let after = try Self.financeRows(full)
        #expect(before.roster == students && after.roster == students, "the roster keeps one row per student")
        #expect(before.ledger < students * 3 / 10, "without the option only grade 1–2 hardship students are paid")
        #expect(after.ledger >= students * 85 / 100 && after.ledger <= students,
                "--grant-share 100: \(after.ledger) bank rows for \(students) students")
        let grants = try Self.grantRows(full)
        #expect(grants >= students * 85 / 100 && grants <= students + 50, "\(grants) grant rows")
        #expect(report.planted == (try SampleSupport.planted(full)).filter { ($0["code"] ?? "").count == 3 }.count)
        let readme = try String(contentsOfFile: full + "/README.md", encoding: .utf8)
        #expect(readme.contains("--grant-share 100"))
    }

    @Test func shareZeroChangesOnlyTheReadmeAndASeedGivesTheSameBytes() throws {
        let (plain, report) = try SampleSupport.generate(students: 400, seed: 7, name: "plain")
        let (zero, again) = try SampleSupport.generate(students: 400, seed: 7, name: "zero", grantShare: 0)
        let (a, _) = try SampleSupport.generate(students: 400, seed: 7, name: "a", grantShare: 60)
        let (b, _) = try SampleSupport.generate(students: 400, seed: 7, name: "b", grantShare: 60)
        defer { for folder in [plain, zero, a, b] { SampleSupport.remove(folder) } }
        #expect(report.files == again.files)
        for file in report.files {
            let same = try SampleSupport.bytes(plain + "/" + file) == SampleSupport.bytes(zero + "/" + file)
            #expect(same == (file != "README.md"), "\(file): the share's draws come after every other draw")
            #expect(try SampleSupport.bytes(a + "/" + file) == SampleSupport.bytes(b + "/" + file), "\(file) differs with one seed")
        }
        #expect(try SampleSupport.bytes(plain + "/finance/approved.csv") != SampleSupport.bytes(a + "/finance/approved.csv"))
    }

    @Test func aShareOutsideZeroToHundredIsAUsageError() throws {
        let folder = try SampleSupport.temporaryFolder("share")
        defer { SampleSupport.remove(folder) }
        for share in [-1, 101] {
            var options = SampleOptions()
            options.students = 200
            options.grantShare = share
            #expect(throws: ZizhuError.self) { try SampleGenerator.write(to: folder, options: options) }
        }
    }

    @Test func plantedFilesStayConsistentAtFullShare() throws {
        let (folder, _) = try SampleSupport.generate(students: 1500, seed: 11, grantShare: 100)
        defer { SampleSupport.remove(folder) }
        try SampleLedgerTests.checkPaidTotals(folder)
    }

    /// The tool itself on a full-share sample: reconcile reports exactly planted.csv's R rows,
    /// and submit, school by school, exactly its S rows.
    /// (Seed 3 once showed an unplanted S06: S10's second application dated after the deadline.)
    @Test(arguments: [UInt64(1), UInt64(3)])
    func reconcileAndSubmitFindExactlyThePlantedCasesAtFullShare(seed: UInt64) throws {
        let (folder, _) = try SampleSupport.generate(students: 2000, seed: seed, grantShare: 100)
        defer { SampleSupport.remove(folder) }
        let planted = try SampleSupport.planted(folder)
        func keys(_ rows: [[String: String]], prefix: String, school: String? = nil) -> Set<String> {
            Set(rows.filter {
                let code = $0["code"] ?? ""
                return code.count == 3 && code.hasPrefix(prefix) && (school == nil || $0["school_code"] == school)
            }.map { "\($0["code"] ?? "") \($0["student_no"] ?? "")" })
        }
        func findings(_ out: String) throws -> [[String: String]] {
            CSVTable.rows(try SampleSupport.text(folder: out, path: "discrepancies.csv", encoding: "UTF-8 with BOM"))
        }
        var options = RunOptions()
        options.quiet = true

        let finance = folder + "/finance"
        let ledgers = try FileManager.default.contentsOfDirectory(atPath: finance)
            .filter { $0.hasPrefix("ledger-") }.sorted().map { finance + "/" + $0 }
        let reconciled = folder + "/out-reconcile"
        _ = try Jobs.reconcile(term: "2023-fall", approved: [finance + "/approved.csv"], ledger: ledgers,
                               roster: [finance + "/roster.csv.gz"], allocations: [finance + "/allocations.csv"],
                               config: nil, out: reconciled, options: options)
        let found = keys(try findings(reconciled), prefix: "R")
        let expected = keys(planted, prefix: "R")
        #expect(Set(expected.map { $0.prefix(3) }).count == 14, "every R-code is planted")
        #expect(found == expected, "reconcile: missing \(expected.subtracting(found).sorted()), unexpected \(found.subtracting(expected).sorted())")

        var schools = 0, submitFindings = 0
        for city in try FileManager.default.contentsOfDirectory(atPath: folder + "/city").sorted() {
            for school in try FileManager.default.contentsOfDirectory(atPath: folder + "/city/" + city).sorted() {
                let files = "\(folder)/city/\(city)/\(school)"
                let out = "\(folder)/out-submit-\(school)"
                _ = try Jobs.submit(term: "2023-fall", schoolCode: school, schoolCity: city,
                                    roster: [files + "/roster.csv"], applications: [files + "/applications.csv"],
                                    config: nil, out: out, options: options)
                let found = keys(try findings(out), prefix: "S")
                let expected = keys(planted, prefix: "S", school: school)
                #expect(found == expected, "submit \(school): missing \(expected.subtracting(found).sorted()), unexpected \(found.subtracting(expected).sorted())")
                schools += 1
                submitFindings += found.count
            }
        }
        #expect(schools >= 3)
        #expect(submitFindings == keys(planted, prefix: "S").count && submitFindings > 20)
    }
}
