import Foundation
import ZizhuCore

/// A run history: a backend (storage) and the secret behind the student keys. Opens the store
/// named by `--history`, `history:` in a pipeline or `ZIZHU_HISTORY`: a file path is a SQLite
/// store (made with mode 0600, the secret beside it as `FILE.secret`).
public final class History: Sendable {
    public let backend: any HistoryBackend
    public let identity: FindingIdentity

    public init(backend: any HistoryBackend, secret: Data) {
        self.backend = backend
        identity = FindingIdentity(secret: secret)
    }

    /// The environment variable naming the history when no `--history` is given.
    public static let environmentVariable = "ZIZHU_HISTORY"

    /// `--history` if given, else `ZIZHU_HISTORY`, else nil (no history: nothing changes).
    public static func location(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        return nil
    }

    /// Opens (creating and migrating when needed) the history at `location`.
    public static func open(_ location: String) throws -> History {
        if PostgresLocation.isPostgresURL(location) {
            // Sources/ZizhuHistory/Postgres: connect, migrate, the secret from ZIZHU_HISTORY_SECRET or ~/.config/zizhu.
            return try PostgresHistoryBackend.openHistory(url: location)
        }
        let backend = try SQLiteHistoryBackend(path: location)
        try backend.migrate()
        let secret = try HistorySecret.loadOrCreate(at: HistorySecret.path(besideStore: location))
        return History(backend: backend, secret: secret)
    }

    /// What `record` returns: the run as written and the annotation of each finding, in the order given.
    public struct Recorded: Sendable {
        public var run: RunRecord
        public var annotations: [FindingAnnotation]
        /// The run before this one of the same job and term, if any (for "since the last run").
        public var previousRunID: Int64?
    }

    /// Records a run that ran to its end, with its findings (in contract order), in one
    /// transaction, and waits for it (`startRecording` overlaps it with other work).
    public func record(_ facts: RunFacts, findings: [Discrepancy]) throws -> Recorded {
        let recording = startRecording(facts, findings: findings)
        do {
            _ = try recording.planned()
            return try recording.commit()
        } catch {
            recording.abort()
            throw error
        }
    }

    /// Records a run that failed: its run row (outcome `failed`, the reason) and inputs, no findings.
    @discardableResult
    public func recordFailure(_ facts: RunFacts, reason: String) throws -> RunRecord {
        var facts = facts
        facts.failure = reason
        return try backend.record(term: facts.scope.term) { runID, _ in
            HistoryLifecycle.plan(runID: runID, facts: facts, observed: [], stored: [])
        }.run
    }

    /// `zizhu findings note`: an officer's decision on the finding whose id is or starts with `id`.
    public func note(findingID id: String, status: FindingStatus, by: String, note: String, at: Date = Date()) throws -> FindingRecord {
        let matches = try backend.findings(FindingFilter(idPrefix: id))
        guard let target = matches.first(where: { $0.id == id }) ?? (matches.count == 1 ? matches.first : nil) else {
            if matches.isEmpty {
                throw ZizhuError(.usage, Message("historyError.noFinding", ["id": id, "location": backend.location]), hint: Message("historyError.noFinding.hint"))
            }
            throw ZizhuError(.usage, Message("historyError.ambiguous", ["count": "\(matches.count)", "id": id]), hint: Message("historyError.ambiguous.hint"))
        }
        guard let written = try backend.decide(findingID: target.id, { finding in
            try HistoryLifecycle.decide(finding, status: status, by: by, note: note, at: at)
        }) else {
            throw ZizhuError(.usage, Message("historyError.noFinding", ["id": id, "location": backend.location]))
        }
        return written
    }
}
