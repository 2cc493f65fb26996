import Foundation

/// The server's tables, as migrations in order: one SQL text for both engines. SQLite runs it as
/// written (through GRDB's migrator, whose identifiers `v1`, `v2` … existing data folders carry);
/// PostgreSQL runs `postgres(_:)` of it — the same statements with its own names for three types
/// (an auto-numbered key, 64-bit integers, double-precision times) and, where SQLite's way of
/// rebuilding a table differs, the statement PostgreSQL needs beside it.
enum ServeSchema {
    struct Migration: Sendable {
        var identifier: String
        var sql: String
        /// Statements PostgreSQL runs after `sql` (SQLite needs none).
        var postgresAfter: [String] = []
    }

    static let migrations: [Migration] = [
        Migration(identifier: "v1", sql: """
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
                """),
        // v2: reconcile and merge jobs (a finance office's or a region's, with any number of inputs),
        // the history run a job recorded, API tokens.
        Migration(identifier: "v2", sql: """
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
                """, postgresAfter: [
            // SQLite's references name a table, so submissions' follows the rebuilt jobs; PostgreSQL's
            // went with the old table (DROP … CASCADE) and is made again.
            "ALTER TABLE submissions ADD FOREIGN KEY (job_id) REFERENCES jobs(id)",
        ]),
        // v3: one submission per job, even when two servers on one store take the same principal's click at once.
        Migration(identifier: "v3", sql: """
            CREATE UNIQUE INDEX submissions_job ON submissions(job_id);
            """),
    ]

    /// The statements of a migration as PostgreSQL runs them, one by one.
    static func postgres(_ migration: Migration) -> [String] {
        var sql = migration.sql
        sql = sql.replacingOccurrences(of: "INTEGER PRIMARY KEY AUTOINCREMENT", with: "BIGSERIAL PRIMARY KEY")
        sql = sql.replacingOccurrences(of: "INTEGER", with: "BIGINT")
        sql = sql.replacingOccurrences(of: " REAL", with: " DOUBLE PRECISION")
        sql = sql.replacingOccurrences(of: "DROP TABLE jobs;", with: "DROP TABLE jobs CASCADE;")
        let statements = sql.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: "\n").split(separator: ";")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return statements + migration.postgresAfter
    }
}
