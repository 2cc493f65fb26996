import Crypto
import Foundation
import PostgresNIO
import ZizhuCore

/// The shared-office history: the same tables as the SQLite store (`HistorySchema.migrations`,
/// unchanged SQL) on a PostgreSQL server, through postgres-nio, selected by
/// `--history postgres://USER@HOST:PORT/DATABASE`.
///
/// ## Two runs at once: explicit locking, not SERIALIZABLE with retry
/// A run's recording is one transaction that first takes `LOCK TABLE runs IN EXCLUSIVE MODE`,
/// then reads the next run id and every finding of the term, computes the lifecycle in Swift,
/// and writes. A note (`decide`) takes the same lock. The lock conflicts with itself and with
/// every write, never with plain reads (`ACCESS SHARE`): a second officer's run waits until the
/// first commits, then reads what it wrote; `history runs` or `findings list` meanwhile see the
/// last committed state, never a half run (READ COMMITTED shows only committed rows).
/// SERIALIZABLE would also be correct, but two runs of one term ALWAYS conflict (both read every
/// finding of the term and update the same rows), so the loser would redo its whole read and
/// lifecycle and rewrite up to ~100,000 findings — waiting is cheaper than redoing, needs no
/// retry loop (the `apply` closure runs exactly once) and cannot livelock. It is the SQLite
/// backend's `BEGIN IMMEDIATE`, so both stores behave alike. A writer waits at most
/// `lockTimeout` for the lock, then the run fails saying another run held the history too long.
///
/// Migrations keep their identifiers in `schema_version` (seq, identifier, applied_at), all
/// applied in one transaction under an advisory lock, so two first runs on an empty database do
/// not both create the tables.
public final class PostgresHistoryBackend: HistoryBackend {
    public let location: String
    private let session: PostgresSession

    /// How long a run or a note waits for another writer's transaction before giving up (as SQLite's busy timeout).
    public static let lockTimeoutSeconds = 60
    /// Rows per INSERT: each column goes as one array bind (`unnest`), so a batch is a single round trip.
    static let batchSize = 5_000

    /// Connects to `url` (`postgres://…`; a password from the URL or `PGPASSWORD`). Does not migrate.
    public convenience init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let parsed: PostgresLocation
        do {
            parsed = try PostgresLocation(url: url, environment: environment)
        } catch let error as PostgresLocationError {
            throw ZizhuError(.usage, Message("historyError.url", ["reason": "\(error)"]), hint: Message("historyError.url.hint"))
        }
        try self.init(location: parsed)
    }

    public init(location: PostgresLocation) throws {
        self.location = location.description
        do {
            session = try PostgresSession.open(location)
        } catch PostgresFailure.cannotConnect(_, let reason) {
            throw ZizhuError(.history, Message("historyError.open", ["path": "\(location)", "reason": "\(reason)"]),
                             hint: Message("historyError.open.postgres.hint"))
        } catch let failure as PostgresFailure {
            throw ZizhuError(.history, Message("historyError.open", ["path": "\(location)", "reason": "\(failure)"]),
                             hint: Message("historyError.open.postgres.hint"))
        }
    }

    // MARK: - Migrations

    public func migrate() throws {
        try migrate(upTo: nil)
    }

    /// Migrates only up to `identifier` (tests build an older store with it); nil: to the latest.
    public func migrate(upTo identifier: String?) throws {
        if let identifier, !HistorySchema.migrations.contains(where: { $0.identifier == identifier }) {
            throw ZizhuError(.history, Message("historyError.noMigration", ["identifier": "\(identifier)"]))
        }
        try wrap("migrate") {
            try session.transaction {
                // One migrator at a time per schema: the key is this schema's name.
                try session.execute("SELECT pg_advisory_xact_lock(hashtext('zizhu.history.migrate.' || current_schema()))")
                try session.execute("""
                    CREATE TABLE IF NOT EXISTS schema_version (
                        seq BIGINT PRIMARY KEY, identifier TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)
                    """)
                // The check value of the secret behind the student keys (PostgresHistory.swift), one row.
                try session.execute("CREATE TABLE IF NOT EXISTS secret_check (id BIGINT PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL)")
                let applied = try appliedIdentifiers()
                let known = HistorySchema.migrations.map(\.identifier)
                if let unknown = applied.first(where: { !known.contains($0) }) {
                    throw ZizhuError(.history, Message("historyError.unknownMigration", ["location": "\(location)", "migration": "\(unknown)"]),
                                     hint: Message("historyError.unknownMigration.hint"))
                }
                var wanted = HistorySchema.migrations
                if let identifier, let last = wanted.firstIndex(where: { $0.identifier == identifier }) {
                    wanted = Array(wanted[...last])
                }
                var seq = Int64(applied.count)
                for migration in wanted where !applied.contains(migration.identifier) {
                    for statement in migration.statements { try session.execute(statement) }
                    seq += 1
                    var binds = PostgresBindings()
                    binds.append(seq)
                    binds.append(migration.identifier)
                    binds.append(Self.now())
                    try session.query(PostgresQuery(unsafeSQL: "INSERT INTO schema_version (seq, identifier, applied_at) VALUES ($1, $2, $3)",
                                                    binds: binds))
                }
            }
        }
    }

    public func appliedMigrations() throws -> [String] {
        try wrap("read") {
            try session.serialized {
                let exists = try session.scalarInt("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_version'")
                return try exists == 0 ? [] : appliedIdentifiers()
            }
        }
    }

    private func appliedIdentifiers() throws -> [String] {
        try session.execute("SELECT identifier FROM schema_version ORDER BY seq").map { try $0.decode(String.self) }
    }

    /// Stores the secret's check value on first use; refuses a secret whose check value differs.
    func checkSecret(_ secret: Data, path: String) throws {
        let check = HMAC<SHA256>.authenticationCode(for: Data("zizhu history secret check".utf8), using: SymmetricKey(data: secret))
        let value = check.map { String(format: "%02x", $0) }.joined()
        let stored: String? = try wrap("check the secret of") {
            // Read first, without a lock: a store that has its check value (all but a new one)
            // opens at once, even while another officer's run is recording.
            if let row = try session.execute("SELECT value FROM secret_check WHERE id = 1").first {
                return try row.decode(String.self)
            }
            return try session.transaction { () throws -> String? in
                try takeWriterLock()
                if let row = try session.execute("SELECT value FROM secret_check WHERE id = 1").first {
                    return try row.decode(String.self)
                }
                try session.query(PostgresQuery(unsafeSQL: "INSERT INTO secret_check (id, value) VALUES (1, $1)", binds: Self.binds(value)))
                return nil
            }
        }
        if let stored, stored != value {
            throw ZizhuError(.configuration, Message("historyError.secret.other", ["path": path, "location": "\(location)"]),
                             hint: Message("historyError.secret.other.hint", ["variable": Self.secretVariable]))
        }
    }

    // MARK: - Writing

    @discardableResult
    public func record(term: String, _ apply: (Int64, [StoredFinding]) throws -> RunWrite,
                       beforeCommit: () throws -> Void) throws -> RunWrite {
        try wrap("record a run in") {
            try session.transaction { () throws -> RunWrite in
                try takeWriterLock()
                let next = (try session.scalarInt("SELECT COALESCE(MAX(id), 0) + 1 FROM runs")) ?? 1
                let stored = try fetchStored(term: term)
                var write = try apply(next, stored)
                try insert(write)
                write.dropWrittenRows()
                try beforeCommit()
                return write
            }
        }
    }

    public func decide(findingID id: String, _ change: (FindingRecord) throws -> (FindingRecord, NoteRecord)) throws -> FindingRecord? {
        try wrap("record a note in") {
            try session.transaction { () throws -> FindingRecord? in
                try takeWriterLock()
                guard let finding = try fetchFindings(where: "id = $1", binds: Self.binds(id)).first else { return nil }
                var (updated, note) = try change(finding)
                updated.id = finding.id
                try upsert([updated])
                note.seq = Int((try session.scalarInt("SELECT COALESCE(MAX(seq), 0) + 1 FROM notes WHERE finding_id = $1",
                                                      Self.binds(finding.id))) ?? 1)
                var binds = PostgresBindings()
                binds.append(note.findingID)
                binds.append(Int64(note.seq))
                binds.append(note.at)
                binds.append(note.by)
                binds.append(note.status.rawValue)
                binds.append(note.note)
                try session.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO notes (\(HistorySchema.noteColumns.joined(separator: ", "))) VALUES ($1, $2, $3, $4, $5, $6)
                    """, binds: binds))
                return updated
            }
        }
    }

    /// The writers' lock (see the type's comment); waits at most `lockTimeoutSeconds`.
    private func takeWriterLock() throws {
        try session.execute("SET LOCAL lock_timeout = '\(Self.lockTimeoutSeconds)s'")
        try session.execute("LOCK TABLE runs IN EXCLUSIVE MODE")
    }

    private func insert(_ write: RunWrite) throws {
        let r = write.run
        var binds = PostgresBindings()
        binds.append(r.id)
        binds.append(r.job)
        binds.append(r.term)
        binds.append(r.scope)
        binds.append(r.toolVersion)
        binds.append(r.configHash)
        binds.append(r.command)
        binds.append(r.startedAt)
        binds.append(r.finishedAt)
        binds.append(Int64(r.exitStatus))
        binds.append(r.outcome)
        binds.append(r.error)
        binds.append(r.counts)
        binds.append(r.totals)
        binds.append(Int64(r.newCount))
        binds.append(Int64(r.openCount))
        binds.append(Int64(r.reopenedCount))
        binds.append(Int64(r.resolvedCount))
        binds.append(Int64(r.decidedCount))
        let columns = HistorySchema.runColumns
        try session.query(PostgresQuery(unsafeSQL: "INSERT INTO runs (\(columns.joined(separator: ", "))) VALUES (\(Self.marks(columns.count)))",
                                        binds: binds))

        for batch in Self.batches(write.inputs) {
            try bulkInsert(table: "inputs", into: "run_inputs", columns: HistorySchema.inputColumns, rows: batch.count) { columns in
                columns.int(batch.map { _ in r.id })
                columns.int(batch.map { Int64($0.seq) })
                columns.text(batch.map(\.name))
                columns.int(batch.map(\.bytes))
                columns.text(batch.map(\.sha256))
            }
        }
        var findings: [FindingRecord] = []
        try write.forEachFinding { finding in
            findings.append(finding)
            if findings.count == Self.batchSize { try upsert(findings); findings.removeAll(keepingCapacity: true) }
        }
        try upsert(findings)
        var occurrences: [OccurrenceRecord] = []
        try write.forEachOccurrence { occurrence in
            occurrences.append(occurrence)
            if occurrences.count == Self.batchSize { try insertOccurrences(occurrences); occurrences.removeAll(keepingCapacity: true) }
        }
        try insertOccurrences(occurrences)
        // Resolved by this run: the status changes; the occurrence keeps the cells the store holds.
        for batch in Self.batches(write.resolved) {
            var binds = PostgresBindings()
            binds.append(r.id)
            binds.append(Array(batch))
            try session.query(PostgresQuery(unsafeSQL: """
                INSERT INTO occurrences (\(HistorySchema.occurrenceColumns.joined(separator: ", ")))
                SELECT $1::bigint, id, 0, 'resolved', code, severity, school_code, student_no, name, id_masked, expected, actual,
                       detail, sources
                FROM findings WHERE id = ANY($2::text[])
                """, binds: binds))
            try session.query(PostgresQuery(unsafeSQL: """
                UPDATE findings SET status = 'resolved', resolved_run = $1::bigint WHERE id = ANY($2::text[])
                """, binds: binds))
        }
        for batch in Self.batches(write.packages) {
            try bulkInsert(table: "packages", into: "packages", columns: HistorySchema.packageColumns, rows: batch.count) { columns in
                columns.int(batch.map { _ in r.id })
                columns.text(batch.map(\.schoolCode))
                columns.text(batch.map(\.term))
                columns.text(batch.map(\.fingerprint))
                columns.text(batch.map(\.generatedAt))
                columns.text(batch.map(\.verdict))
                columns.text(batch.map(\.source))
                columns.text(batch.map(\.receivedAt))
            }
        }
    }

    /// Inserts occurrences in one statement (a batch of at most `batchSize`).
    private func insertOccurrences(_ batch: [OccurrenceRecord]) throws {
        try bulkInsert(table: "occurrences", into: "occurrences", columns: HistorySchema.occurrenceColumns, rows: batch.count) { columns in
            columns.int(batch.map(\.runID))
            columns.text(batch.map(\.findingID))
            columns.int(batch.map { $0.present ? 1 : 0 })
            columns.text(batch.map(\.status.rawValue))
            columns.text(batch.map(\.display.code))
            columns.text(batch.map(\.display.severity))
            columns.text(batch.map(\.display.schoolCode))
            columns.shownFacts(batch.map(\.display))
        }
    }

    /// Inserts or replaces every column of each finding (by id), in batches.
    private func upsert(_ findings: [FindingRecord]) throws {
        let updates = HistorySchema.findingColumns.dropFirst().map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        for batch in Self.batches(findings) {
            try bulkInsert(table: "findings", into: "findings", columns: HistorySchema.findingColumns, rows: batch.count,
                           suffix: "ON CONFLICT (id) DO UPDATE SET \(updates)") { columns in
                columns.text(batch.map(\.id))
                columns.text(batch.map(\.code))
                columns.text(batch.map(\.term))
                columns.text(batch.map(\.schoolCode))
                columns.text(batch.map(\.studentKey))
                columns.text(batch.map(\.job))
                columns.text(batch.map(\.status.rawValue))
                columns.text(batch.map(\.facts))
                columns.int(batch.map(\.firstSeenRun))
                columns.text(batch.map(\.firstSeenAt))
                columns.int(batch.map(\.lastSeenRun))
                columns.text(batch.map(\.lastSeenAt))
                columns.optionalInt(batch.map(\.resolvedRun))
                columns.text(batch.map(\.decidedBy))
                columns.text(batch.map(\.decidedAt))
                columns.text(batch.map(\.note))
                columns.text(batch.map(\.decidedFacts))
                columns.text(batch.map(\.display.severity))
                columns.shownFacts(batch.map(\.display))
            }
        }
    }

    /// Array binds, one per column, in the table's column order.
    struct ColumnBinds {
        var binds = PostgresBindings()
        var casts: [String] = []
        mutating func text(_ values: [String]) { binds.append(values); casts.append("text[]") }
        mutating func int(_ values: [Int64]) { binds.append(values); casts.append("bigint[]") }
        /// nil as 0, turned back into NULL by the statement (run ids start at 1).
        mutating func optionalInt(_ values: [Int64?]) { binds.append(values.map { $0 ?? 0 }); casts.append("bigint[]?") }
        /// The shown facts both tables end with, in their column order: student_no, name, id
        /// (masked), expected, actual, detail, sources.
        mutating func shownFacts(_ facts: [FindingFacts]) {
            text(facts.map(\.studentNo))
            text(facts.map(\.name))
            text(facts.map(\.idMasked))
            text(facts.map(\.expected))
            text(facts.map(\.actual))
            text(facts.map(\.detail))
            text(facts.map(\.sources))
        }
    }

    /// `INSERT INTO table (columns) SELECT * FROM unnest($1::text[], $2::bigint[], …)`: one round trip per batch.
    private func bulkInsert(table: String, into name: String, columns: [String], rows: Int, suffix: String = "",
                            _ fill: (inout ColumnBinds) -> Void) throws {
        guard rows > 0 else { return }
        var values = ColumnBinds()
        fill(&values)
        precondition(values.casts.count == columns.count, "\(table): \(values.casts.count) binds for \(columns.count) columns")
        let arguments = values.casts.enumerated().map { index, cast in "$\(index + 1)::\(cast.replacingOccurrences(of: "?", with: ""))" }
        let selected = values.casts.enumerated().map { index, cast in
            cast.hasSuffix("?") ? "NULLIF(c\(index), 0)" : "c\(index)"
        }
        let aliases = columns.indices.map { "c\($0)" }.joined(separator: ", ")
        let sql = """
            INSERT INTO \(name) (\(columns.joined(separator: ", ")))
            SELECT \(selected.joined(separator: ", ")) FROM unnest(\(arguments.joined(separator: ", "))) AS u(\(aliases)) \(suffix)
            """
        try session.query(PostgresQuery(unsafeSQL: sql, binds: values.binds))
    }

    // MARK: - Reading

    public func runs() throws -> [RunRecord] {
        try wrap("read") { try session.serialized { try session.execute("SELECT \(Self.runList) FROM runs ORDER BY id DESC").map(Self.runRecord) } }
    }

    public func run(_ id: Int64) throws -> RunRecord? {
        try wrap("read") {
            try session.serialized {
                try session.query(PostgresQuery(unsafeSQL: "SELECT \(Self.runList) FROM runs WHERE id = $1", binds: Self.binds(id)))
                    .first.map(Self.runRecord)
            }
        }
    }

    public func inputs(ofRun id: Int64) throws -> [InputRecord] {
        try wrap("read") {
            try session.serialized {
                try session.query(PostgresQuery(unsafeSQL: "SELECT run_id, seq, name, bytes, sha256 FROM run_inputs WHERE run_id = $1 ORDER BY seq",
                                                binds: Self.binds(id))).map { row in
                    let (runID, seq, name, bytes, sha256) = try row.decode((Int64, Int64, String, Int64, String).self)
                    return InputRecord(runID: runID, seq: Int(seq), name: name, bytes: bytes, sha256: sha256)
                }
            }
        }
    }

    public func occurrences(ofRun id: Int64) throws -> [OccurrenceRecord] {
        try wrap("read") {
            try session.serialized {
                try session.query(PostgresQuery(unsafeSQL: """
                    SELECT \(HistorySchema.occurrenceColumns.joined(separator: ", ")) FROM occurrences WHERE run_id = $1
                    ORDER BY code COLLATE "C", school_code COLLATE "C", student_no COLLATE "C", finding_id COLLATE "C"
                    """, binds: Self.binds(id))).map { row in
                    let cells = row.makeRandomAccess()
                    return OccurrenceRecord(runID: try cells[0].decode(Int64.self), findingID: try cells[1].decode(String.self),
                                            present: try cells[2].decode(Int64.self) != 0,
                                            status: FindingStatus(rawValue: try cells[3].decode(String.self)) ?? .open,
                                            display: try Self.facts(cells, from: 4))
                }
            }
        }
    }

    public func findings(_ filter: FindingFilter) throws -> [FindingRecord] {
        var clauses: [String] = []
        var binds = PostgresBindings()
        if !filter.statuses.isEmpty {
            binds.append(filter.statuses.map(\.rawValue))
            clauses.append("status = ANY($\(binds.count)::text[])")
        }
        if !filter.codes.isEmpty {
            binds.append(filter.codes)
            clauses.append("code = ANY($\(binds.count)::text[])")
        }
        if let term = filter.term { binds.append(term); clauses.append("term = $\(binds.count)") }
        if let school = filter.schoolCode { binds.append(school); clauses.append("school_code = $\(binds.count)") }
        if let prefix = filter.idPrefix {
            binds.append(prefix.lowercased().filter(\.isHexDigit) + "%")
            clauses.append("id LIKE $\(binds.count)")
        }
        let condition = clauses.isEmpty ? "TRUE" : clauses.joined(separator: " AND ")
        return try wrap("read") { try session.serialized { try fetchFindings(where: condition, binds: binds) } }
    }

    public func notes(ofFinding id: String) throws -> [NoteRecord] {
        try wrap("read") {
            try session.serialized {
                try session.query(PostgresQuery(unsafeSQL: """
                    SELECT \(HistorySchema.noteColumns.joined(separator: ", ")) FROM notes WHERE finding_id = $1 ORDER BY seq
                    """, binds: Self.binds(id))).map { row in
                    let (findingID, seq, at, by, status, note) = try row.decode((String, Int64, String, String, String, String).self)
                    return NoteRecord(findingID: findingID, seq: Int(seq), at: at, by: by,
                                      status: FindingStatus(rawValue: status) ?? .explained, note: note)
                }
            }
        }
    }

    public func packages(term: String, schoolCode: String?) throws -> [PackageRecord] {
        try wrap("read") {
            try session.serialized {
                var sql = "SELECT \(HistorySchema.packageColumns.joined(separator: ", ")) FROM packages WHERE term = $1"
                var binds = Self.binds(term)
                if let schoolCode { binds.append(schoolCode); sql += " AND school_code = $2" }
                sql += " ORDER BY received_at COLLATE \"C\", run_id, source COLLATE \"C\""
                return try session.query(PostgresQuery(unsafeSQL: sql, binds: binds)).map { row in
                    let (runID, school, term, fingerprint, generatedAt, verdict, source, receivedAt) =
                        try row.decode((Int64, String, String, String, String, String, String, String).self)
                    return PackageRecord(runID: runID, schoolCode: school, term: term, fingerprint: fingerprint,
                                         generatedAt: generatedAt, verdict: verdict, source: source, receivedAt: receivedAt)
                }
            }
        }
    }

    /// Findings in the documented order. Text compares byte-wise (`COLLATE "C"`), as in SQLite, whatever
    /// the database's own collation.
    private func fetchFindings(where condition: String, binds: PostgresBindings) throws -> [FindingRecord] {
        try session.query(PostgresQuery(unsafeSQL: """
            SELECT \(HistorySchema.findingColumns.joined(separator: ", ")) FROM findings WHERE \(condition)
            ORDER BY code COLLATE "C", term COLLATE "C", school_code COLLATE "C", student_no COLLATE "C", id COLLATE "C"
            """, binds: binds)).map { row in
            let c = row.makeRandomAccess()
            let code = try c[1].decode(String.self)
            let schoolCode = try c[3].decode(String.self)
            let display = FindingFacts(code: code, severity: try c[17].decode(String.self), schoolCode: schoolCode,
                                       studentNo: try c[18].decode(String.self), name: try c[19].decode(String.self),
                                       idMasked: try c[20].decode(String.self), expected: try c[21].decode(String.self),
                                       actual: try c[22].decode(String.self), detail: try c[23].decode(String.self),
                                       sources: try c[24].decode(String.self))
            return FindingRecord(id: try c[0].decode(String.self), code: code, term: try c[2].decode(String.self),
                                 schoolCode: schoolCode, studentKey: try c[4].decode(String.self), job: try c[5].decode(String.self),
                                 status: FindingStatus(rawValue: try c[6].decode(String.self)) ?? .open, facts: try c[7].decode(String.self),
                                 firstSeenRun: try c[8].decode(Int64.self), firstSeenAt: try c[9].decode(String.self),
                                 lastSeenRun: try c[10].decode(Int64.self), lastSeenAt: try c[11].decode(String.self),
                                 resolvedRun: try c[12].decode(Int64?.self), decidedBy: try c[13].decode(String.self),
                                 decidedAt: try c[14].decode(String.self), note: try c[15].decode(String.self),
                                 decidedFacts: try c[16].decode(String.self), display: display)
        }
    }

    /// What the run's lifecycle needs of each finding of `term` (`StoredFinding.columns`), in no
    /// particular order; the many equal first-seen times share one string.
    private func fetchStored(term: String) throws -> [StoredFinding] {
        var times = Interned()
        return try session.query(PostgresQuery(unsafeSQL: """
            SELECT \(StoredFinding.columns.joined(separator: ", ")) FROM findings WHERE term = $1
            """, binds: Self.binds(term))).map { row in
            let c = row.makeRandomAccess()
            return StoredFinding(id: try c[0].decode(String.self), job: try c[1].decode(String.self),
                                 schoolCode: try c[2].decode(String.self),
                                 status: FindingStatus(rawValue: try c[3].decode(String.self)) ?? .open,
                                 firstSeenRun: try c[4].decode(Int64.self), firstSeenAt: times.share(try c[5].decode(String.self)),
                                 decidedBy: try c[6].decode(String.self), decidedAt: try c[7].decode(String.self),
                                 note: try c[8].decode(String.self), decidedFacts: try c[9].decode(String.self))
        }
    }

    private static func facts(_ c: PostgresRandomAccessRow, from first: Int) throws -> FindingFacts {
        FindingFacts(code: try c[first].decode(String.self), severity: try c[first + 1].decode(String.self),
                     schoolCode: try c[first + 2].decode(String.self), studentNo: try c[first + 3].decode(String.self),
                     name: try c[first + 4].decode(String.self), idMasked: try c[first + 5].decode(String.self),
                     expected: try c[first + 6].decode(String.self), actual: try c[first + 7].decode(String.self),
                     detail: try c[first + 8].decode(String.self), sources: try c[first + 9].decode(String.self))
    }

    private static let runList = HistorySchema.runColumns.joined(separator: ", ")

    private static func runRecord(_ row: PostgresRow) throws -> RunRecord {
        let c = row.makeRandomAccess()
        return RunRecord(id: try c[0].decode(Int64.self), job: try c[1].decode(String.self), term: try c[2].decode(String.self),
                         scope: try c[3].decode(String.self), toolVersion: try c[4].decode(String.self),
                         configHash: try c[5].decode(String.self), command: try c[6].decode(String.self),
                         startedAt: try c[7].decode(String.self), finishedAt: try c[8].decode(String.self),
                         exitStatus: Int(try c[9].decode(Int64.self)), outcome: try c[10].decode(String.self),
                         error: try c[11].decode(String.self), counts: try c[12].decode(String.self),
                         totals: try c[13].decode(String.self), newCount: Int(try c[14].decode(Int64.self)),
                         openCount: Int(try c[15].decode(Int64.self)), reopenedCount: Int(try c[16].decode(Int64.self)),
                         resolvedCount: Int(try c[17].decode(Int64.self)), decidedCount: Int(try c[18].decode(Int64.self)))
    }

    // MARK: - Helpers

    private static func binds(_ value: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(value)
        return binds
    }

    private static func binds(_ value: Int64) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(value)
        return binds
    }

    private static func marks(_ n: Int) -> String { (1...n).map { "$\($0)" }.joined(separator: ", ") }

    private static func batches<T>(_ items: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: batchSize).map { items[$0..<min($0 + batchSize, items.count)] }
    }

    private static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    /// Server and decoding failures as the history's errors (ZizhuErrors pass through unchanged).
    private func wrap<T>(_ action: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ZizhuError {
            throw error
        } catch PostgresFailure.statement(let reason, let sqlState) {
            throw ZizhuError(.history, Message("historyError.action", ["location": "\(location)", "reason": "\(reason)"],
                                              parts: ["action": HistoryWords.action(action)]),
                             hint: sqlState == "55P03" ? Message("historyError.busy.hint") : nil)
        } catch {
            throw ZizhuError(.history, Message("historyError.action", ["location": "\(location)", "reason": "\(error)"],
                                              parts: ["action": HistoryWords.action(action)]))
        }
    }
}
