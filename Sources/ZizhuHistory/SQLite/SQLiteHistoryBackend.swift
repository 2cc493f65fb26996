import Foundation
import GRDB
import GRDBSQLite
import ZizhuCore

/// The embedded history: one SQLite file through GRDB, made with mode 0600, migrated by GRDB's
/// `DatabaseMigrator` with `HistorySchema.migrations`. Every write is one `BEGIN IMMEDIATE`
/// transaction, so two processes recording into one file take turns (each waits up to
/// `busyTimeout` for the other) and never see each other's half-written run.
public final class SQLiteHistoryBackend: HistoryBackend {
    public let location: String
    private let queue: DatabaseQueue
    private let migrator: DatabaseMigrator

    /// How long a run waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 60

    public init(path: String) throws {
        location = path
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            // Made 0600 before SQLite opens it; SQLite gives its journal the same mode.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 {
                close(fd)
            } else if errno != EEXIST {
                throw ZizhuError(.history, Message("historyError.create", ["path": path, "reason": String(cString: strerror(errno))]),
                                 hint: Message("historyError.create.hint"))
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        // A run reads a few cells of every finding of its term (in table order) and writes a row
        // per finding and per occurrence in one transaction: with SQLite's default 2 MB page cache
        // the id indexes' pages go to the kernel again and again; 16 MB holds them. (More only
        // holds the run's own new pages until the commit — 64 MB of them at 100,000 findings — at
        // the peak of the run's memory.)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -16384") }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw ZizhuError(.history, Message("historyError.open", ["path": path, "reason": "\(error)"]), hint: Message("historyError.open.sqlite.hint"))
        }
        var migrator = DatabaseMigrator()
        for migration in HistorySchema.migrations {
            migrator.registerMigration(migration.identifier) { db in
                for statement in migration.statements { try db.execute(sql: statement) }
            }
        }
        self.migrator = migrator
    }

    public func migrate() throws {
        // GRDB's migrator checks what is applied, then applies each migration in a transaction of
        // its own: two processes opening a new store at once may both try v1, and the later one
        // fails on "table runs already exists" — having rolled back, it looks again and finds the
        // other's migrations applied.
        var attempt = 0
        while true {
            do {
                return try wrap("migrate") { try migrator.migrate(queue) }
            } catch {
                attempt += 1
                if attempt >= 5 { throw error }
            }
        }
    }

    /// Migrates only up to `identifier` (tests build an older store with it).
    public func migrate(upTo identifier: String) throws {
        try wrap("migrate") { try migrator.migrate(queue, upTo: identifier) }
    }

    public func appliedMigrations() throws -> [String] {
        try wrap("read") { try queue.read { try migrator.appliedMigrations($0) } }
    }

    @discardableResult
    public func record(term: String, _ apply: (Int64, [StoredFinding]) throws -> RunWrite,
                       beforeCommit: () throws -> Void) throws -> RunWrite {
        try wrap("record a run in") {
            try queue.writeWithoutTransaction { db in
                var written: RunWrite?
                try db.inTransaction(.immediate) {
                    let next = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM runs")) ?? 1
                    let stored = try Self.fetchStored(db, term: term)
                    var write = try apply(next, stored)
                    try Self.insert(write, db)
                    write.dropWrittenRows()
                    try beforeCommit()
                    written = write
                    return .commit
                }
                guard let written else { throw ZizhuError(.history, Message("historyError.notRecorded")) }
                return written
            }
        }
    }

    public func runs() throws -> [RunRecord] {
        try wrap("read") { try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id DESC").map(Self.run) } }
    }

    public func run(_ id: Int64) throws -> RunRecord? {
        try wrap("read") {
            try queue.read { db in try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]).map(Self.run) }
        }
    }

    public func inputs(ofRun id: Int64) throws -> [InputRecord] {
        try wrap("read") {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM run_inputs WHERE run_id = ? ORDER BY seq", arguments: [id]).map { row in
                    InputRecord(runID: row["run_id"], seq: Int(row["seq"] as Int64), name: row["name"], bytes: row["bytes"],
                                sha256: row["sha256"])
                }
            }
        }
    }

    public func occurrences(ofRun id: Int64) throws -> [OccurrenceRecord] {
        try wrap("read") {
            try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM occurrences WHERE run_id = ? ORDER BY code, school_code, student_no, finding_id
                    """, arguments: [id]).map { row in
                    OccurrenceRecord(runID: row["run_id"], findingID: row["finding_id"], present: (row["present"] as Int64) != 0,
                                     status: FindingStatus(rawValue: row["status"]) ?? .open, display: Self.facts(row))
                }
            }
        }
    }

    public func findings(_ filter: FindingFilter) throws -> [FindingRecord] {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if !filter.statuses.isEmpty {
            clauses.append("status IN (" + filter.statuses.map { _ in "?" }.joined(separator: ", ") + ")")
            arguments += filter.statuses.map(\.rawValue)
        }
        if !filter.codes.isEmpty {
            clauses.append("code IN (" + filter.codes.map { _ in "?" }.joined(separator: ", ") + ")")
            arguments += filter.codes
        }
        if let term = filter.term { clauses.append("term = ?"); arguments.append(term) }
        if let school = filter.schoolCode { clauses.append("school_code = ?"); arguments.append(school) }
        if let prefix = filter.idPrefix {
            clauses.append("id LIKE ?")
            arguments.append(prefix.lowercased().filter(\.isHexDigit) + "%")
        }
        let condition = clauses.isEmpty ? "1 = 1" : clauses.joined(separator: " AND ")
        return try wrap("read") {
            try queue.read { db in try Self.fetchFindings(db, where: condition, StatementArguments(arguments)) }
        }
    }

    public func decide(findingID id: String, _ change: (FindingRecord) throws -> (FindingRecord, NoteRecord)) throws -> FindingRecord? {
        try wrap("record a note in") {
            try queue.writeWithoutTransaction { db in
                var written: FindingRecord?
                try db.inTransaction(.immediate) {
                    guard let finding = try Self.fetchFindings(db, where: "id = ?", [id]).first else { return .rollback }
                    var (updated, note) = try change(finding)
                    try Self.upsert(updated, db)
                    note.seq = Int((try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM notes WHERE finding_id = ?",
                                                        arguments: [id])) ?? 1)
                    try db.execute(sql: "INSERT INTO notes (\(HistorySchema.noteColumns.joined(separator: ", "))) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [note.findingID, Int64(note.seq), note.at, note.by, note.status.rawValue, note.note])
                    written = updated
                    return .commit
                }
                return written
            }
        }
    }

    public func notes(ofFinding id: String) throws -> [NoteRecord] {
        try wrap("read") {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM notes WHERE finding_id = ? ORDER BY seq", arguments: [id]).map { row in
                    NoteRecord(findingID: row["finding_id"], seq: Int(row["seq"] as Int64), at: row["at"], by: row["by_name"],
                               status: FindingStatus(rawValue: row["status"]) ?? .explained, note: row["note"])
                }
            }
        }
    }

    public func packages(term: String, schoolCode: String?) throws -> [PackageRecord] {
        try wrap("read") {
            try queue.read { db in
                var sql = "SELECT * FROM packages WHERE term = ?"
                var arguments: StatementArguments = [term]
                if let schoolCode { sql += " AND school_code = ?"; arguments += [schoolCode] }
                sql += " ORDER BY received_at, run_id, source"
                return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    PackageRecord(runID: row["run_id"], schoolCode: row["school_code"], term: row["term"], fingerprint: row["fingerprint"],
                                  generatedAt: row["generated_at"], verdict: row["verdict"], source: row["source"],
                                  receivedAt: row["received_at"])
                }
            }
        }
    }

    // MARK: - Rows

    private func wrap<T>(_ action: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ZizhuError {
            throw error
        } catch let error as DatabaseError {
            throw ZizhuError(.history, Message("historyError.action", ["location": location, "reason": error.message ?? "\(error.resultCode)"],
                                              parts: ["action": HistoryWords.action(action)]),
                             hint: error.resultCode == .SQLITE_BUSY ? Message("historyError.busy.hint") : nil)
        }
    }

    private static func insert(_ write: RunWrite, _ db: Database) throws {
        let r = write.run
        try db.execute(sql: "INSERT INTO runs (\(HistorySchema.runColumns.joined(separator: ", "))) VALUES (\(marks(HistorySchema.runColumns.count)))",
                       arguments: [r.id, r.job, r.term, r.scope, r.toolVersion, r.configHash, r.command, r.startedAt, r.finishedAt,
                                   Int64(r.exitStatus), r.outcome, r.error, r.counts, r.totals, Int64(r.newCount), Int64(r.openCount),
                                   Int64(r.reopenedCount), Int64(r.resolvedCount), Int64(r.decidedCount)])
        let input = try db.makeStatement(sql: "INSERT INTO run_inputs (\(HistorySchema.inputColumns.joined(separator: ", "))) VALUES (\(marks(5)))")
        for i in write.inputs {
            try input.execute(arguments: [r.id, Int64(i.seq), i.name, i.bytes, i.sha256])
        }
        // A run writes a row per finding and per occurrence (100,000 of each is a big run):
        // bound through SQLite's C API, GRDB's arguments cost more than SQLite's work.
        let findingStatement = try RowBinder(upsertStatement(db), db)
        try write.forEachFinding { f in
            let d = f.display
            try findingStatement.insert { b in
                b.text(f.id); b.text(f.code); b.text(f.term); b.text(f.schoolCode); b.text(f.studentKey); b.text(f.job)
                b.text(f.status.rawValue); b.text(f.facts); b.int(f.firstSeenRun); b.text(f.firstSeenAt); b.int(f.lastSeenRun)
                b.text(f.lastSeenAt); b.int(f.resolvedRun); b.text(f.decidedBy); b.text(f.decidedAt); b.text(f.note)
                b.text(f.decidedFacts); b.text(d.severity); b.text(d.studentNo); b.text(d.name); b.text(d.idMasked)
                b.text(d.expected); b.text(d.actual); b.text(d.detail); b.text(d.sources)
            }
        }
        let occurrence = try RowBinder(db.makeStatement(sql: "INSERT INTO occurrences (\(HistorySchema.occurrenceColumns.joined(separator: ", "))) VALUES (\(marks(HistorySchema.occurrenceColumns.count)))"), db)
        try write.forEachOccurrence { o in
            let d = o.display
            try occurrence.insert { b in
                b.int(o.runID); b.text(o.findingID); b.int(o.present ? 1 : 0); b.text(o.status.rawValue); b.text(d.code)
                b.text(d.severity); b.text(d.schoolCode); b.text(d.studentNo); b.text(d.name); b.text(d.idMasked)
                b.text(d.expected); b.text(d.actual); b.text(d.detail); b.text(d.sources)
            }
        }
        // Resolved by this run: the status changes; the occurrence keeps the cells the store holds.
        if !write.resolved.isEmpty {
            let resolve = try RowBinder(db.makeStatement(sql: "UPDATE findings SET status = 'resolved', resolved_run = ? WHERE id = ?"), db)
            let display = ["code", "severity", "school_code", "student_no", "name", "id_masked", "expected", "actual", "detail", "sources"]
            let copy = try RowBinder(db.makeStatement(sql: """
                INSERT INTO occurrences (\(HistorySchema.occurrenceColumns.joined(separator: ", ")))
                SELECT ?, id, 0, 'resolved', \(display.joined(separator: ", ")) FROM findings WHERE id = ?
                """), db)
            for id in write.resolved {
                try resolve.insert { b in b.int(r.id); b.text(id) }
                try copy.insert { b in b.int(r.id); b.text(id) }
            }
        }
        // (A store at schema v1 has no packages table; only a merge writes to it.)
        guard !write.packages.isEmpty else { return }
        let package = try db.makeStatement(sql: "INSERT INTO packages (\(HistorySchema.packageColumns.joined(separator: ", "))) VALUES (\(marks(HistorySchema.packageColumns.count)))")
        for p in write.packages {
            try package.execute(arguments: [r.id, p.schoolCode, p.term, p.fingerprint, p.generatedAt, p.verdict, p.source, p.receivedAt])
        }
    }

    private static func upsertStatement(_ db: Database) throws -> Statement {
        let columns = HistorySchema.findingColumns
        let updates = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return try db.cachedStatement(sql: "INSERT INTO findings (\(columns.joined(separator: ", "))) VALUES (\(marks(columns.count))) ON CONFLICT (id) DO UPDATE SET \(updates)")
    }

    private static func upsert(_ finding: FindingRecord, _ db: Database) throws {
        try upsertStatement(db).execute(arguments: findingArguments(finding))
    }

    private static func findingArguments(_ f: FindingRecord) -> StatementArguments {
        let d = f.display
        let values: [(any DatabaseValueConvertible)?] = [
            f.id, f.code, f.term, f.schoolCode, f.studentKey, f.job, f.status.rawValue, f.facts, f.firstSeenRun, f.firstSeenAt,
            f.lastSeenRun, f.lastSeenAt, f.resolvedRun, f.decidedBy, f.decidedAt, f.note, f.decidedFacts, d.severity, d.studentNo,
            d.name, d.idMasked, d.expected, d.actual, d.detail, d.sources,
        ]
        return StatementArguments(values)
    }

    private static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

    /// The findings matching `condition`, decoded by column position (the columns of
    /// `HistorySchema.findingColumns`, in order): a run reads every finding of its term, and a
    /// lookup by name per cell cost more than SQLite itself.
    private static func fetchFindings(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [FindingRecord] {
        let columns = HistorySchema.findingColumns.joined(separator: ", ")
        let statement = try db.cachedStatement(
            sql: "SELECT \(columns) FROM findings WHERE \(condition) ORDER BY code, term, school_code, student_no, id")
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        var out: [FindingRecord] = []
        while let row = try cursor.next() {
            // Positions as in HistorySchema.findingColumns.
            let display = FindingFacts(code: row[1], severity: row[17], schoolCode: row[3], studentNo: row[18], name: row[19],
                                       idMasked: row[20], expected: row[21], actual: row[22], detail: row[23], sources: row[24])
            out.append(FindingRecord(
                id: row[0], code: row[1], term: row[2], schoolCode: row[3], studentKey: row[4], job: row[5],
                status: FindingStatus(rawValue: row[6]) ?? .open, facts: row[7], firstSeenRun: row[8], firstSeenAt: row[9],
                lastSeenRun: row[10], lastSeenAt: row[11], resolvedRun: row[12], decidedBy: row[13], decidedAt: row[14],
                note: row[15], decidedFacts: row[16], display: display))
        }
        return out
    }

    /// What the run's lifecycle needs of each finding of `term` (`StoredFinding.columns`), in no
    /// particular order; the many equal first-seen times share one string.
    private static func fetchStored(_ db: Database, term: String) throws -> [StoredFinding] {
        let statement = try db.makeStatement(
            sql: "SELECT \(StoredFinding.columns.joined(separator: ", ")) FROM findings WHERE term = ?")
        let cursor = try Row.fetchCursor(statement, arguments: [term])
        var out: [StoredFinding] = []
        var times = Interned()
        while let row = try cursor.next() {
            // Positions as in StoredFinding.columns.
            out.append(StoredFinding(
                id: row[0], job: row[1], schoolCode: row[2],
                status: FindingStatus(rawValue: row[3]) ?? .open, firstSeenRun: row[4], firstSeenAt: times.share(row[5]),
                decidedBy: row[6], decidedAt: row[7], note: row[8], decidedFacts: row[9]))
        }
        return out
    }

    private static func facts(_ row: Row) -> FindingFacts {
        FindingFacts(code: row["code"], severity: row["severity"], schoolCode: row["school_code"], studentNo: row["student_no"],
                     name: row["name"], idMasked: row["id_masked"], expected: row["expected"], actual: row["actual"],
                     detail: row["detail"], sources: row["sources"])
    }

    private static func run(_ row: Row) -> RunRecord {
        RunRecord(id: row["id"], job: row["job"], term: row["term"], scope: row["scope"], toolVersion: row["tool_version"],
                  configHash: row["config_hash"], command: row["command"], startedAt: row["started_at"],
                  finishedAt: row["finished_at"], exitStatus: Int(row["exit_status"] as Int64), outcome: row["outcome"],
                  error: row["error"], counts: row["counts"], totals: row["totals"], newCount: Int(row["new_count"] as Int64),
                  openCount: Int(row["open_count"] as Int64), reopenedCount: Int(row["reopened_count"] as Int64),
                  resolvedCount: Int(row["resolved_count"] as Int64), decidedCount: Int(row["decided_count"] as Int64))
    }
}

/// Binds a row's values to a prepared insert in column order and runs it, through SQLite's C API.
/// The columns' order is the statement's (`HistorySchema.findingColumns`, `occurrenceColumns`).
/// A row's texts are copied into one buffer, reused from row to row, and bound from it without
/// SQLite copying each again (`SQLITE_STATIC`): binding a copy of every cell (`SQLITE_TRANSIENT`)
/// cost a third of the run's writing.
private final class RowBinder {
    let statement: Statement
    let db: Database
    private var values: Values

    init(_ statement: Statement, _ db: Database) {
        self.statement = statement
        self.db = db
        values = Values(handle: statement.sqliteStatement)
    }

    /// The values, one call per column, then one step; throws SQLite's error as GRDB would.
    func insert(_ bind: (inout Values) -> Void) throws {
        let handle = statement.sqliteStatement
        values.start()
        bind(&values)
        let code = values.bytes.withUnsafeBufferPointer { bytes -> Int32 in
            let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            for text in values.texts {
                if let base, text.count > 0 {
                    _ = sqlite3_bind_text(handle, text.column, base + text.offset, Int32(text.count), nil)
                } else {
                    _ = sqlite3_bind_text(handle, text.column, "", 0, Values.transient)
                }
            }
            // The bound bytes are read by this step, before the buffer changes again.
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            return code
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }

    struct Values {
        let handle: OpaquePointer
        var column: Int32 = 0
        /// The row's texts, one after another; `texts` says where each is and which column it binds.
        fileprivate var bytes: [UInt8] = []
        fileprivate var texts: [(column: Int32, offset: Int, count: Int)] = []

        init(handle: OpaquePointer) {
            self.handle = handle
            bytes.reserveCapacity(4096)
        }

        fileprivate mutating func start() {
            column = 0
            bytes.removeAll(keepingCapacity: true)
            texts.removeAll(keepingCapacity: true)
        }

        /// An empty text is bound as '' (a NULL pointer would bind NULL).
        mutating func text(_ value: String) {
            column += 1
            var value = value
            let offset = bytes.count
            value.withUTF8 { bytes.append(contentsOf: $0) }
            texts.append((column, offset, bytes.count - offset))
        }

        mutating func int(_ value: Int64?) {
            column += 1
            if let value { _ = sqlite3_bind_int64(handle, column, value) } else { _ = sqlite3_bind_null(handle, column) }
        }

        static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }
}
