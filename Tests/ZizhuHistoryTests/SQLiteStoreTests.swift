import Foundation
import Testing
import ZizhuCore
import ZizhuHistory
import ZizhuTestSupport

@Suite("History: the SQLite file")
struct SQLiteStoreTests {
    @Test("the store and its secret are made with mode 0600")
    func modes() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history")
        defer { folder.cleanUp() }
        let path = folder.file("history.db")
        let history = try History.open(path)
        _ = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])
        for file in [path, HistorySecret.path(besideStore: path)] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)
            #expect(mode.intValue & 0o777 == 0o600, "\(file)")
        }
    }

    @Test("a secret file others can read is refused")
    func openSecretRefused() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history")
        defer { folder.cleanUp() }
        let path = folder.file("history.db")
        _ = try History.open(path)
        chmod(HistorySecret.path(besideStore: path), 0o644)
        #expect(throws: ZizhuError.self) { _ = try History.open(path) }
    }

    @Test("no full id or account number is in the database file's bytes")
    func noFullIdInFile() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history")
        defer { folder.cleanUp() }
        let path = folder.file("history.db")
        let history = try History.open(path)
        let findings = [finding("R06", no: "1", id: idA1, detail: "account \(accountA1) also paid \(idA2)"),
                        finding("R05", school: "B", no: "9", id: idB1, expected: "户名 \(idB1)", actual: accountA1)]
        let recorded = try history.record(runFacts(schools: ["A", "B"], on: 1), findings: findings)
        _ = try history.note(findingID: try #require(recorded.annotations.first?.id), status: .explained, by: "王",
                             note: "卡号 \(accountA1) 已更换")
        _ = try history.record(runFacts(schools: ["A", "B"], on: 2), findings: Array(findings.prefix(1)))
        var bytes: [UInt8] = []
        for file in [path, path + "-journal", path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            bytes += try readBytes(file)
        }
        func holds(_ text: String) -> Bool {
            let needle = Array(text.utf8)
            guard needle.count <= bytes.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
                if Array(bytes[start..<(start + needle.count)]) == needle { return true }
            }
            return false
        }
        for secret in [idA1, idA2, idB1, accountA1] { #expect(!holds(secret), "\(secret) is in the file") }
        // The search works: the masked forms are there.
        #expect(holds(Masking.id(idA1)))
        #expect(holds(Masking.id(idB1)))
    }

    @Test("a store made by schema v1 is migrated to the latest, keeping its runs and findings")
    func migrationFromV1() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history")
        defer { folder.cleanUp() }
        let path = folder.file("history.db")
        do {
            let old = try SQLiteHistoryBackend(path: path)
            try old.migrate(upTo: "v1")
            #expect(try old.appliedMigrations() == ["v1"])
            let secret = try HistorySecret.loadOrCreate(at: HistorySecret.path(besideStore: path))
            _ = try History(backend: old, secret: secret).record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])
        }
        let history = try History.open(path)
        #expect(try history.backend.appliedMigrations() == HistorySchema.migrations.map(\.identifier))
        #expect(try history.backend.runs().map(\.id) == [1])
        let next = try history.record(runFacts(on: 2), findings: [finding("R01", no: "1", id: idA1)])
        #expect(next.annotations.map(\.status) == [.open])
        // v2's table works on the migrated store.
        var facts = runFacts(job: "merge", schools: nil, on: 3, exit: 0)
        facts.packages = [PackageRecord(schoolCode: "A", term: "2023-fall", fingerprint: "f1", generatedAt: "2023-10-30T09:00:00+08:00",
                                        verdict: "merged", source: "A_2023-fall.zip", receivedAt: HistoryLifecycle.timestamp(day(3)))]
        _ = try history.record(facts, findings: [])
        #expect(try history.backend.packages(term: "2023-fall", schoolCode: "A").map(\.fingerprint) == ["f1"])
    }

    @Test("a file that is not a history is refused with exit status 3, not a crash")
    func notAHistory() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history")
        defer { folder.cleanUp() }
        let path = try folder.write("history.db", Array("name,id\n张三,1\n".utf8))
        chmod(path, 0o600)
        #expect { _ = try History.open(path) } throws: { error in
            (error as? ZizhuError)?.code.exitStatus == 3
        }
    }

    @Test("runs opening a new store at once all migrate it, share one secret and record")
    func openingANewStoreAtOnce() throws {
        let folder = try ScratchFolder(prefix: "zizhu-history")
        defer { folder.cleanUp() }
        let path = folder.file("history.db")
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            do {
                let history = try History.open(path)
                _ = try history.record(runFacts(schools: ["S\(i)"], on: i), findings: [finding("R01", school: "S\(i)", no: "1", id: idA1)])
            } catch {
                errors.add(error)
            }
        }
        #expect(errors.all.isEmpty, "\(errors.all)")
        let history = try History.open(path)
        #expect(try history.backend.runs().count == 4)
        #expect(try history.backend.appliedMigrations() == HistorySchema.migrations.map(\.identifier))
        // One secret: the same student has one key whichever run saw him.
        #expect(Set(try history.backend.findings(FindingFilter()).map(\.studentKey)).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["history.db", "history.db.secret"])
    }
}
