import Foundation
import ZizhuCore

/// A stored upload: the blob's SHA-256 and what it was sent as.
public struct UploadRecord: Sendable, Hashable {
    public var id: Int64
    public var sha256: String
    public var size: Int64
    public var fileName: String
    public var kind: String
    public var school: String
}

/// A job's state, as one value: queued, running, finished (with the job's exit status) or failed.
public enum JobState: String, Sendable {
    case queued, running, finished, failed

    public var title: String {
        switch self {
        case .queued: "排队中"
        case .running: "检查中"
        case .finished: "已完成"
        case .failed: "未能完成"
        }
    }
}

/// What a job does: a school's submit, a finance office's reconcile, a city's or province's merge.
public enum JobKind: String, Sendable {
    case submit, reconcile, merge
}

/// A job: a school's submit of its two uploads, a finance office's reconcile of its uploads, or a
/// region's merge of the packages submitted in it.
public struct JobRecord: Sendable, Hashable {
    public var id: Int64
    public var kind: JobKind
    /// The school (submit); the region code (reconcile, merge), as `scope`.
    public var school: String
    public var term: String
    public var rosterUpload: Int64?
    public var applicationsUpload: Int64?
    public var account: String
    public var state: JobState
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var exitStatus: Int?
    public var message: String?
    /// The school code (submit) or region code (reconcile: the finance office's; merge: the city's or province's).
    public var scope: String
    /// The history run the job recorded (reconcile, merge).
    public var historyRun: Int64?

    init(row: StoreRow) {
        id = row["id"]
        kind = JobKind(rawValue: row["kind"]) ?? .submit
        scope = row["scope"]
        historyRun = row["history_run"]
        school = row["school"]
        term = row["term"]
        rosterUpload = row["roster_upload"]
        applicationsUpload = row["applications_upload"]
        account = row["account"]
        state = JobState(rawValue: row["state"]) ?? .failed
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        startedAt = (row["started_at"] as Double?).map { Date(timeIntervalSince1970: $0) }
        finishedAt = (row["finished_at"] as Double?).map { Date(timeIntervalSince1970: $0) }
        exitStatus = row["exit_status"]
        message = row["message"]
    }

    /// Finished without an error finding: the package and declaration exist.
    public var isClean: Bool { state == .finished && exitStatus == 0 }

    /// A signed package made with the command line and uploaded (no roster or applications, no run).
    public var isPackageUpload: Bool { kind == .submit && rosterUpload == nil }
}

/// The principal's submission of a package: the receipt (回执) shows it.
public struct SubmissionRecord: Sendable, Hashable {
    public var id: Int64
    public var school: String
    public var term: String
    public var jobId: Int64
    public var account: String
    public var at: Date
    public var fingerprint: String
    public var packageSHA256: String
}

extension ServeStore {
    func addUpload(sha256: String, size: Int64, fileName: String, kind: String, school: String, account: String) throws -> UploadRecord {
        let now = clock.now().timeIntervalSince1970
        return try database.write { db in
            let id = try db.insert(sql: "INSERT INTO uploads (sha256, size, file_name, kind, school, account, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [sha256, size, fileName, kind, school, account, now])
            return UploadRecord(id: id, sha256: sha256, size: size, fileName: fileName, kind: kind, school: school)
        }
    }

    public func upload(id: Int64) throws -> UploadRecord? {
        try database.read { db in
            try StoreRow.fetchOne(db, sql: "SELECT * FROM uploads WHERE id = ?", arguments: [id]).map { row in
                UploadRecord(id: row["id"], sha256: row["sha256"], size: row["size"], fileName: row["file_name"],
                             kind: row["kind"], school: row["school"])
            }
        }
    }

    /// Queues a submit job of two uploads (one transaction with nothing else: the upload rows are already there).
    func addJob(school: String, term: String, roster: Int64, applications: Int64, account: String) throws -> JobRecord {
        let now = clock.now().timeIntervalSince1970
        return try database.write { db in
            let id = try db.insert(sql: """
                INSERT INTO jobs (kind, school, term, roster_upload, applications_upload, account, state, created_at)
                VALUES ('submit', ?, ?, ?, ?, ?, 'queued', ?)
                """, arguments: [school, term, roster, applications, account, now])
            guard let row = try StoreRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) else {
                throw ZizhuError(.ioFailure, Message("serveError.jobReadBack"))
            }
            return JobRecord(row: row)
        }
    }

    /// Queues a reconcile or merge job of a region with its inputs (uploads, or files of the data folder), in one transaction.
    func addOfficeJob(kind: JobKind, scope: String, term: String, account: String,
                      inputs: [(role: String, upload: Int64?, path: String)]) throws -> JobRecord {
        let now = clock.now().timeIntervalSince1970
        return try database.write { db in
            let id = try db.insert(sql: """
                INSERT INTO jobs (kind, school, term, account, state, created_at, scope) VALUES (?, ?, ?, ?, 'queued', ?, ?)
                """, arguments: [kind.rawValue, scope, term, account, now, scope])
            for (seq, input) in inputs.enumerated() {
                try db.execute(sql: "INSERT INTO job_inputs (job_id, seq, role, upload_id, path) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, seq, input.role, input.upload, input.path])
            }
            guard let row = try StoreRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) else {
                throw ZizhuError(.ioFailure, Message("serveError.jobReadBack"))
            }
            return JobRecord(row: row)
        }
    }

    /// A reconcile or merge job's inputs, in the order given.
    func jobInputs(of jobId: Int64) throws -> [(role: String, upload: Int64?, path: String)] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM job_inputs WHERE job_id = ? ORDER BY seq", arguments: [jobId]).map { row in
                (role: row["role"] as String, upload: row["upload_id"] as Int64?, path: row["path"] as String)
            }
        }
    }

    /// Jobs of one kind whose scope is `scope`, newest first.
    public func jobs(kind: JobKind, scope: String) throws -> [JobRecord] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM jobs WHERE kind = ? AND scope = ? ORDER BY id DESC",
                             arguments: [kind.rawValue, scope]).map(JobRecord.init(row:))
        }
    }

    /// Jobs of one kind, newest first.
    public func jobs(kind: JobKind) throws -> [JobRecord] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM jobs WHERE kind = ? ORDER BY id DESC", arguments: [kind.rawValue])
                .map(JobRecord.init(row:))
        }
    }

    func setHistoryRun(job id: Int64, run: Int64?) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE jobs SET history_run = ? WHERE id = ?", arguments: [run, id])
        }
    }

    /// Every submission, oldest first (a merge reads them all: a resend with other data is M05).
    public func allSubmissions() throws -> [SubmissionRecord] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM submissions ORDER BY id").map(Self.submission(row:))
        }
    }

    public func job(id: Int64) throws -> JobRecord? {
        try database.read { db in
            try StoreRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(JobRecord.init(row:))
        }
    }

    public func jobs(school: String) throws -> [JobRecord] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM jobs WHERE kind = 'submit' AND school = ? ORDER BY id DESC", arguments: [school])
                .map(JobRecord.init(row:))
        }
    }

    /// Jobs ahead of this one in the queue (0 when it is next or not queued).
    func queuePosition(of job: JobRecord) throws -> Int {
        guard job.state == .queued else { return 0 }
        return try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND id < ?", arguments: [job.id]) ?? 0
        }
    }

    /// The first key of the PostgreSQL advisory lock a server holds on each job it runs (the second is the job's id).
    static let runningJobLock = 0x5A5A

    /// Takes the oldest queued job and marks it running, or nil. Two takers never get the same job: in
    /// SQLite the write transaction is exclusive; in PostgreSQL (several servers on one store) the row is
    /// locked as it is chosen and a row another taker holds is skipped, so each takes a different job —
    /// and the taker holds a session advisory lock on the job while it runs, which tells the other
    /// servers it is alive (see `requeueInterruptedJobs`).
    func claimNextJob() throws -> JobRecord? {
        let now = clock.now().timeIntervalSince1970
        let postgres = database.dialect == .postgres
        return try database.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1"
                                                + (postgres ? " FOR UPDATE SKIP LOCKED" : "")) else {
                return nil
            }
            try db.execute(sql: "UPDATE jobs SET state = 'running', started_at = ? WHERE id = ?", arguments: [now, id])
            if postgres { try db.execute(sql: "SELECT pg_advisory_lock(\(Self.runningJobLock), CAST(? AS INTEGER))", arguments: [id]) }
            return try StoreRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(JobRecord.init(row:))
        }
    }

    func finishJob(id: Int64, state: JobState, exitStatus: Int?, message: String?) throws {
        let now = clock.now().timeIntervalSince1970
        let postgres = database.dialect == .postgres
        try database.write { db in
            try db.execute(sql: "UPDATE jobs SET state = ?, finished_at = ?, exit_status = ?, message = ? WHERE id = ?",
                           arguments: [state.rawValue, now, exitStatus, message, id])
            if postgres { try db.execute(sql: "SELECT pg_advisory_unlock(\(Self.runningJobLock), CAST(? AS INTEGER))", arguments: [id]) }
        }
    }

    /// After a restart: jobs left running are queued again (their output folder is replaced whole by the
    /// next run). In PostgreSQL only those no live server runs: a running job whose advisory lock can be
    /// taken lost its server (a server's locks go with its connection); one another server still holds
    /// is left to it.
    func requeueInterruptedJobs() throws -> Int {
        guard database.dialect == .postgres else {
            return try database.write { db in
                try db.execute(sql: "UPDATE jobs SET state = 'queued', started_at = NULL WHERE state = 'running'")
            }
        }
        return try database.write { db in
            var requeued = 0
            for id in try StoreRow.fetchAll(db, sql: "SELECT id FROM jobs WHERE state = 'running' ORDER BY id FOR UPDATE").map({ $0["id"] as Int64 }) {
                let free = try Int.fetchOne(db, sql: "SELECT CASE WHEN pg_try_advisory_lock(\(Self.runningJobLock), CAST(? AS INTEGER)) THEN 1 ELSE 0 END",
                                            arguments: [id]) ?? 0
                guard free == 1 else { continue }
                requeued += try db.execute(sql: "UPDATE jobs SET state = 'queued', started_at = NULL WHERE id = ?", arguments: [id])
                try db.execute(sql: "SELECT pg_advisory_unlock(\(Self.runningJobLock), CAST(? AS INTEGER))", arguments: [id])
            }
            return requeued
        }
    }

    func hasPendingJobs() throws -> Bool {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')") ?? 0 > 0
        }
    }

    /// Records a signed package uploaded for `school` as a finished, clean submit job (no run: the package
    /// was made elsewhere and is verified), its upload as the job's input. `place` puts the package in the
    /// job's output folder inside the transaction: the job exists only with its package, even across a crash.
    func addPackageJob(school: String, term: String, upload: Int64, account: String,
                       place: (Int64) throws -> Void) throws -> JobRecord {
        let now = clock.now().timeIntervalSince1970
        return try database.write { db in
            let id = try db.insert(sql: """
                INSERT INTO jobs (kind, school, term, account, state, created_at, started_at, finished_at, exit_status, scope)
                VALUES ('submit', ?, ?, ?, 'finished', ?, ?, ?, 0, ?)
                """, arguments: [school, term, account, now, now, now, school])
            try db.execute(sql: "INSERT INTO job_inputs (job_id, seq, role, upload_id, path) VALUES (?, 0, 'package', ?, '')",
                           arguments: [id, upload])
            try place(id)
            guard let row = try StoreRow.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) else {
                throw ZizhuError(.ioFailure, Message("serveError.jobReadBack"))
            }
            return JobRecord(row: row)
        }
    }

    /// Records the principal's submission of a job's package — or returns the one already recorded for
    /// that job, or for the same package of the school and term (the same package sent again is the same
    /// submission). One transaction that holds the submissions' writer lock first (SQLite: the write
    /// transaction itself; PostgreSQL: an advisory lock), so two servers on one store taking the same
    /// click at once record it once.
    func addSubmission(school: String, term: String, jobId: Int64, account: String, fingerprint: String,
                       packageSHA256: String) throws -> SubmissionRecord {
        let now = clock.now()
        let dialect = database.dialect
        return try database.write { db in
            if dialect == .postgres { try db.execute(sql: "SELECT pg_advisory_xact_lock(hashtext('zizhu.serve.submissions'))") }
            if let existing = try StoreRow.fetchOne(db, sql: """
                SELECT * FROM submissions WHERE job_id = ? OR (school = ? AND term = ? AND package_sha256 = ?) ORDER BY id LIMIT 1
                """, arguments: [jobId, school, term, packageSHA256]) {
                return Self.submission(row: existing)
            }
            let id = try db.insert(sql: """
                INSERT INTO submissions (school, term, job_id, account, at, fingerprint, package_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [school, term, jobId, account, now.timeIntervalSince1970, fingerprint, packageSHA256])
            return SubmissionRecord(id: id, school: school, term: term, jobId: jobId, account: account,
                                    at: now, fingerprint: fingerprint, packageSHA256: packageSHA256)
        }
    }

    public func submission(id: Int64) throws -> SubmissionRecord? {
        try database.read { db in
            try StoreRow.fetchOne(db, sql: "SELECT * FROM submissions WHERE id = ?", arguments: [id]).map(Self.submission(row:))
        }
    }

    public func submissions(school: String) throws -> [SubmissionRecord] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM submissions WHERE school = ? ORDER BY id DESC", arguments: [school])
                .map(Self.submission(row:))
        }
    }

    static func submission(row: StoreRow) -> SubmissionRecord {
        SubmissionRecord(id: row["id"], school: row["school"], term: row["term"], jobId: row["job_id"], account: row["account"],
                         at: Date(timeIntervalSince1970: row["at"]), fingerprint: row["fingerprint"],
                         packageSHA256: row["package_sha256"])
    }
}
