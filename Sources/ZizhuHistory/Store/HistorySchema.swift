/// The history's tables, as versioned migrations whose SQL runs unchanged on SQLite and
/// PostgreSQL: `TEXT` and `BIGINT` columns only (times are ISO 8601 UTC text), no
/// autoincrement (run ids are `max(id) + 1` inside the recording transaction), no `by` or other
/// reserved words as names. A migration once released is never edited; a change is a new one.
public enum HistorySchema {
    public struct Migration: Sendable {
        public let identifier: String
        public let statements: [String]
    }

    public static let migrations: [Migration] = [
        Migration(identifier: "v1", statements: [
            """
            CREATE TABLE runs (
                id BIGINT PRIMARY KEY,
                job TEXT NOT NULL,
                term TEXT NOT NULL,
                scope TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                config_hash TEXT NOT NULL,
                command TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT NOT NULL,
                exit_status BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                error TEXT NOT NULL,
                counts TEXT NOT NULL,
                totals TEXT NOT NULL,
                new_count BIGINT NOT NULL,
                open_count BIGINT NOT NULL,
                reopened_count BIGINT NOT NULL,
                resolved_count BIGINT NOT NULL,
                decided_count BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE run_inputs (
                run_id BIGINT NOT NULL REFERENCES runs(id),
                seq BIGINT NOT NULL,
                name TEXT NOT NULL,
                bytes BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                PRIMARY KEY (run_id, seq)
            )
            """,
            """
            CREATE TABLE findings (
                id TEXT PRIMARY KEY,
                code TEXT NOT NULL,
                term TEXT NOT NULL,
                school_code TEXT NOT NULL,
                student_key TEXT NOT NULL,
                job TEXT NOT NULL,
                status TEXT NOT NULL,
                facts TEXT NOT NULL,
                first_seen_run BIGINT NOT NULL,
                first_seen_at TEXT NOT NULL,
                last_seen_run BIGINT NOT NULL,
                last_seen_at TEXT NOT NULL,
                resolved_run BIGINT,
                decided_by TEXT NOT NULL,
                decided_at TEXT NOT NULL,
                note TEXT NOT NULL,
                decided_facts TEXT NOT NULL,
                severity TEXT NOT NULL,
                student_no TEXT NOT NULL,
                name TEXT NOT NULL,
                id_masked TEXT NOT NULL,
                expected TEXT NOT NULL,
                actual TEXT NOT NULL,
                detail TEXT NOT NULL,
                sources TEXT NOT NULL
            )
            """,
            "CREATE INDEX findings_by_term ON findings (term, job)",
            """
            CREATE TABLE occurrences (
                run_id BIGINT NOT NULL REFERENCES runs(id),
                finding_id TEXT NOT NULL REFERENCES findings(id),
                present BIGINT NOT NULL,
                status TEXT NOT NULL,
                code TEXT NOT NULL,
                severity TEXT NOT NULL,
                school_code TEXT NOT NULL,
                student_no TEXT NOT NULL,
                name TEXT NOT NULL,
                id_masked TEXT NOT NULL,
                expected TEXT NOT NULL,
                actual TEXT NOT NULL,
                detail TEXT NOT NULL,
                sources TEXT NOT NULL,
                PRIMARY KEY (run_id, finding_id)
            )
            """,
            "CREATE INDEX occurrences_by_finding ON occurrences (finding_id)",
            """
            CREATE TABLE notes (
                finding_id TEXT NOT NULL REFERENCES findings(id),
                seq BIGINT NOT NULL,
                at TEXT NOT NULL,
                by_name TEXT NOT NULL,
                status TEXT NOT NULL,
                note TEXT NOT NULL,
                PRIMARY KEY (finding_id, seq)
            )
            """,
        ]),
        // v2: merge remembers packages (who sent what when; M05 across days).
        Migration(identifier: "v2", statements: [
            """
            CREATE TABLE packages (
                run_id BIGINT NOT NULL REFERENCES runs(id),
                school_code TEXT NOT NULL,
                term TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                generated_at TEXT NOT NULL,
                verdict TEXT NOT NULL,
                source TEXT NOT NULL,
                received_at TEXT NOT NULL,
                PRIMARY KEY (run_id, source)
            )
            """,
            "CREATE INDEX packages_by_school ON packages (term, school_code)",
        ]),
    ]

    public static var latestVersion: String { migrations.last?.identifier ?? "" }

    /// Column lists in table order, for backends that bind rows by position.
    public static let runColumns = ["id", "job", "term", "scope", "tool_version", "config_hash", "command", "started_at",
                                    "finished_at", "exit_status", "outcome", "error", "counts", "totals", "new_count",
                                    "open_count", "reopened_count", "resolved_count", "decided_count"]
    public static let inputColumns = ["run_id", "seq", "name", "bytes", "sha256"]
    public static let findingColumns = ["id", "code", "term", "school_code", "student_key", "job", "status", "facts",
                                        "first_seen_run", "first_seen_at", "last_seen_run", "last_seen_at", "resolved_run",
                                        "decided_by", "decided_at", "note", "decided_facts", "severity", "student_no",
                                        "name", "id_masked", "expected", "actual", "detail", "sources"]
    public static let occurrenceColumns = ["run_id", "finding_id", "present", "status", "code", "severity", "school_code",
                                           "student_no", "name", "id_masked", "expected", "actual", "detail", "sources"]
    public static let noteColumns = ["finding_id", "seq", "at", "by_name", "status", "note"]
    public static let packageColumns = ["run_id", "school_code", "term", "fingerprint", "generated_at", "verdict",
                                        "source", "received_at"]
}
