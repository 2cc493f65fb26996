import Foundation
import Testing
import ZizhuCore
@testable import ZizhuServe
import ZizhuTestSupport

/// A way to make an empty server store for one test: SQLite (a scratch file) always, PostgreSQL (a
/// schema of its own on the server `ZIZHU_TEST_POSTGRES_URL` names, as the history tests use) when
/// that variable is set — otherwise its cases are skipped and say why.
struct StoreEngine: Sendable, CustomStringConvertible {
    let name: String
    /// A fresh store's location (`store:` value) for a test in `folder`; nil when the engine cannot run here.
    let location: @Sendable (_ folder: ScratchFolder) -> String?
    /// Removes what `location` made outside `folder`.
    let discard: @Sendable (_ location: String) -> Void

    var description: String { name }

    static let postgresURL: String? = {
        let value = ProcessInfo.processInfo.environment["ZIZHU_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static let skipReason = "ZIZHU_TEST_POSTGRES_URL is not set: no PostgreSQL server (scripts/pg-cluster.sh start; .ci/run starts one)"

    static let sqlite = StoreEngine(name: "SQLite", location: { _ in "sqlite" }, discard: { _ in })

    static let postgres = StoreEngine(
        name: "PostgreSQL",
        location: { _ in
            guard let url = postgresURL else { return nil }
            let schema = "zs_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            return url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"
        },
        discard: { location in
            guard let url = postgresURL, let schema = location.components(separatedBy: "schema=").last,
                  let database = try? PostgresServeDatabase.open(url: url) else { return }
            _ = try? database.write { db in try db.execute(sql: "DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        })

    static let all: [StoreEngine] = [sqlite, postgres]

    /// A fresh store's location for a whole server; `body` is skipped with a note when the engine cannot run here.
    func withServer(_ body: (_ store: String) async throws -> Void) async throws {
        let folder = try ScratchFolder(prefix: "zizhu-serve-store")
        defer { folder.cleanUp() }
        guard let location = location(folder) else {
            print("skipped on \(name): \(Self.skipReason)")
            return
        }
        defer { discard(location) }
        try await body(location)
    }

    /// A store (and a second one on the same rows, for two servers at once) in a scratch data folder;
    /// `body` is skipped with a note when the engine cannot run here.
    func with(_ body: (_ open: () throws -> ServeStore) throws -> Void) throws {
        let folder = try ScratchFolder(prefix: "zizhu-serve-store")
        defer { folder.cleanUp() }
        guard let location = location(folder) else {
            print("skipped on \(name): \(Self.skipReason)")
            return
        }
        defer { discard(location) }
        try body { try ServeStore(store: location, dataFolder: folder.file("data")) }
    }
}

@Suite("The server's store on every engine") struct StoreEngineTests {
    @Test("accounts, sessions, tokens, login failures, the audit log and the schools read back as written", arguments: StoreEngine.all)
    func accountsAndSessionsRoundTrip(engine: StoreEngine) throws {
        try engine.with { open in
            let store = try open()
            let principal = try store.addAccount(name: "principalA", role: .principal, scope: "3701j001", password: "correct-horse-battery", cost: 4)
            #expect(principal.scope == "3701J001")
            #expect(throws: ZizhuError.self) {
                try store.addAccount(name: "principalA2", role: .principal, scope: "3701J001", password: "correct-horse-battery", cost: 4)
            }
            #expect(throws: ZizhuError.self) {
                try store.addAccount(name: "principalA", role: .school, scope: "3701J001", password: "correct-horse-battery", cost: 4)
            }
            let (account, hash) = try #require(try store.credentials(name: "principalA"))
            #expect(account == principal)
            #expect(Passwords.verify("correct-horse-battery", hash: hash))

            let (token, session) = try store.openSession(for: principal)
            let live = try #require(try store.session(token: token))
            #expect(live.account == principal && live.csrf == session.csrf)
            try store.closeSession(token: token)
            #expect(try store.session(token: token) == nil)

            let (apiToken, record) = try store.addToken(account: "principalA", label: "nightly")
            #expect(try store.account(apiToken: apiToken) == principal)
            #expect(try store.tokens(account: "principalA").map(\.label) == ["nightly"])
            #expect(record.account == "principalA")
            #expect(try !store.storesTokenInClear(apiToken))

            let limits = LoginThrottle(perAccount: 2, perAddress: 10)
            try store.recordLoginFailure(name: "principalA", address: "10.0.0.1")
            #expect(try !store.loginThrottled(name: "principalA", address: "10.0.0.1", limits: limits))
            try store.recordLoginFailure(name: "principalA", address: "10.0.0.1")
            #expect(try store.loginThrottled(name: "principalA", address: "10.0.0.1", limits: limits))
            try store.clearLoginFailures(name: "principalA")
            #expect(try !store.loginThrottled(name: "principalA", address: "10.0.0.2", limits: limits))

            try store.audit(.login, account: "principalA", object: "session", address: "10.0.0.1")
            #expect(try store.auditLog().map(\.action) == ["login"])

            try store.upsertSchools([School(code: "3701J001", name: "甲校", cityCode: "370100", cityName: "济南市")])
            try store.upsertSchools([School(code: "3701J001", name: "甲学校", cityCode: "370100", cityName: "济南市"),
                                     School(code: "3702J001", name: "乙校", cityCode: "370200", cityName: "青岛市")])
            #expect(try store.schools().map(\.name) == ["甲学校", "乙校"])
            #expect(try store.school(code: "3702J001")?.cityName == "青岛市")
        }
    }

    @Test("jobs queue, run, finish and come back after a restart; inputs and submissions read back", arguments: StoreEngine.all)
    func jobsRoundTrip(engine: StoreEngine) throws {
        try engine.with { open in
            let store = try open()
            let roster = try store.addUpload(sha256: "aa", size: 10, fileName: "花名册.xlsx", kind: "roster", school: "3701J001", account: "schoolA")
            let applications = try store.addUpload(sha256: "bb", size: 20, fileName: "applications.csv", kind: "applications", school: "3701J001", account: "schoolA")
            #expect(try store.upload(id: roster.id) == roster)
            let first = try store.addJob(school: "3701J001", term: "2023-fall", roster: roster.id, applications: applications.id, account: "schoolA")
            let second = try store.addOfficeJob(kind: .reconcile, scope: "370100", term: "2023-fall", account: "financeA",
                                                inputs: [(role: "approved", upload: roster.id, path: ""), (role: "package", upload: nil, path: "jobs/1/out/x.zip")])
            #expect(first.state == .queued && first.rosterUpload == roster.id && first.exitStatus == nil && first.startedAt == nil)
            #expect(try store.queuePosition(of: second) == 1)
            #expect(try store.jobInputs(of: second.id).map(\.upload) == [roster.id, nil])
            #expect(try store.jobInputs(of: second.id).map(\.path) == ["", "jobs/1/out/x.zip"])

            let claimed = try #require(try store.claimNextJob())
            #expect(claimed.id == first.id && claimed.state == .running && claimed.startedAt != nil)
            try store.finishJob(id: claimed.id, state: .finished, exitStatus: 0, message: nil)
            #expect(try store.job(id: first.id)?.isClean == true)
            do {
                // A server that takes the second job and stops (killed) before it finishes.
                let stopped = try open()
                _ = try #require(try stopped.claimNextJob())
                #expect(try stopped.claimNextJob() == nil)
            }
            #expect(try store.hasPendingJobs())
            // A restart: the job left running is queued again.
            #expect(try open().requeueInterruptedJobs() == 1)
            #expect(try store.job(id: second.id)?.state == .queued)
            try store.setHistoryRun(job: second.id, run: 42)
            #expect(try store.jobs(kind: .reconcile, scope: "370100").map(\.historyRun) == [42])

            let submission = try store.addSubmission(school: "3701J001", term: "2023-fall", jobId: first.id, account: "principalA",
                                                     fingerprint: "f00d", packageSHA256: "cafe")
            #expect(try store.submission(id: submission.id)?.packageSHA256 == "cafe")
            #expect(try store.submissions(school: "3701J001").map(\.jobId) == [first.id])
            #expect(try store.allSubmissions().map(\.id) == [submission.id])
            #expect(abs(try #require(try store.submission(id: submission.id)).at.timeIntervalSince(submission.at)) < 0.001)
        }
    }

    @Test("two servers on one store taking jobs at once take each queued job exactly once", arguments: StoreEngine.all)
    func twoStoresClaimEachJobOnce(engine: StoreEngine) throws {
        try engine.with { open in
            let stores = [try open(), try open()]
            var queued: [Int64] = []
            for n in 0..<40 {
                queued.append(try stores[n % 2].addOfficeJob(kind: .merge, scope: "370000", term: "2023-fall", account: "provinceA", inputs: []).id)
            }
            let taken = Taken()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                while true {
                    do {
                        guard let job = try stores[index].claimNextJob() else { break }
                        taken.add(job.id, by: index)
                    } catch {
                        taken.fail("\(error)")
                        break
                    }
                }
            }
            #expect(taken.errors.isEmpty, "\(taken.errors)")
            #expect(taken.ids.sorted() == queued, "every job taken once: none lost, none twice")
            #expect(try stores[0].jobs(kind: .merge).allSatisfy { $0.state == .running })
        }
    }

    @Test("a server starting on a shared store queues again only the jobs of servers that are gone, never one a live server runs",
          arguments: [StoreEngine.postgres])
    func restartLeavesLiveServersJobs(engine: StoreEngine) throws {
        try engine.with { open in
            let live = try open()
            let running = try live.addOfficeJob(kind: .merge, scope: "370000", term: "2023-fall", account: "provinceA", inputs: [])
            let orphan = try live.addOfficeJob(kind: .merge, scope: "370100", term: "2023-fall", account: "cityA", inputs: [])
            #expect(try live.claimNextJob()?.id == running.id)
            do {
                let gone = try open()
                #expect(try gone.claimNextJob()?.id == orphan.id)
            }
            // Another server starts: the job whose server is gone is queued again, the live server's is not.
            let starting = try open()
            #expect(try starting.requeueInterruptedJobs() == 1)
            #expect(try starting.job(id: orphan.id)?.state == .queued)
            #expect(try starting.job(id: running.id)?.state == .running)
            try live.finishJob(id: running.id, state: .finished, exitStatus: 0, message: nil)
            #expect(try starting.requeueInterruptedJobs() == 0)
            #expect(try starting.job(id: running.id)?.state == .finished)
        }
    }

    @Test("the principal's submission taken by two servers at once is recorded once; the same package sent again is the same submission",
          arguments: StoreEngine.all)
    func twoStoresSubmitOnce(engine: StoreEngine) throws {
        try engine.with { open in
            let stores = [try open(), try open()]
            let job = try stores[0].addOfficeJob(kind: .submit, scope: "3701J001", term: "2023-fall", account: "schoolA", inputs: [])
            let recorded = Taken()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                do {
                    let submission = try stores[index].addSubmission(school: "3701J001", term: "2023-fall", jobId: job.id,
                                                                     account: "principalA", fingerprint: "f00d", packageSHA256: "cafe")
                    recorded.add(submission.id, by: index)
                } catch {
                    recorded.fail("\(error)")
                }
            }
            #expect(recorded.errors.isEmpty, "\(recorded.errors)")
            #expect(Set(recorded.ids).count == 1)
            // The same package again, as another job (a second upload of it): the same submission.
            let again = try stores[1].addOfficeJob(kind: .submit, scope: "3701J001", term: "2023-fall", account: "principalA", inputs: [])
            let resent = try stores[1].addSubmission(school: "3701J001", term: "2023-fall", jobId: again.id, account: "principalA",
                                                     fingerprint: "f00d", packageSHA256: "cafe")
            #expect(resent.id == recorded.ids.first)
            #expect(try stores[0].allSubmissions().count == 1)
        }
    }
}

/// Ids taken by concurrent workers, and their errors.
final class Taken: @unchecked Sendable {
    private let lock = NSLock()
    private var taken: [(id: Int64, by: Int)] = []
    private var failures: [String] = []

    func add(_ id: Int64, by worker: Int) { lock.withLock { taken.append((id, worker)) } }
    func fail(_ error: String) { lock.withLock { failures.append(error) } }
    var ids: [Int64] { lock.withLock { taken.map(\.id) } }
    var errors: [String] { lock.withLock { failures } }
}
