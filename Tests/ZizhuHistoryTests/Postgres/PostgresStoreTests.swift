import Foundation
import Testing
import ZizhuCore
@testable import ZizhuHistory
import ZizhuTestSupport

/// What only the PostgreSQL store has to show: the connection, two writers at once on a real server
/// (the second waits for the first and builds on what it wrote), readers that never see half a run,
/// concurrent first migrations, the secret's check value, a migration from schema v1, and no full
/// id in any table. Every test works in a schema of its own, dropped at its end.
@Suite("History: the PostgreSQL store",
       // Needs a server: ZIZHU_TEST_POSTGRES_URL from scripts/pg-cluster.sh (.ci/run starts one).
       .enabled(if: PostgresTestServer.url != nil, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresStoreTests {
    /// A fresh schema, migrated, with its secret in a scratch folder; dropped afterwards.
    func withHistory(_ body: (History, _ url: String, ScratchFolder) throws -> Void) throws {
        let folder = try ScratchFolder(prefix: "zizhu-pg")
        defer { folder.cleanUp() }
        let (url, schema) = try PostgresTestServer.freshSchema()
        defer { PostgresTestServer.drop(schema: schema) }
        let history = try PostgresHistoryBackend.openHistory(url: url, secretPath: folder.file("history.secret"))
        try body(history, url, folder)
    }

    @Test("connects to the test server and runs select 1")
    func selectOne() throws {
        let session = try PostgresSession.open(try PostgresLocation(url: try #require(PostgresTestServer.url)))
        defer { session.close() }
        #expect(try session.scalarInt("select 1") == 1)
    }

    @Test("a server that does not answer is a history error naming it, never its password")
    func cannotConnect() throws {
        var location = try PostgresLocation(url: try #require(PostgresTestServer.url))
        location.port = 1
        location.password = "s3cret-pw"
        #expect {
            _ = try PostgresHistoryBackend(location: location)
        } throws: { error in
            guard let error = error as? ZizhuError else { return false }
            return error.code == .history && error.message.contains(":1/") && !"\(error)".contains("s3cret-pw")
        }
    }

    @Test("the second of two writers waits for the first and builds on what it committed")
    func secondWriterWaitsAndSeesFirst() throws {
        try withHistory { history, url, folder in
            let other = try PostgresHistoryBackend.openHistory(url: url, secretPath: folder.file("history.secret"))
            let watcher = try PostgresSession.open(try PostgresLocation(url: url))
            defer { watcher.close() }
            let firstInside = DispatchSemaphore(value: 0)
            let releaseFirst = DispatchSemaphore(value: 0)
            let errors = ErrorBox()
            let seenBySecond = LockedBox<[String]>([])
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                do {
                    try history.backend.record(term: "2023-fall") { runID, _ in
                        firstInside.signal()
                        releaseFirst.wait()
                        return Self.write(runID: runID, findingIDs: ["f-first"])
                    }
                } catch { errors.add(error) }
            }
            firstInside.wait()
            // The first holds the writers' lock; readers go on meanwhile and see nothing of it.
            #expect(try other.backend.runs().isEmpty)
            DispatchQueue.global().async(group: group) {
                do {
                    try other.backend.record(term: "2023-fall") { runID, stored in
                        seenBySecond.set(stored.map(\.id))
                        return Self.write(runID: runID, findingIDs: ["f-second"])
                    }
                } catch { errors.add(error) }
            }
            // Wait (no time limit asserted) until the second is blocked on the lock, then let the first commit.
            try Self.waitForLockWaiter(watcher)
            releaseFirst.signal()
            group.wait()
            #expect(errors.all.isEmpty, "\(errors.all)")
            #expect(seenBySecond.value == ["f-first"], "the second writer read the first's committed finding")
            #expect(try history.backend.runs().map(\.id) == [2, 1])
            #expect(try history.backend.findings(FindingFilter()).map(\.id) == ["f-first", "f-second"])
        }
    }

    @Test("a reader never sees a run half written, however many statements it takes")
    func noHalfRunVisible() throws {
        try withHistory { history, url, folder in
            let reader = try PostgresHistoryBackend.openHistory(url: url, secretPath: folder.file("history.secret"))
            let size = PostgresHistoryBackend.batchSize + 7  // two INSERTs each of findings and occurrences
            let runs = 2
            let done = LockedBox(false)
            let errors = ErrorBox()
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                for n in 0..<runs {
                    do {
                        try history.backend.record(term: "2023-fall") { runID, _ in
                            Self.write(runID: runID, findingIDs: (0..<size).map { "r\(n)-\($0)" })
                        }
                    } catch { errors.add(error) }
                }
                done.set(true)
            }
            var partial: [String] = []
            var looks = 0
            repeat {
                for run in try reader.backend.runs() {
                    let count = try reader.backend.occurrences(ofRun: run.id).count
                    if count != size { partial.append("run \(run.id): \(count) of \(size) occurrences") }
                }
                looks += 1
            } while !done.value
            group.wait()
            #expect(errors.all.isEmpty, "\(errors.all)")
            #expect(partial.isEmpty, "\(partial)")
            #expect(looks > 0)
            #expect(try reader.backend.runs().count == runs)
            #expect(try reader.backend.findings(FindingFilter()).count == runs * size)
        }
    }

    @Test("the shared suite's two writers, on four connections at once, lose nothing")
    func fourWriters() throws {
        try withHistory { history, url, folder in
            let stores = try [history] + (1..<4).map { _ in
                try PostgresHistoryBackend.openHistory(url: url, secretPath: folder.file("history.secret"))
            }
            let errors = ErrorBox()
            DispatchQueue.concurrentPerform(iterations: stores.count) { writer in
                for n in 0..<5 {
                    let school = "W\(writer)"
                    let findings = (0..<20).map { i in finding("R01", school: school, no: "\(i)", id: "") }
                    do {
                        _ = try stores[writer].record(runFacts(schools: [school], on: n), findings: findings)
                    } catch { errors.add(error) }
                }
            }
            #expect(errors.all.isEmpty, "\(errors.all)")
            let runs = try history.backend.runs()
            #expect(runs.map(\.id) == (1...20).reversed().map { Int64($0) })
            // Each school's first run made 20 new findings; each later one saw them again (open), none lost.
            for school in 0..<4 {
                let own = runs.filter { $0.scope == "W\(school)" }.sorted { $0.id < $1.id }
                #expect(own.map(\.newCount) == [20, 0, 0, 0, 0])
                #expect(own.map(\.openCount) == [0, 20, 20, 20, 20])
            }
            #expect(try history.backend.findings(FindingFilter()).count == 80)
        }
    }

    @Test("two first runs on an empty schema migrate it once")
    func concurrentFirstMigrations() throws {
        let folder = try ScratchFolder(prefix: "zizhu-pg")
        defer { folder.cleanUp() }
        let (url, schema) = try PostgresTestServer.freshSchema()
        defer { PostgresTestServer.drop(schema: schema) }
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            do {
                _ = try PostgresHistoryBackend.openHistory(url: url, secretPath: folder.file("history.secret"))
            } catch { errors.add(error) }
        }
        #expect(errors.all.isEmpty, "\(errors.all)")
        let backend = try PostgresHistoryBackend(url: url)
        #expect(try backend.appliedMigrations() == HistorySchema.migrations.map(\.identifier))
    }

    @Test("a store made by schema v1 is migrated to the latest, keeping its runs and findings")
    func migratesFromV1() throws {
        let folder = try ScratchFolder(prefix: "zizhu-pg")
        defer { folder.cleanUp() }
        let (url, schema) = try PostgresTestServer.freshSchema()
        defer { PostgresTestServer.drop(schema: schema) }
        let old = try PostgresHistoryBackend(url: url)
        try old.migrate(upTo: "v1")
        #expect(try old.appliedMigrations() == ["v1"])
        let secret = try HistorySecret.loadOrCreate(at: folder.file("history.secret"))
        let v1 = History(backend: old, secret: secret)
        let first = try v1.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])

        let history = try PostgresHistoryBackend.openHistory(url: url, secretPath: folder.file("history.secret"))
        #expect(try history.backend.appliedMigrations() == HistorySchema.migrations.map(\.identifier))
        #expect(try history.backend.runs().map(\.id) == [first.run.id])
        let second = try history.record(runFacts(on: 2), findings: [finding("R01", no: "1", id: idA1)])
        #expect(second.annotations.map(\.status) == [.open])
        #expect(try history.backend.packages(term: "2023-fall", schoolCode: nil).isEmpty)
    }

    @Test("a store with a migration this zizhu does not know is refused")
    func unknownMigrationRefused() throws {
        try withHistory { history, url, _ in
            let session = try PostgresSession.open(try PostgresLocation(url: url))
            defer { session.close() }
            try session.execute("INSERT INTO schema_version (seq, identifier, applied_at) VALUES (99, 'v99', 'later')")
            #expect(throws: ZizhuError.self) { try PostgresHistoryBackend(url: url).migrate() }
        }
    }

    @Test("a secret other than the one the history was made with is refused before anything is written")
    func otherSecretRefused() throws {
        try withHistory { history, url, folder in
            _ = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])
            #expect {
                _ = try PostgresHistoryBackend.openHistory(url: url, secretPath: folder.file("another.secret"))
            } throws: { error in
                (error as? ZizhuError)?.code == .configuration
            }
            #expect(try history.backend.runs().count == 1)
        }
    }

    @Test("the secret's default file is per server and database, and ZIZHU_HISTORY_SECRET overrides it")
    func secretPath() throws {
        let folder = try ScratchFolder(prefix: "zizhu-pg")
        defer { folder.cleanUp() }
        let location = try PostgresLocation(url: "postgres://u@db.lan:5433/aid?schema=s1", environment: [:])
        let path = try PostgresHistoryBackend.defaultSecretPath(for: location, environment: ["XDG_CONFIG_HOME": folder.path])
        #expect(path == folder.path + "/zizhu/history-db.lan-5433-aid-s1.secret")
        #expect(try PostgresHistoryBackend.defaultSecretPath(for: location, environment: ["ZIZHU_HISTORY_SECRET": "/x/y"]) == "/x/y")
    }

    @Test("no table holds a full id or account number")
    func noFullIdInAnyTable() throws {
        try withHistory { history, url, _ in
            let findings = [finding("R06", no: "1", id: idA1, detail: "account \(accountA1) also paid \(idA2)"),
                            finding("R05", school: "B", no: "9", id: idB1, expected: "户名 \(idB1)", actual: accountA1)]
            let recorded = try history.record(runFacts(schools: ["A", "B"], on: 1), findings: findings)
            _ = try history.note(findingID: try #require(recorded.annotations.first?.id), status: .explained, by: "王",
                                 note: "卡号 \(accountA1) 已更换")
            _ = try history.record(runFacts(schools: ["A", "B"], on: 2), findings: Array(findings.prefix(1)))
            let session = try PostgresSession.open(try PostgresLocation(url: url))
            defer { session.close() }
            let tables = try session.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
                .map { try $0.decode(String.self) }
            #expect(tables.contains("findings") && tables.contains("notes") && tables.contains("occurrences"))
            var text = ""
            for table in tables {
                for row in try session.execute("SELECT t::text FROM \(table) t") { text += try row.decode(String.self) + "\n" }
            }
            for secret in [idA1, idA2, idB1, accountA1] { #expect(!text.contains(secret), "\(secret) is stored whole") }
            #expect(text.contains(Masking.id(idA1)))
        }
    }

    // MARK: - Helpers

    static func write(runID: Int64, findingIDs: [String]) -> RunWrite {
        let at = "2026-12-06T08:00:00Z"
        let facts = FindingFacts(code: "R01", severity: "error", schoolCode: "A", studentNo: "1", name: "张三", idMasked: "110105********002X",
                                 expected: "1000.00", actual: "0.00", detail: "", sources: "ledger.csv:2")
        let run = RunRecord(id: runID, job: "reconcile", term: "2023-fall", scope: "A", toolVersion: "test", configHash: "c",
                            command: "zizhu reconcile", startedAt: at, finishedAt: at, exitStatus: 1, outcome: "findings",
                            newCount: findingIDs.count)
        let findings = findingIDs.map { id in
            FindingRecord(id: id, code: "R01", term: "2023-fall", schoolCode: "A", studentKey: "k-\(id)", job: "reconcile", status: .new,
                          facts: facts.factsHash, firstSeenRun: runID, firstSeenAt: at, lastSeenRun: runID, lastSeenAt: at, display: facts)
        }
        let occurrences = findingIDs.map { OccurrenceRecord(runID: runID, findingID: $0, present: true, status: .new, display: facts) }
        return RunWrite(run: run, findings: findings, occurrences: occurrences)
    }

    /// Waits until a session waits for the lock on this schema's `runs` (the second writer at `LOCK TABLE`).
    static func waitForLockWaiter(_ watcher: PostgresSession) throws {
        let waiting = """
            SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE NOT l.granted AND c.relname = 'runs' AND c.relnamespace = current_schema()::regnamespace
            """
        // Bounded, so that a writer that never waits (no lock) fails the test instead of hanging it.
        for _ in 0..<3_000 {
            if try (watcher.scalarInt(waiting) ?? 0) > 0 { return }
            usleep(20_000)
        }
        Issue.record("the second writer never waited for the writers' lock")
    }
}

/// A value shared between threads.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ value: Value) { lock.lock(); stored = value; lock.unlock() }
    func update(_ change: (inout Value) -> Void) { lock.lock(); change(&stored); lock.unlock() }
}
