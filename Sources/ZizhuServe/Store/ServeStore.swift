import Foundation
import GRDB
import ZizhuCore

/// The server's own small state in SQLite (`DIR/serve.sqlite`): accounts, sessions, login failures,
/// the audit log, the expected schools, uploads, jobs and submissions.
///
/// Runs, findings and packages are files under `DIR/jobs/<id>/out` (the job's ordinary output
/// folder); the rows here only point at them, so they can later move into the history store
/// (ZizhuHistory) without changing the pages. Every write is one transaction.
public final class ServeStore: Sendable {
    let database: DatabaseQueue
    let clock: ServeClock

    /// Opens (creating when missing) the store at `path` and brings its tables up to date.
    public init(path: String, clock: ServeClock = .system) throws {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw ZizhuError(.ioFailure, Message("serveError.database", ["reason": "\(error)"]), at: InputPosition(file: path),
                             hint: Message("serveError.database.hint"))
        }
        self.clock = clock
    }

    /// Opens the store of a data folder (`DIR/serve.sqlite`), making the folder when missing.
    public convenience init(dataFolder: String, clock: ServeClock = .system) throws {
        do {
            try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        } catch {
            throw ZizhuError(.ioFailure, Message("serveError.dataFolder"), at: InputPosition(file: dataFolder),
                             hint: Message("serveError.dataFolder.hint"))
        }
        try self.init(path: "\(dataFolder)/serve.sqlite", clock: clock)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE accounts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                -- 校长用户: one per school (the notice: the review is not given to another user).
                CREATE UNIQUE INDEX one_principal_per_school ON accounts(scope) WHERE role = 'principal';
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY,
                    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    csrf TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL
                );
                CREATE TABLE login_failures (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    at REAL NOT NULL
                );
                CREATE INDEX login_failures_key ON login_failures(kind, key, at);
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at REAL NOT NULL,
                    account TEXT NOT NULL,
                    action TEXT NOT NULL,
                    object TEXT NOT NULL,
                    address TEXT NOT NULL
                );
                CREATE TABLE schools (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    city_code TEXT NOT NULL,
                    city_name TEXT NOT NULL
                );
                CREATE TABLE uploads (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sha256 TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    file_name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    school TEXT NOT NULL,
                    account TEXT NOT NULL,
                    at REAL NOT NULL
                );
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    school TEXT NOT NULL,
                    term TEXT NOT NULL,
                    roster_upload INTEGER NOT NULL REFERENCES uploads(id),
                    applications_upload INTEGER NOT NULL REFERENCES uploads(id),
                    account TEXT NOT NULL,
                    state TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    started_at REAL,
                    finished_at REAL,
                    exit_status INTEGER,
                    message TEXT
                );
                CREATE INDEX jobs_state ON jobs(state, id);
                CREATE TABLE submissions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    school TEXT NOT NULL,
                    term TEXT NOT NULL,
                    job_id INTEGER NOT NULL REFERENCES jobs(id),
                    account TEXT NOT NULL,
                    at REAL NOT NULL,
                    fingerprint TEXT NOT NULL,
                    package_sha256 TEXT NOT NULL
                );
                """)
        }
        // v2: reconcile and merge jobs (a finance office's or a region's, with any number of inputs),
        // the history run a job recorded, API tokens.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE jobs_v2 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    school TEXT NOT NULL,
                    term TEXT NOT NULL,
                    roster_upload INTEGER REFERENCES uploads(id),
                    applications_upload INTEGER REFERENCES uploads(id),
                    account TEXT NOT NULL,
                    state TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    started_at REAL,
                    finished_at REAL,
                    exit_status INTEGER,
                    message TEXT,
                    scope TEXT NOT NULL DEFAULT '',
                    history_run INTEGER
                );
                INSERT INTO jobs_v2 (id, kind, school, term, roster_upload, applications_upload, account, state, created_at,
                                     started_at, finished_at, exit_status, message, scope)
                    SELECT id, kind, school, term, roster_upload, applications_upload, account, state, created_at,
                           started_at, finished_at, exit_status, message, school FROM jobs;
                DROP TABLE jobs;
                ALTER TABLE jobs_v2 RENAME TO jobs;
                CREATE INDEX jobs_state ON jobs(state, id);
                CREATE INDEX jobs_kind_scope ON jobs(kind, scope, id);
                CREATE TABLE job_inputs (
                    job_id INTEGER NOT NULL REFERENCES jobs(id),
                    seq INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    upload_id INTEGER REFERENCES uploads(id),
                    path TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (job_id, seq)
                );
                CREATE TABLE api_tokens (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    token_hash TEXT NOT NULL UNIQUE,
                    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    label TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                """)
        }
        return migrator
    }
}

/// Where the server reads the time: the system clock, or a settable one in tests (throttling
/// windows are tested by moving the clock, never by sleeping).
public struct ServeClock: Sendable {
    let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = ServeClock { Date() }
}
