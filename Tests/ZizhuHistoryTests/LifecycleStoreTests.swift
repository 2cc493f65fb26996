import Foundation
import Testing
import ZizhuCore
import ZizhuHistory
import ZizhuTestSupport

/// Ids and accounts of the test findings: valid in shape, so masking recognises them.
let idA1 = "11010519491231002X"
let idA2 = "370102200001011234"
let idB1 = "440301199912312345"
let accountA1 = "6217001234567890123"

func day(_ n: Int) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400) }

func runFacts(job: String = "reconcile", term: String = "2023-fall", schools: [String]? = ["A"], on n: Int,
              exit: Int = 1) -> RunFacts {
    RunFacts(job: job, scope: HistoryScope(term: term, schools: schools), toolVersion: "test", configHash: "c0ffee",
             command: "zizhu reconcile", startedAt: day(n), finishedAt: day(n).addingTimeInterval(5), exitStatus: exit,
             inputs: [(name: "ledger.csv", bytes: 120, sha256: String(repeating: "ab", count: 32))],
             totals: ["ledger.amount": 200_000])
}

func finding(_ code: String, school: String = "A", no: String, id: String, expected: String = "1000.00",
             actual: String = "0.00", detail: String = "") -> Discrepancy {
    Discrepancy(code: code, term: "2023-fall", schoolCode: school, studentNo: no, name: "张三", idNumber: id,
                expected: expected, actual: actual, detail: detail, sources: ["ledger.csv:\(no)"])
}

@Suite("History: the life of a finding, on every store")
struct LifecycleStoreTests {
    @Test("a first run marks every finding new, first seen at the run", arguments: StoreFactory.all)
    func firstRunIsNew(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let recorded = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1),
                                                                          finding("R10", no: "2", id: idA2)])
            #expect(recorded.run.id == 1)
            #expect(recorded.run.newCount == 2)
            #expect(recorded.previousRunID == nil)
            #expect(recorded.annotations.map(\.status) == [.new, .new])
            #expect(recorded.annotations.allSatisfy { $0.firstSeen == HistoryLifecycle.timestamp(day(1)) })
            let stored = try history.backend.findings(FindingFilter())
            #expect(stored.count == 2)
            #expect(stored.allSatisfy { $0.status == .new && $0.firstSeenRun == 1 })
        }
    }

    @Test("seen again is open; absent from a covering run is resolved; seen after that is reopened",
          arguments: StoreFactory.all)
    func openResolvedReopened(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let r10 = finding("R10", no: "2", id: idA2, expected: "1000.00", actual: "0.00")
            _ = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1), r10])
            let second = try history.record(runFacts(on: 2), findings: [r10])
            #expect(second.annotations.map(\.status) == [.open])
            #expect(second.annotations.first?.firstSeen == HistoryLifecycle.timestamp(day(1)))
            #expect(second.run.openCount == 1 && second.run.resolvedCount == 1 && second.run.newCount == 0)
            #expect(second.previousRunID == 1)
            let resolved = try history.backend.findings(FindingFilter(statuses: [.resolved]))
            #expect(resolved.map(\.code) == ["R01"])
            #expect(resolved.first?.resolvedRun == 2)
            let occurrences = try history.backend.occurrences(ofRun: 2)
            #expect(occurrences.filter { !$0.present }.map(\.display.code) == ["R01"])

            // The failed payment was reissued: R10 gone; the unpaid student is back.
            let third = try history.record(runFacts(on: 3), findings: [finding("R01", no: "1", id: idA1)])
            #expect(third.annotations.map(\.status) == [.reopened])
            #expect(third.annotations.first?.firstSeen == HistoryLifecycle.timestamp(day(1)))
            #expect(third.run.reopenedCount == 1 && third.run.resolvedCount == 1)
            let fourth = try history.record(runFacts(on: 4), findings: [finding("R01", no: "1", id: idA1)])
            #expect(fourth.annotations.map(\.status) == [.open])
        }
    }

    @Test("an explained finding stays explained, with its note, until its facts change", arguments: StoreFactory.all)
    func explainedUntilFactsChange(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let late = finding("R11", no: "3", id: idA1, expected: "2023-09-01..2024-02-29", actual: "2024-03-05")
            let first = try history.record(runFacts(on: 1), findings: [late])
            let id = try #require(first.annotations.first?.id)
            let decided = try history.note(findingID: String(id.prefix(8)), status: .explained, by: "王会计",
                                           note: "教育局批准延期发放", at: day(1))
            #expect(decided.status == .explained)
            #expect(decided.id == id)

            let second = try history.record(runFacts(on: 2), findings: [late])
            #expect(second.annotations.first?.status == .explained)
            #expect(second.annotations.first?.note == "教育局批准延期发放")
            #expect(second.run.decidedCount == 1)
            let third = try history.record(runFacts(on: 3), findings: [late])
            #expect(third.annotations.first?.status == .explained)

            var changed = late
            changed.actual = "2024-03-20"
            let fourth = try history.record(runFacts(on: 4), findings: [changed])
            #expect(fourth.annotations.first?.status == .open)
            // The note is kept: it tells what was decided before the facts changed.
            #expect(fourth.annotations.first?.note == "教育局批准延期发放")
            let notes = try history.backend.notes(ofFinding: id)
            #expect(notes.map(\.by) == ["王会计"])
            #expect(notes.map(\.status) == [.explained])
        }
    }

    @Test("an accepted finding keeps its decision and every note across runs", arguments: StoreFactory.all)
    func acceptedSurvives(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let shared = finding("R06", no: "4", id: idA2, expected: "one student", actual: "2 students")
            let first = try history.record(runFacts(on: 1), findings: [shared])
            let id = try #require(first.annotations.first?.id)
            _ = try history.note(findingID: id, status: .explained, by: "李", note: "查证中", at: day(1))
            _ = try history.note(findingID: id, status: .accepted, by: "王", note: "双胞胎共用监护人卡，已核实", at: day(2))
            for n in 3...5 {
                let run = try history.record(runFacts(on: n), findings: [shared])
                #expect(run.annotations.first?.status == .accepted)
                #expect(run.annotations.first?.note == "双胞胎共用监护人卡，已核实")
            }
            #expect(try history.backend.notes(ofFinding: id).map(\.seq) == [1, 2])
            #expect(try history.backend.findings(FindingFilter(statuses: [.accepted])).map(\.id) == [id])
        }
    }

    @Test("a decision is explained or accepted, with a name and a note; an unknown id is refused", arguments: StoreFactory.all)
    func decisionsAreChecked(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let first = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])
            let id = try #require(first.annotations.first?.id)
            #expect(throws: ZizhuError.self) { try history.note(findingID: id, status: .resolved, by: "王", note: "x") }
            #expect(throws: ZizhuError.self) { try history.note(findingID: id, status: .accepted, by: " ", note: "x") }
            #expect(throws: ZizhuError.self) { try history.note(findingID: "ffffffffffffffff", status: .accepted, by: "王", note: "x") }
            #expect(try history.backend.findings(FindingFilter()).first?.status == .new)
        }
    }

    @Test("a run over school A does not resolve school B's findings, nor another job's", arguments: StoreFactory.all)
    func scope(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            _ = try history.record(runFacts(schools: ["A", "B"], on: 1),
                                   findings: [finding("R01", school: "A", no: "1", id: idA1),
                                              finding("R01", school: "B", no: "7", id: idB1)])
            _ = try history.record(runFacts(job: "submit", schools: ["A"], on: 2, exit: 0), findings: [])
            #expect(try history.backend.findings(FindingFilter(statuses: [.resolved])).isEmpty)
            let overA = try history.record(runFacts(schools: ["A"], on: 3, exit: 0), findings: [])
            #expect(overA.run.resolvedCount == 1)
            let resolved = try history.backend.findings(FindingFilter(statuses: [.resolved]))
            #expect(resolved.map(\.schoolCode) == ["A"])
            #expect(try history.backend.findings(FindingFilter(schoolCode: "B")).map(\.status) == [.new])
            // Another term is another scope.
            _ = try history.record(runFacts(term: "2024-spring", schools: nil, on: 4, exit: 0), findings: [])
            #expect(try history.backend.findings(FindingFilter(schoolCode: "B")).map(\.status) == [.new])
            // A run over every school of the term resolves B's.
            let all = try history.record(runFacts(schools: nil, on: 5, exit: 0), findings: [])
            #expect(all.run.resolvedCount == 1)
        }
    }

    @Test("a failed run records a failed run, not findings", arguments: StoreFactory.all)
    func failedRun(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            _ = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])
            let failed = try history.recordFailure(runFacts(on: 2, exit: 3), reason: "ledger.csv: cannot read \(idA2)")
            #expect(failed.outcome == "failed")
            #expect(failed.exitStatus == 3)
            #expect(!failed.error.contains(idA2))
            #expect(try history.backend.occurrences(ofRun: failed.id).isEmpty)
            #expect(try history.backend.inputs(ofRun: failed.id).map(\.name) == ["ledger.csv"])
            // Nothing was resolved by the failed run; the next good run sees the finding again.
            #expect(try history.backend.findings(FindingFilter()).map(\.status) == [.new])
            let next = try history.record(runFacts(on: 3), findings: [finding("R01", no: "1", id: idA1)])
            #expect(next.annotations.map(\.status) == [.open])
            #expect(next.previousRunID == 1)
            #expect(try history.backend.runs().map(\.id) == [3, 2, 1])
        }
    }

    @Test("a run stores its job, term, scope, inputs, counts and totals", arguments: StoreFactory.all)
    func runFactsAreStored(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let recorded = try history.record(runFacts(schools: ["B", "A"], on: 1),
                                              findings: [finding("R01", no: "1", id: idA1), finding("R01", no: "2", id: idA2),
                                                         finding("R05", no: "2", id: idA2)])
            let run = try #require(try history.backend.run(recorded.run.id))
            #expect(run.job == "reconcile" && run.term == "2023-fall" && run.scope == "A;B")
            #expect(run.toolVersion == "test" && run.configHash == "c0ffee" && run.exitStatus == 1 && run.outcome == "findings")
            #expect(HistoryLifecycle.jsonMap(run.counts) == ["R01": 2, "R05": 1])
            #expect(HistoryLifecycle.jsonMap(run.totals) == ["ledger.amount": 200_000])
            #expect(run.startedAt == HistoryLifecycle.timestamp(day(1)))
            let inputs = try history.backend.inputs(ofRun: run.id)
            #expect(inputs.map(\.bytes) == [120])
            #expect(inputs.map(\.sha256) == [String(repeating: "ab", count: 32)])
        }
    }

    @Test("the same student twice under one code in a run (no id) gets two identities, stable across runs",
          arguments: StoreFactory.all)
    func repeatedIdentity(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let twice = [finding("R02", school: "", no: "", id: "", detail: "row 4"),
                         finding("R02", school: "", no: "", id: "", detail: "row 9")]
            let first = try history.record(runFacts(on: 1), findings: twice)
            #expect(Set(first.annotations.map(\.id)).count == 2)
            let second = try history.record(runFacts(on: 2), findings: twice)
            #expect(second.annotations.map(\.status) == [.open, .open])
            #expect(second.annotations.map(\.id) == first.annotations.map(\.id))
        }
    }

    @Test("two writers recording at once lose nothing and never interleave a run", arguments: StoreFactory.all)
    func concurrentRuns(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let other = try factory.reopen(history)
            let perWriter = 12
            let errors = ErrorBox()
            DispatchQueue.concurrentPerform(iterations: 2) { writer in
                let store = writer == 0 ? history : other
                for n in 0..<perWriter {
                    // Each run: its own school (so neither resolves the other's), 30 findings.
                    let school = "W\(writer)"
                    let findings = (0..<30).map { i in
                        finding("R01", school: school, no: "\(n)-\(i)", id: "", detail: "writer \(writer) run \(n)")
                    }
                    do {
                        _ = try store.record(runFacts(schools: [school], on: n), findings: findings)
                    } catch {
                        errors.add(error)
                    }
                }
            }
            #expect(errors.all.isEmpty, "\(errors.all)")
            let runs = try history.backend.runs()
            #expect(runs.count == 2 * perWriter)
            #expect(Set(runs.map(\.id)) == Set((1...Int64(2 * perWriter)).map { $0 }))
            for run in runs {
                let occurrences = try history.backend.occurrences(ofRun: run.id)
                let present = occurrences.filter(\.present)
                #expect(present.count == 30)
                #expect(Set(present.map(\.display.schoolCode)) == [String(run.scope)])
                #expect(Set(present.map(\.display.detail)).count == 1)
                // Each run resolves its own school's previous 30, never the other writer's.
                #expect(occurrences.filter { !$0.present }.allSatisfy { $0.display.schoolCode == run.scope })
            }
            #expect(try history.backend.findings(FindingFilter()).count == 2 * perWriter * 30)
        }
    }

    @Test("findings list filters by status and code", arguments: StoreFactory.all)
    func listFilters(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            _ = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1), finding("R05", no: "2", id: idA2)])
            _ = try history.record(runFacts(on: 2), findings: [finding("R05", no: "2", id: idA2)])
            #expect(try history.backend.findings(FindingFilter(codes: ["R05"])).map(\.status) == [.open])
            #expect(try history.backend.findings(FindingFilter(statuses: [.resolved, .open])).map(\.code) == ["R01", "R05"])
            #expect(try history.backend.findings(FindingFilter(statuses: [.new])).isEmpty)
        }
    }

    @Test("the store never holds a full id or account number", arguments: StoreFactory.all)
    func noFullIdInStoredText(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            let findings = [finding("R06", no: "1", id: idA1, detail: "account \(accountA1) also paid \(idA2)"),
                            finding("R05", school: "B", no: "9", id: idB1, expected: "户名 \(idB1)", actual: accountA1)]
            let recorded = try history.record(runFacts(schools: ["A", "B"], on: 1), findings: findings)
            _ = try history.note(findingID: try #require(recorded.annotations.first?.id), status: .explained, by: "王",
                                 note: "卡号 \(accountA1) 已更换")
            let stored = try history.backend.findings(FindingFilter())
            let notes = try stored.flatMap { try history.backend.notes(ofFinding: $0.id) }
            let text = "\(stored) \(try history.backend.occurrences(ofRun: 1)) \(notes) \(try history.backend.runs())"
            for secret in [idA1, idA2, idB1, accountA1] { #expect(!text.contains(secret), "\(secret) is stored whole") }
            #expect(text.contains(Masking.id(idA1)))
        }
    }
}

/// Errors collected from several threads.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ error: any Error) { lock.lock(); errors.append("\(error)"); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return errors }
}

@Suite("History: diff between two runs, on every store")
struct HistoryDiffTests {
    @Test("a diff lists new, resolved, changed and unchanged findings and the money moved", arguments: StoreFactory.all)
    func diff(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            var first = runFacts(on: 1)
            first.totals = ["ledger.amount": 100_000]
            _ = try history.record(first, findings: [
                finding("R01", no: "1", id: idA1, expected: "1000.00", actual: "0.00"),
                finding("R03", no: "2", id: idA2, expected: "1000.00", actual: "750.00"),
                finding("R05", no: "3", id: idB1, expected: "张三", actual: "李四"),
            ])
            var second = runFacts(on: 2)
            second.totals = ["ledger.amount": 175_000]
            _ = try history.record(second, findings: [
                finding("R03", no: "2", id: idA2, expected: "1000.00", actual: "500.00"),
                finding("R05", no: "3", id: idB1, expected: "张三", actual: "李四"),
                finding("R04", no: "4", id: "", expected: "750.00", actual: "1500.00"),
            ])
            let diff = try HistoryDiff.between(1, 2, in: history.backend)
            #expect(diff.new.map(\.display.code) == ["R04"])
            #expect(diff.resolved.map(\.display.code) == ["R01"])
            #expect(diff.changed.map(\.after.display.actual) == ["500.00"])
            #expect(diff.changed.map(\.before.display.actual) == ["750.00"])
            #expect(diff.unchanged.map(\.display.code) == ["R05"])
            #expect(diff.newAtStake == 75_000 && diff.resolvedAtStake == 100_000)
            #expect(diff.money == [HistoryDiff.Money(key: "ledger.amount", before: 100_000, after: 175_000)])
            let summary = HistoryTables.diffSummary(diff).joined(separator: "\n")
            #expect(summary.contains("new 1, resolved 1, changed 1, unchanged 1"))
            #expect(summary.contains("ledger.amount 1000.00 → 1750.00 (+750.00)"))
            let rows = HistoryTables.diff(diff).rows.map { $0[0] }
            #expect(rows == ["new", "resolved", "changed", "unchanged"])
            #expect(throws: ZizhuError.self) { try HistoryDiff.between(1, 7, in: history.backend) }
        }
    }
}

@Suite("History: tables for people and machines")
struct HistoryTableTests {
    @Test("CSV quotes separators and defuses formulas; the table aligns Chinese by display width")
    func rendering() {
        let table = HistoryTable(columns: ["name", "note"], rows: [["张三", "=SUM(A1)"], ["Li", "a,b \"c\""], ["王", "-12.50"]])
        #expect(table.csv() == "name,note\r\n张三,'=SUM(A1)\r\nLi,\"a,b \"\"c\"\"\"\r\n王,-12.50\r\n")
        let lines = table.text().split(separator: "\n").map(String.init)
        #expect(lines[2] == "张三  =SUM(A1)")
        #expect(lines[3] == "Li    a,b \"c\"")
        #expect(lines[4] == "王    -12.50")
    }
}
