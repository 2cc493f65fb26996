import Foundation

/// Storage for the run history: transactions and queries, nothing else.
///
/// ## How a backend plugs in
/// The lifecycle (new / open / resolved / reopened / explained / accepted), the scope and the
/// finding identity live in `HistoryLifecycle` and `FindingIdentity`, shared by every backend; a
/// backend only stores what they computed. To add one:
///
/// 1. Create the tables with `HistorySchema.migrations`, in order, each once, in a transaction
///    with its bookkeeping (SQLite: GRDB's `DatabaseMigrator`, whose table is `grdb_migrations`;
///    another backend keeps its own table of applied identifiers, e.g. `zizhu_migrations(identifier
///    TEXT PRIMARY KEY)`). The SQL is written to run unchanged on SQLite and PostgreSQL.
/// 2. `record` is ONE transaction, exclusive against every other writer of the store (SQLite:
///    `BEGIN IMMEDIATE`; PostgreSQL: `LOCK TABLE runs IN EXCLUSIVE MODE` or an advisory lock
///    first), so two runs recording at once never interleave and never read each other's half:
///    it takes the next run id (`max(id) + 1`), loads what the lifecycle needs of every finding of
///    the term (`StoredFinding`: a few short cells each), calls `apply` with both, and writes what
///    `apply` returns (`RunWrite`) — the run row, its inputs, the findings seen by id (insert or
///    replace every column), their occurrences, the findings resolved (status and resolved_run
///    set, an occurrence copied from the stored cells), the packages. When anything throws,
///    nothing of the run is written.
/// 3. Queries return rows in the documented order; ids and times are text, counts and money are
///    64-bit integers (`BIGINT`).
/// 4. Add the backend to `History.open` (a `postgres://` location) and to the store test
///    factories (`Tests/ZizhuHistoryTests/StoreFactories.swift`): the same suite runs on each.
///
/// Backends are synchronous: the jobs run on threads, not in tasks. A client that is async inside
/// (postgres-nio) blocks the calling thread until its work is done — never an event-loop thread.
public protocol HistoryBackend: AnyObject, Sendable {
    /// Where the store is, for messages (a file path; a URL without its password).
    var location: String { get }

    /// Brings the schema to `HistorySchema.latestVersion`, creating it when the store is empty.
    func migrate() throws

    /// The identifiers of the migrations applied, in order.
    func appliedMigrations() throws -> [String]

    /// One run in one exclusive transaction (see the type's comment, step 2). `apply` gets the new
    /// run's id and every finding of `term` (in any order, as `StoredFinding`); its `RunWrite` is written as it stands;
    /// then `beforeCommit` is called, still inside the transaction: when it throws, nothing of the
    /// run is written (a run whose outputs failed after its findings were planned). The rows of
    /// findings and occurrences are let go of once written (`RunWrite.dropWrittenRows`), before
    /// `beforeCommit`. Returns what was written, without those rows.
    @discardableResult
    func record(term: String, _ apply: (_ runID: Int64, _ findings: [StoredFinding]) throws -> RunWrite,
                beforeCommit: () throws -> Void) throws -> RunWrite

    /// Every run, newest first (id descending).
    func runs() throws -> [RunRecord]

    /// One run, or nil.
    func run(_ id: Int64) throws -> RunRecord?

    /// A run's inputs, by `seq`.
    func inputs(ofRun id: Int64) throws -> [InputRecord]

    /// A run's occurrences, by finding's code, school, student number, then finding id.
    func occurrences(ofRun id: Int64) throws -> [OccurrenceRecord]

    /// Findings matching `filter` (an empty list matches all), by code, term, school, student number, id.
    func findings(_ filter: FindingFilter) throws -> [FindingRecord]

    /// In one transaction: reads finding `id` (exact), calls `change` on it and writes the finding
    /// and the note it returns (the note's `seq` is set by the backend: one more than the
    /// finding's last). Returns the finding written, or nil when there is no such finding.
    func decide(findingID id: String, _ change: (FindingRecord) throws -> (FindingRecord, NoteRecord)) throws -> FindingRecord?

    /// A finding's notes, oldest first.
    func notes(ofFinding id: String) throws -> [NoteRecord]

    /// Packages received for `term` (every school, or one), by received_at, run, source.
    func packages(term: String, schoolCode: String?) throws -> [PackageRecord]
}

extension HistoryBackend {
    /// `record` committing as soon as the run is written.
    @discardableResult
    public func record(term: String, _ apply: (_ runID: Int64, _ findings: [StoredFinding]) throws -> RunWrite) throws -> RunWrite {
        try record(term: term, apply, beforeCommit: {})
    }
}
