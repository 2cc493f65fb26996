import Foundation
import Testing
import ZIPFoundation
import ZizhuHistory
import ZizhuTestSupport

/// The repository's root (holding sample-data/), found from this file.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("zizhu --history, history and findings commands")
struct HistoryCommandTests {
    let finance = root.appendingPathComponent("sample-data/finance")

    func reconcile(out: String, history: String?, secondBatch: Bool = false, environment: [String: String] = [:]) throws
        -> (status: Int32, out: String, err: String) {
        let ledgers = try FileManager.default.contentsOfDirectory(atPath: finance.path).filter { $0.hasPrefix("ledger") }.sorted()
            .map { finance.appendingPathComponent($0).path }
        let batch2 = secondBatch ? [finance.appendingPathComponent("second-batch/payout-2023-12.csv").path] : []
        return try CLI.runEnglish(["reconcile", "--term", "2023-fall", "--approved", finance.appendingPathComponent("approved.csv").path,
                            "--ledger"] + ledgers + batch2 + [
                            "--roster", finance.appendingPathComponent("roster.csv.gz").path,
                            "--allocations", finance.appendingPathComponent("allocations.csv").path,
                            "--out", out, "--quiet"] + (history.map { ["--history", $0] } ?? []), environment: environment)
    }

    @Test("two reconcile runs with a history: the second batch resolves R01 and R10 and adds an R04; columns and diff say so")
    func twoRuns() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history-cli")
        defer { folder.cleanUp() }
        let db = folder.file("history.db")
        let first = try reconcile(out: folder.file("run1"), history: db)
        #expect(first.status == 1, "\(first.err)")
        let rows1 = try CSVTable.read(URL(fileURLWithPath: folder.file("run1/discrepancies.csv")))
        #expect(!rows1.isEmpty)
        #expect(rows1.allSatisfy { $0["status"] == "new" && !($0["first_seen"] ?? "").isEmpty && $0["note"] == "" })
        #expect(try String(contentsOfFile: folder.file("run1/report.html"), encoding: .utf8).contains("first run in the history"))

        let second = try reconcile(out: folder.file("run2"), history: db, secondBatch: true)
        #expect(second.status == 1, "\(second.err)")
        #expect(second.out.contains("since the last run (run 1)"), "\(second.out)")
        let rows2 = try CSVTable.read(URL(fileURLWithPath: folder.file("run2/discrepancies.csv")))
        #expect(!rows2.contains { $0["code"] == "R01" || $0["code"] == "R10" })
        #expect(rows2.filter { $0["status"] == "new" }.map { $0["code"] ?? "" } == ["R04"])
        #expect(rows2.filter { $0["code"] != "R04" }.allSatisfy { $0["status"] == "open" })
        let html = try String(contentsOfFile: folder.file("run2/report.html"), encoding: .utf8)
        #expect(html.contains("1 new, 4 resolved"), "report.html names what changed since the last run")
        // In Chinese (the default) the same counts.
        let chinese = try reconcile(out: folder.file("run3"), history: db, secondBatch: true, environment: ["ZIZHU_LANG": "zh"])
        #expect(chinese.out.contains("自上次运行（第 2 次）以来：新增 0，已解决 0，仍未解决 "), "\(chinese.out)")
        let json = try String(contentsOfFile: folder.file("run2/discrepancies.json"), encoding: .utf8)
        #expect(json.contains("\"first_seen\"") && json.contains("\"status\" : \"open\""))
        // The workbook's 明细 sheet ends with the same three columns.
        let archive = try Archive(url: URL(fileURLWithPath: folder.file("run2/discrepancies.xlsx")), accessMode: .read)
        let entry = try #require(archive["xl/worksheets/sheet2.xml"])
        var sheet = Data()
        _ = try archive.extract(entry) { sheet.append($0) }
        let xml = String(decoding: sheet, as: UTF8.self)
        #expect(xml.contains("<t>status</t>") && xml.contains("<t>first_seen</t>") && xml.contains("<t>note</t>"))
        #expect(xml.components(separatedBy: "<t>open</t>").count - 1 == rows2.filter { $0["status"] == "open" }.count)

        let diff = try CLI.run(["history", "diff", "1", "2", "--history", db, "--format", "csv"])
        #expect(diff.status == 0, "\(diff.err)")
        let changes = CSVTable.rows(diff.out)
        #expect(changes.filter { $0["change"] == "resolved" }.map { $0["code"] ?? "" }.sorted() == ["R01", "R01", "R10", "R10"])
        #expect(changes.filter { $0["change"] == "new" }.map { $0["code"] ?? "" } == ["R04"])
        let table = try CLI.run(["history", "diff", "1", "2", "--history", db])
        #expect(table.out.contains("new 1, resolved 4"))

        let runs = try CLI.run(["history", "runs", "--history", db, "--format", "json"])
        #expect(runs.status == 0)
        #expect(runs.out.contains("\"id\" : 2") && runs.out.contains("\"job\" : \"reconcile\""))
        let show = try CLI.run(["history", "show", "2", "--history", db])
        #expect(show.status == 0 && show.out.contains("R04") && show.out.contains("resolved"))
        #expect(try CLI.run(["history", "show", "9", "--history", db]).status == 2)
    }

    @Test("findings note records a decision that the next run's discrepancies.csv carries")
    func noteSurvivesTheNextRun() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history-cli")
        defer { folder.cleanUp() }
        let db = folder.file("history.db")
        #expect(try reconcile(out: folder.file("run1"), history: db).status == 1)
        let list = try CLI.run(["findings", "list", "--history", db, "--code", "R11", "--format", "csv"])
        #expect(list.status == 0, "\(list.err)")
        let r11 = try #require(CSVTable.rows(list.out).first)
        let id = try #require(r11["id"])
        let note = try CLI.run(["findings", "note", String(id.prefix(10)), "--status", "explained", "--by", "王会计",
                                "--note", "教育局批准延期发放", "--history", db])
        #expect(note.status == 0, "\(note.err)")
        #expect(try CLI.run(["findings", "note", id, "--status", "open", "--by", "王", "--note", "x", "--history", db]).status == 2)
        // The history from the environment, as ZIZHU_HISTORY.
        #expect(try reconcile(out: folder.file("run2"), history: nil, environment: ["ZIZHU_HISTORY": db]).status == 1)
        let rows = try CSVTable.read(URL(fileURLWithPath: folder.file("run2/discrepancies.csv")))
        let row = try #require(rows.first { $0["code"] == "R11" && $0["student_no"] == r11["student_no"] })
        #expect(row["status"] == "explained")
        #expect(row["note"] == "教育局批准延期发放")
        let explained = try CLI.run(["findings", "list", "--status", "explained", "--history", db, "--format", "json"])
        #expect(explained.out.contains("王会计"))
    }

    @Test("without --history the findings files keep the contract's columns")
    func noHistoryNoColumns() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history-cli")
        defer { folder.cleanUp() }
        #expect(try reconcile(out: folder.file("plain"), history: nil, environment: ["ZIZHU_HISTORY": ""]).status == 1)
        let header = try String(contentsOfFile: folder.file("plain/discrepancies.csv"), encoding: .utf8).split(whereSeparator: \.isNewline).first
        #expect(header.map { String($0).replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespacesAndNewlines) }
                == "code,severity,term,school_code,student_no,name,id_number,expected,actual,detail,sources")
        #expect(!FileManager.default.fileExists(atPath: folder.file("plain/history.db")))
    }

    @Test("a run that fails records a failed run and no findings")
    func failedRunIsRecorded() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history-cli")
        defer { folder.cleanUp() }
        let db = folder.file("history.db")
        let broken = try folder.write("ledger.csv", [0x1F, 0x8B, 0x00, 0x01])
        let result = try CLI.run(["reconcile", "--term", "2023-fall", "--approved", finance.appendingPathComponent("approved.csv").path,
                                  "--ledger", broken, "--out", folder.file("out"), "--history", db, "--quiet"])
        #expect(result.status == 3, "\(result.err)")
        let runs = CSVTable.rows(try CLI.run(["history", "runs", "--history", db, "--format", "csv"]).out)
        #expect(runs.map { $0["outcome"] ?? "" } == ["failed"])
        #expect(runs.first?["exit"] == "3")
        #expect(CSVTable.rows(try CLI.run(["findings", "list", "--history", db, "--format", "csv"]).out).isEmpty)
    }

    @Test("history commands without a history are a usage error")
    func noHistoryGiven() throws {
        let result = try CLI.run(["history", "runs"], environment: ["ZIZHU_HISTORY": ""])
        #expect(result.status == 2)
        #expect(result.err.contains("--history"))
    }

    @Test("a merge with a history remembers the packages; the same packages again are no conflict")
    func mergeRemembersPackages() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history-cli")
        defer { folder.cleanUp() }
        let school = root.appendingPathComponent("sample-data/city/370100/3701J001")
        let submit = try CLI.run(["submit", "--term", "2023-fall", "--school-code", "3701J001", "--school-city", "370100",
                                  "--roster", school.appendingPathComponent("roster.csv").path,
                                  "--applications", school.appendingPathComponent("applications.csv").path,
                                  "--out", folder.file("submit"), "--quiet", "--generated-at", "2023-10-30T09:00:00+08:00"])
        #expect(submit.status == 0, "\(submit.err)")
        let package = folder.file("submit/3701J001_2023-fall.zip")
        let db = folder.file("history.db")
        for day in 1...2 {
            let merged = try CLI.run(["merge", "--term", "2023-fall", "--out", folder.file("merge\(day)"), "--history", db, "--quiet", package])
            #expect(merged.status == 0, "\(merged.err)")
            let rows = try CSVTable.read(URL(fileURLWithPath: folder.file("merge\(day)/discrepancies.csv")))
            #expect(!rows.contains { $0["code"] == "M05" })
        }
        let runs = CSVTable.rows(try CLI.run(["history", "runs", "--history", db, "--format", "csv"]).out)
        #expect(runs.map { $0["job"] ?? "" } == ["merge", "merge"])
        #expect(runs.map { $0["scope"] ?? "" } == ["*", "*"])
    }

    @Test("a package with other data received in an earlier run is still M05 today (merge remembers packages)")
    func conflictingResendOnAnotherDay() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history-cli")
        defer { folder.cleanUp() }
        let school = root.appendingPathComponent("sample-data/city/370100/3701J001")
        let submit = try CLI.run(["submit", "--term", "2023-fall", "--school-code", "3701J001", "--school-city", "370100",
                                  "--roster", school.appendingPathComponent("roster.csv").path,
                                  "--applications", school.appendingPathComponent("applications.csv").path,
                                  "--out", folder.file("submit"), "--quiet", "--generated-at", "2023-11-02T09:00:00+08:00"])
        #expect(submit.status == 0, "\(submit.err)")
        // Yesterday's merge received a package of 3701J001 with other data.
        let db = folder.file("history.db")
        let history = try History.open(db)
        var yesterday = RunFacts(job: "merge", scope: HistoryScope(term: "2023-fall", schools: nil), toolVersion: "0.1.0",
                                 startedAt: Date(timeIntervalSince1970: 1_698_800_000), finishedAt: Date(timeIntervalSince1970: 1_698_800_010),
                                 exitStatus: 0)
        yesterday.packages = [PackageRecord(schoolCode: "3701J001", term: "2023-fall", fingerprint: String(repeating: "ab", count: 32),
                                            generatedAt: "2023-10-30T09:00:00+08:00", verdict: "merged",
                                            source: "inbox/3701J001_2023-fall.zip", receivedAt: "2023-11-01T00:53:20Z")]
        _ = try history.record(yesterday, findings: [])
        // English first (the detail's English words), then the same merge in Chinese, the default.
        let merged = try CLI.runEnglish(["merge", "--term", "2023-fall", "--out", folder.file("merge"), "--history", db, "--quiet",
                                         folder.file("submit/3701J001_2023-fall.zip")])
        #expect(merged.status == 0, "\(merged.err)")
        let rows = try CSVTable.read(URL(fileURLWithPath: folder.file("merge/discrepancies.csv")))
        let m05 = try #require(rows.first { $0["code"] == "M05" })
        #expect(m05["school_code"] == "3701J001")
        #expect(m05["status"] == "new")
        #expect((m05["detail"] ?? "").contains("inbox/3701J001_2023-fall.zip received 2023-11-01T00:53:20Z in run 1"))
        #expect((m05["sources"] ?? "").contains("inbox/3701J001_2023-fall.zip"))
        #expect(try history.backend.packages(term: "2023-fall", schoolCode: "3701J001").count == 2)
        let chinese = try CLI.run(["merge", "--term", "2023-fall", "--out", folder.file("merge-zh"), "--history", db, "--quiet",
                                   folder.file("submit/3701J001_2023-fall.zip")])
        #expect(chinese.status == 0, "\(chinese.err)")
        let rowsZh = try CSVTable.read(URL(fileURLWithPath: folder.file("merge-zh/discrepancies.csv")))
        let m05zh = try #require(rowsZh.first { $0["code"] == "M05" })
        #expect((m05zh["detail"] ?? "").contains("之前收到过数据不同的申报包：inbox/3701J001_2023-fall.zip（第 1 次运行于 2023-11-01T00:53:20Z 收到"),
                "\(m05zh["detail"] ?? "")")
    }

    @Test("two processes reconciling into one history at once both record whole runs")
    func twoProcessesAtOnce() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history-cli")
        defer { folder.cleanUp() }
        let db = folder.file("history.db")
        let statuses = StatusBox()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            statuses.set(i, (try? reconcile(out: folder.file("run\(i)"), history: db, secondBatch: i == 1).status) ?? -1)
        }
        #expect(statuses.values == [1, 1])
        let runs = CSVTable.rows(try CLI.run(["history", "runs", "--history", db, "--format", "csv"]).out)
        #expect(runs.map { $0["run"] ?? "" } == ["2", "1"])
        #expect(runs.allSatisfy { $0["outcome"] == "findings" })
        // Whichever ran first, its findings were all new; the other's were seen against them:
        // batch 2 after batch 1 has R04 new and R01 ×2, R10 ×2 resolved; the other way round, the reverse.
        let first = try #require(runs.last)
        #expect(first["new"] == first["findings"])
        let second = try #require(runs.first)
        let change = "\(second["new"] ?? "") \(second["resolved"] ?? "")"
        #expect(change == "1 4" || change == "4 1", "\(second)")
        let shown = CSVTable.rows(try CLI.run(["history", "show", "2", "--history", db, "--format", "csv"]).out)
        #expect(shown.count == (Int(second["findings"] ?? "") ?? -1) + (Int(second["resolved"] ?? "") ?? -1))
    }
}

/// Exit statuses collected from several threads.
final class StatusBox: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [Int: Int32] = [:]
    func set(_ i: Int, _ status: Int32) { lock.lock(); statuses[i] = status; lock.unlock() }
    var values: [Int32] { lock.lock(); defer { lock.unlock() }; return statuses.keys.sorted().compactMap { statuses[$0] } }
}
