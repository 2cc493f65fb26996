import Foundation
import Testing
import ZizhuCore
import ZizhuHistory
import ZizhuTestSupport

/// `History.startRecording`: the run is planned inside its transaction, the caller writes its
/// outputs meanwhile, and only `commit()` makes the run visible; `abort()` leaves no trace of it.
@Suite("History: recording beside the outputs, on every store")
struct RecordingTests {
    @Test("planned findings are annotated before the commit, and another connection sees nothing of the run until it",
          arguments: StoreFactory.all)
    func plannedBeforeCommit(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            _ = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])
            let recording = history.startRecording(runFacts(on: 2), findings: [finding("R01", no: "1", id: idA1),
                                                                               finding("R10", no: "2", id: idA2)])
            // A test that stops early must not leave the transaction open (the store's clean-up would wait on it).
            defer { recording.abort() }
            let planned = try recording.planned()
            #expect(planned.run.id == 2)
            #expect(planned.previousRunID == 1)
            #expect(planned.annotations.map(\.status) == [.open, .new])
            #expect(planned.annotations.first?.firstSeen == HistoryLifecycle.timestamp(day(1)))
            // Not committed: a second connection still sees only the first run.
            let other = try factory.reopen(history)
            #expect(try other.backend.runs().map(\.id) == [1])
            #expect(try other.backend.findings(FindingFilter()).count == 1)

            let committed = try recording.commit()
            #expect(committed.run.id == 2)
            #expect(try other.backend.runs().map(\.id) == [2, 1])
            #expect(try other.backend.findings(FindingFilter()).map(\.code).sorted() == ["R01", "R10"])
        }
    }

    @Test("an aborted recording writes nothing: no run, no finding, no occurrence; the next run takes its id",
          arguments: StoreFactory.all)
    func abortWritesNothing(_ factory: StoreFactory) throws {
        try withStore(factory) { history, _ in
            _ = try history.record(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])
            let recording = history.startRecording(runFacts(on: 2), findings: [finding("R10", no: "2", id: idA2)])
            defer { recording.abort() }
            #expect(try recording.planned().annotations.map(\.status) == [.new])
            recording.abort()
            #expect(try history.backend.runs().map(\.id) == [1])
            #expect(try history.backend.findings(FindingFilter()).map(\.code) == ["R01"])
            #expect(try history.backend.findings(FindingFilter()).first?.status == .new)
            #expect(try history.backend.occurrences(ofRun: 2).isEmpty)
            // The failed run is then recorded as such, under the id the aborted one would have had.
            let failed = try history.recordFailure(runFacts(on: 2, exit: 3), reason: "report.html could not be written")
            #expect(failed.id == 2)
            #expect(failed.outcome == "failed")
            #expect(try history.backend.findings(FindingFilter()).first?.status == .new)
        }
    }

    @Test("a store that cannot record makes planned() throw its error, and the run is not recorded")
    func failureBeforePlanning() throws {
        let folder = try ScratchFolder(prefix: "zizhu-recording")
        defer { folder.cleanUp() }
        let inner = try SQLiteHistoryBackend(path: folder.file("history.db"))
        try inner.migrate()
        let history = History(backend: RefusingBackend(inner), secret: Data(repeating: 7, count: 32))
        let recording = history.startRecording(runFacts(on: 1), findings: [finding("R01", no: "1", id: idA1)])
        #expect(throws: ZizhuError.self) { try recording.planned() }
        recording.abort()
        #expect(throws: ZizhuError.self) { try recording.commit() }
        #expect(try inner.runs().isEmpty)
    }
}

/// A store whose `record` fails as a full disk or a lock held too long would; everything else
/// is the SQLite store's.
final class RefusingBackend: HistoryBackend, @unchecked Sendable {
    let inner: SQLiteHistoryBackend
    init(_ inner: SQLiteHistoryBackend) { self.inner = inner }
    var location: String { inner.location }
    func migrate() throws { try inner.migrate() }
    func appliedMigrations() throws -> [String] { try inner.appliedMigrations() }
    func record(term: String, _ apply: (Int64, [StoredFinding]) throws -> RunWrite,
                beforeCommit: () throws -> Void) throws -> RunWrite {
        throw ZizhuError(.history, "cannot record a run in the history \(location): database or disk is full")
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
