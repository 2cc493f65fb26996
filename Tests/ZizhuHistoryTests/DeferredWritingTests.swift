import Foundation
import Testing
import ZizhuCore
import ZizhuHistory
import ZizhuTestSupport

/// `startRecording(…, deferWriting: true)`: the run is planned at once (the caller needs each
/// finding's status for its outputs), but its rows go to the store only after `write()` — on a
/// machine of two cores the store's writing then takes the core the caller leaves once its own
/// outputs are written, instead of slowing the output thread the run waits for.
@Suite("History: writing a run's rows once the caller lets it")
struct DeferredWritingTests {
    private func store() throws -> (ScratchFolder, EventBackend, History) {
        let folder = try ScratchFolder(prefix: "zizhu-deferred")
        let inner = try SQLiteHistoryBackend(path: folder.file("history.db"))
        try inner.migrate()
        let backend = EventBackend(inner)
        return (folder, backend, History(backend: backend, secret: Data(repeating: 7, count: 32)))
    }

    @Test("with deferWriting the rows are handed to the store only after write(), and the run is then committed whole")
    func rowsWaitForWrite() throws {
        let (folder, backend, history) = try store()
        defer { folder.cleanUp() }
        let recording = history.startRecording(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1),
                                                                           finding("R10", no: "2", id: idA2)],
                                               deferWriting: true)
        defer { recording.abort() }
        #expect(try recording.planned().annotations.map(\.status) == [.new, .new])
        backend.note("outputs written")
        recording.write()
        let committed = try recording.commit()
        #expect(committed.run.id == 1)
        #expect(backend.events == ["outputs written", "rows"])
        #expect(try backend.inner.findings(FindingFilter()).map(\.code).sorted() == ["R01", "R10"])
        #expect(try backend.inner.occurrences(ofRun: 1).count == 2)
    }

    @Test("commit() without write() writes the rows and commits; abort() before write() hands no row to the store")
    func commitOrAbortWithoutWrite() throws {
        let (folder, backend, history) = try store()
        defer { folder.cleanUp() }
        let first = history.startRecording(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)], deferWriting: true)
        _ = try first.planned()
        backend.note("commit")
        try first.commit()
        #expect(backend.events == ["commit", "rows"])
        #expect(try backend.inner.runs().map(\.id) == [1])

        let second = history.startRecording(runFacts(on: 2), findings: [finding("R10", no: "2", id: idA2)], deferWriting: true)
        _ = try second.planned()
        second.abort()
        #expect(backend.events == ["commit", "rows"])
        #expect(try backend.inner.runs().map(\.id) == [1])
        #expect(try backend.inner.findings(FindingFilter()).map(\.code) == ["R01"])
    }
}

/// The SQLite store, noting when a run's planned rows are handed back to it for writing.
final class EventBackend: HistoryBackend, @unchecked Sendable {
    let inner: SQLiteHistoryBackend
    private let lock = NSLock()
    private var noted: [String] = []
    init(_ inner: SQLiteHistoryBackend) { self.inner = inner }

    var events: [String] { lock.withLock { noted } }
    func note(_ event: String) { lock.withLock { noted.append(event) } }

    var location: String { inner.location }
    func migrate() throws { try inner.migrate() }
    func appliedMigrations() throws -> [String] { try inner.appliedMigrations() }
    func record(term: String, _ apply: (Int64, [StoredFinding]) throws -> RunWrite,
                beforeCommit: () throws -> Void) throws -> RunWrite {
        try inner.record(term: term, { id, stored in
            let write = try apply(id, stored)
            if write.seen != nil { note("rows") }
            return write
        }, beforeCommit: beforeCommit)
    }
    func runs() throws -> [RunRecord] { try inner.runs() }
    func run(_ id: Int64) throws -> RunRecord? { try inner.run(id) }
    func inputs(ofRun id: Int64) throws -> [InputRecord] { try inner.inputs(ofRun: id) }
    func occurrences(ofRun id: Int64) throws -> [OccurrenceRecord] { try inner.occurrences(ofRun: id) }
    func findings(_ filter: FindingFilter) throws -> [FindingRecord] { try inner.findings(filter) }
    func decide(findingID id: String, _ change: (FindingRecord) throws -> (FindingRecord, NoteRecord)) throws -> FindingRecord? {
        try inner.decide(findingID: id, change)
    }
    func notes(ofFinding id: String) throws -> [NoteRecord] { try inner.notes(ofFinding: id) }
    func packages(term: String, schoolCode: String?) throws -> [PackageRecord] { try inner.packages(term: term, schoolCode: schoolCode) }
}
