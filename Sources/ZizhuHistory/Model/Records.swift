import Foundation

/// The status of a finding in the history (issue 16). `new`, `open`, `resolved` and `reopened`
/// are set by the lifecycle from the runs; `explained` and `accepted` are an officer's decision,
/// kept until the finding's facts change.
public enum FindingStatus: String, Sendable, Codable, CaseIterable {
    /// First seen in this run.
    case new
    /// Seen before, seen again.
    case open
    /// Seen before, absent from a later run whose scope covers it.
    case resolved
    /// Resolved once, seen again.
    case reopened
    /// An officer explained it (e.g. a R11 payment the bureau approved late).
    case explained
    /// An officer accepted it as it stands.
    case accepted

    /// Statuses an officer records with `zizhu findings note`.
    public static let decisions: [FindingStatus] = [.explained, .accepted]
    public var isDecision: Bool { self == .explained || self == .accepted }
}

/// What a run covered: one term, and every school of it (`schools == nil`: a province merge) or
/// the schools listed. A finding is resolved only by a later run of the same job over the same
/// term whose scope holds the finding's school, so a run over school A never resolves B's.
public struct HistoryScope: Sendable, Codable, Hashable {
    public var term: String
    /// nil: every school of the term.
    public var schools: [String]?

    public init(term: String, schools: [String]?) {
        self.term = term
        self.schools = schools.map { Array(Set($0)).sorted() }
    }

    /// A finding with no school (an unmatched payment) is covered by every run of its term.
    public func covers(schoolCode: String) -> Bool {
        guard let schools, !schoolCode.isEmpty else { return true }
        return schools.contains(schoolCode)
    }

    /// As stored in `runs.scope`: `*` for every school, else the codes joined by `;`.
    public var stored: String { schools.map { $0.joined(separator: ";") } ?? "*" }

    public init(term: String, stored: String) {
        self.term = term
        schools = stored == "*" ? nil : stored.split(separator: ";").map(String.init)
    }
}

/// One run as stored (table `runs`). Times are ISO 8601 UTC text (`2026-12-06T07:45:00Z`), so
/// SQLite and PostgreSQL store and compare them alike.
public struct RunRecord: Sendable, Codable, Hashable {
    public var id: Int64
    /// reconcile | validate | submit | merge
    public var job: String
    public var term: String
    /// `HistoryScope.stored`.
    public var scope: String
    public var toolVersion: String
    /// SHA-256 of the run's configuration (manifest's `configuration`, keys sorted).
    public var configHash: String
    /// The command line, masked.
    public var command: String
    public var startedAt: String
    public var finishedAt: String
    /// 0, 1, 2 or 3 (contract §9).
    public var exitStatus: Int
    /// `ok` (no error finding), `findings` (some) or `failed` (the run stopped: no findings recorded).
    public var outcome: String
    /// Why a failed run failed (masked); empty otherwise.
    public var error: String
    /// Findings per code, as JSON text: {"R01": 3}.
    public var counts: String
    /// Money totals in fen, as JSON text: {"ledger.amount": 123400}.
    public var totals: String
    public var newCount: Int
    public var openCount: Int
    public var reopenedCount: Int
    public var resolvedCount: Int
    /// Findings seen in this run that stay explained or accepted.
    public var decidedCount: Int

    public init(id: Int64 = 0, job: String, term: String, scope: String, toolVersion: String, configHash: String,
                command: String, startedAt: String, finishedAt: String, exitStatus: Int, outcome: String,
                error: String = "", counts: String = "{}", totals: String = "{}", newCount: Int = 0, openCount: Int = 0,
                reopenedCount: Int = 0, resolvedCount: Int = 0, decidedCount: Int = 0) {
        self.id = id
        self.job = job
        self.term = term
        self.scope = scope
        self.toolVersion = toolVersion
        self.configHash = configHash
        self.command = command
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitStatus = exitStatus
        self.outcome = outcome
        self.error = error
        self.counts = counts
        self.totals = totals
        self.newCount = newCount
        self.openCount = openCount
        self.reopenedCount = reopenedCount
        self.resolvedCount = resolvedCount
        self.decidedCount = decidedCount
    }

    /// Findings still standing after this run: new + open + reopened + decided.
    public var stillOpen: Int { openCount + reopenedCount + decidedCount }
}

/// One input of a run (table `run_inputs`): name, size, SHA-256.
public struct InputRecord: Sendable, Codable, Hashable {
    public var runID: Int64
    public var seq: Int
    public var name: String
    public var bytes: Int64
    public var sha256: String

    public init(runID: Int64 = 0, seq: Int, name: String, bytes: Int64, sha256: String) {
        self.runID = runID
        self.seq = seq
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// The cells of a finding a person reads, masked (never a full id or account number).
public struct FindingFacts: Sendable, Codable, Hashable {
    public var code: String
    public var severity: String
    public var schoolCode: String
    public var studentNo: String
    public var name: String
    /// `Masking.id` of the id number.
    public var idMasked: String
    public var expected: String
    public var actual: String
    public var detail: String
    /// `file:line` of every row involved, `;`-separated.
    public var sources: String

    public init(code: String, severity: String, schoolCode: String, studentNo: String, name: String, idMasked: String,
                expected: String, actual: String, detail: String, sources: String) {
        self.code = code
        self.severity = severity
        self.schoolCode = schoolCode
        self.studentNo = studentNo
        self.name = name
        self.idMasked = idMasked
        self.expected = expected
        self.actual = actual
        self.detail = detail
        self.sources = sources
    }

    /// What "its facts change" means for a decision: severity, expected and actual (not the
    /// detail or the sources, which name files and lines that move between batches).
    public var factsHash: String { HistoryHash.hex(severity, expected, actual) }
}

/// A finding's current state (table `findings`), one row per identity.
public struct FindingRecord: Sendable, Codable, Hashable {
    /// 16 hex digits of SHA-256 over code, term, school and student key: what `findings note ID` takes.
    public var id: String
    public var code: String
    public var term: String
    public var schoolCode: String
    /// HMAC-SHA-256 (hex) of the normalized id under the store's secret; empty for a per-school finding.
    public var studentKey: String
    /// The job that last saw it (reconcile, validate, submit, merge).
    public var job: String
    public var status: FindingStatus
    /// `FindingFacts.factsHash` when last seen.
    public var facts: String
    public var firstSeenRun: Int64
    public var firstSeenAt: String
    public var lastSeenRun: Int64
    public var lastSeenAt: String
    /// The run that resolved it, while resolved.
    public var resolvedRun: Int64?
    /// The last decision: who, when, the note (masked). Empty when none.
    public var decidedBy: String
    public var decidedAt: String
    public var note: String
    /// `FindingFacts.factsHash` when the decision was recorded.
    public var decidedFacts: String
    /// As last seen, masked.
    public var display: FindingFacts

    public init(id: String, code: String, term: String, schoolCode: String, studentKey: String, job: String,
                status: FindingStatus, facts: String, firstSeenRun: Int64, firstSeenAt: String, lastSeenRun: Int64,
                lastSeenAt: String, resolvedRun: Int64? = nil, decidedBy: String = "", decidedAt: String = "",
                note: String = "", decidedFacts: String = "", display: FindingFacts) {
        self.id = id
        self.code = code
        self.term = term
        self.schoolCode = schoolCode
        self.studentKey = studentKey
        self.job = job
        self.status = status
        self.facts = facts
        self.firstSeenRun = firstSeenRun
        self.firstSeenAt = firstSeenAt
        self.lastSeenRun = lastSeenRun
        self.lastSeenAt = lastSeenAt
        self.resolvedRun = resolvedRun
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.note = note
        self.decidedFacts = decidedFacts
        self.display = display
    }
}

/// What a run needs of a stored finding of its term to plan its lifecycle: a few short cells per
/// identity, not the whole row (a term can hold a few hundred thousand findings; the display
/// cells of a finding the run resolves stay in the store and are copied there by the backend).
public struct StoredFinding: Sendable, Hashable {
    public var id: String
    /// The job that last saw it.
    public var job: String
    public var schoolCode: String
    public var status: FindingStatus
    public var firstSeenRun: Int64
    public var firstSeenAt: String
    public var decidedBy: String
    public var decidedAt: String
    public var note: String
    public var decidedFacts: String

    public init(id: String, job: String, schoolCode: String, status: FindingStatus, firstSeenRun: Int64, firstSeenAt: String,
                decidedBy: String = "", decidedAt: String = "", note: String = "", decidedFacts: String = "") {
        self.id = id
        self.job = job
        self.schoolCode = schoolCode
        self.status = status
        self.firstSeenRun = firstSeenRun
        self.firstSeenAt = firstSeenAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.note = note
        self.decidedFacts = decidedFacts
    }

    public init(_ finding: FindingRecord) {
        self.init(id: finding.id, job: finding.job, schoolCode: finding.schoolCode, status: finding.status,
                  firstSeenRun: finding.firstSeenRun, firstSeenAt: finding.firstSeenAt, decidedBy: finding.decidedBy,
                  decidedAt: finding.decidedAt, note: finding.note, decidedFacts: finding.decidedFacts)
    }

    /// The columns a backend reads for it, in this order.
    public static let columns = ["id", "job", "school_code", "status", "first_seen_run", "first_seen_at", "decided_by",
                                 "decided_at", "note", "decided_facts"]
}

/// A finding in one run (table `occurrences`): present (seen, with its status then) or resolved by it.
public struct OccurrenceRecord: Sendable, Codable, Hashable {
    public var runID: Int64
    public var findingID: String
    /// false: resolved by this run (absent, in scope).
    public var present: Bool
    /// Its status after this run.
    public var status: FindingStatus
    public var display: FindingFacts

    public init(runID: Int64, findingID: String, present: Bool, status: FindingStatus, display: FindingFacts) {
        self.runID = runID
        self.findingID = findingID
        self.present = present
        self.status = status
        self.display = display
    }
}

/// An officer's decision on a finding (table `notes`), kept for good: the finding's `note` is the last one.
public struct NoteRecord: Sendable, Codable, Hashable {
    public var findingID: String
    public var seq: Int
    public var at: String
    public var by: String
    public var status: FindingStatus
    public var note: String

    public init(findingID: String, seq: Int, at: String, by: String, status: FindingStatus, note: String) {
        self.findingID = findingID
        self.seq = seq
        self.at = at
        self.by = by
        self.status = status
        self.note = note
    }
}

/// A package a merge received (table `packages`, schema v2): so a conflicting resend on another
/// day is still M05, and the province can list who sent what when.
public struct PackageRecord: Sendable, Codable, Hashable {
    public var runID: Int64
    public var schoolCode: String
    public var term: String
    /// The declaration's data fingerprint.
    public var fingerprint: String
    public var generatedAt: String
    /// merged | superseded | identical | quarantined | other-term
    public var verdict: String
    /// Where it came from: the file (or `archive.zip!entry`).
    public var source: String
    public var receivedAt: String

    public init(runID: Int64 = 0, schoolCode: String, term: String, fingerprint: String, generatedAt: String,
                verdict: String, source: String, receivedAt: String) {
        self.runID = runID
        self.schoolCode = schoolCode
        self.term = term
        self.fingerprint = fingerprint
        self.generatedAt = generatedAt
        self.verdict = verdict
        self.source = source
        self.receivedAt = receivedAt
    }
}

/// Everything one run writes, computed by `HistoryLifecycle` from the findings of its term the
/// backend loaded; a backend writes it as it stands, in the same transaction it loaded them in.
public struct RunWrite: Sendable {
    public var run: RunRecord
    public var inputs: [InputRecord]
    /// Findings to insert or update (by id, every column), given row by row.
    public var findings: [FindingRecord]
    /// Occurrences given row by row.
    public var occurrences: [OccurrenceRecord]
    /// The findings seen in the run, as the lifecycle planned them: each is a finding row (insert
    /// or update every column) and an occurrence (present), made one at a time as the backend
    /// writes them — 100,000 rows of each are not held at once beside the run's outputs.
    public var seen: SeenRows?
    /// Stored findings this run resolves (by id, ascending): the backend sets their `status` to
    /// `resolved` and `resolved_run` to the run, and writes each an occurrence (present 0, status
    /// resolved) with the display cells the store holds for it.
    public var resolved: [String]
    public var packages: [PackageRecord]
    /// What the reports show of each finding of the run, in the order the run gave them (not stored).
    public var annotations: [FindingAnnotation] = []

    /// Lets go of the rows once the backend has written them (a big run's 100,000 findings and
    /// occurrences are not held while the run's outputs are written and the commit waits); the
    /// run, its inputs, packages, the resolved ids and the annotations stay.
    public mutating func dropWrittenRows() {
        findings = []
        occurrences = []
        seen = nil
    }

    public init(run: RunRecord, inputs: [InputRecord] = [], findings: [FindingRecord] = [],
                occurrences: [OccurrenceRecord] = [], seen: SeenRows? = nil, resolved: [String] = [],
                packages: [PackageRecord] = []) {
        self.run = run
        self.inputs = inputs
        self.findings = findings
        self.occurrences = occurrences
        self.seen = seen
        self.resolved = resolved
        self.packages = packages
    }

    /// Every finding row to write: `findings`, then those of `seen`.
    public func forEachFinding(_ body: (FindingRecord) throws -> Void) rethrows {
        for finding in findings { try body(finding) }
        if let seen { for i in seen.writeOrder { try body(seen.finding(Int(i))) } }
    }

    /// Every occurrence to write: `occurrences`, then those of `seen` (in ascending id order).
    public func forEachOccurrence(_ body: (OccurrenceRecord) throws -> Void) rethrows {
        for occurrence in occurrences { try body(occurrence) }
        if let seen { for i in seen.writeOrder { try body(seen.occurrence(Int(i))) } }
    }
}

/// The findings a run saw, planned: per distinct id its observed cells, status and facts hash, and
/// the stored finding it continues (if any). Rows are made from them on demand.
public struct SeenRows: Sendable {
    let runID: Int64
    let job: String
    let term: String
    /// When the run started (ISO 8601 UTC): first and last seen of a new finding.
    let at: String
    let observed: [ObservedFinding]
    let stored: [StoredFinding]
    /// Per row: the position in `observed` of the id's first occurrence, in `stored` of its
    /// stored finding (-1: none), its status after the run and its facts hash.
    var firsts: [Int32] = []
    var previous: [Int32] = []
    var statuses: [FindingStatus] = []
    var factsHashes: [String] = []
    /// The rows in ascending id order, as they are written (`sortForWriting`): the store's id
    /// indexes (findings' key, occurrences' key and by-finding index) then grow at one end
    /// instead of being searched at random — half of SQLite's work at 100,000 findings.
    private(set) var writeOrder: [Int32] = []

    init(runID: Int64, job: String, term: String, at: String, observed: [ObservedFinding], stored: [StoredFinding]) {
        self.runID = runID
        self.job = job
        self.term = term
        self.at = at
        self.observed = observed
        self.stored = stored
    }

    mutating func append(first: Int, previous: Int?, status: FindingStatus, factsHash: String) {
        firsts.append(Int32(first))
        self.previous.append(Int32(previous ?? -1))
        statuses.append(status)
        factsHashes.append(factsHash)
        writeOrder.append(Int32(writeOrder.count))
    }

    /// Puts `writeOrder` in ascending order of the ids' bytes (the ids are distinct: one row per
    /// id). Sorted by their first eight bytes as one number, the bytes after that only on a tie.
    mutating func sortForWriting() {
        var ids: [String] = []
        ids.reserveCapacity(count)
        var keyed: [(prefix: UInt64, row: Int32)] = []
        keyed.reserveCapacity(count)
        for row in 0..<count {
            var id = observed[Int(firsts[row])].id
            var prefix: UInt64 = 0
            id.withUTF8 { bytes in
                for k in 0..<8 { prefix = prefix << 8 | UInt64(k < bytes.count ? bytes[k] : 0) }
            }
            ids.append(id)
            keyed.append((prefix, Int32(row)))
        }
        keyed.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return ids[Int(a.row)].utf8.lexicographicallyPrecedes(ids[Int(b.row)].utf8)
        }
        writeOrder = keyed.map(\.row)
    }

    public var count: Int { firsts.count }

    /// Row `i`'s finding: the observed cells, first seen and the decision kept from the stored one.
    public func finding(_ i: Int) -> FindingRecord {
        let o = observed[Int(firsts[i])]
        let p = previous[i] >= 0 ? stored[Int(previous[i])] : nil
        return FindingRecord(
            id: o.id, code: o.facts.code, term: term, schoolCode: o.facts.schoolCode, studentKey: o.studentKey, job: job,
            status: statuses[i], facts: factsHashes[i], firstSeenRun: p?.firstSeenRun ?? runID, firstSeenAt: p?.firstSeenAt ?? at,
            lastSeenRun: runID, lastSeenAt: at, resolvedRun: nil, decidedBy: p?.decidedBy ?? "", decidedAt: p?.decidedAt ?? "",
            note: p?.note ?? "", decidedFacts: p?.decidedFacts ?? "", display: o.facts)
    }

    /// Row `i`'s occurrence in the run (present).
    public func occurrence(_ i: Int) -> OccurrenceRecord {
        let o = observed[Int(firsts[i])]
        return OccurrenceRecord(runID: runID, findingID: o.id, present: true, status: statuses[i], display: o.facts)
    }
}

/// Which findings `findings list` shows.
public struct FindingFilter: Sendable, Hashable {
    public var statuses: [FindingStatus] = []
    public var codes: [String] = []
    public var term: String?
    public var schoolCode: String?
    /// An id or a prefix of one.
    public var idPrefix: String?
    public init(statuses: [FindingStatus] = [], codes: [String] = [], term: String? = nil, schoolCode: String? = nil,
                idPrefix: String? = nil) {
        self.statuses = statuses
        self.codes = codes
        self.term = term
        self.schoolCode = schoolCode
        self.idPrefix = idPrefix
    }
}

/// Equal strings read from a store, kept once: the first-seen times of a term's findings are the
/// times of a few runs, and each read would otherwise hold a copy of its own.
struct Interned {
    private var known: [String: String] = [:]

    mutating func share(_ value: String) -> String {
        if let kept = known[value] { return kept }
        known[value] = value
        return value
    }
}
