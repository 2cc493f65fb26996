import Foundation
import ZizhuCore

extension ZizhuError.Code {
    /// The history store cannot be opened, migrated or written (exit 3: the run did not complete).
    public static let history = ZizhuError.Code("HISTORY", exitStatus: 3)
}

/// What a run tells the history about itself (everything but its findings).
public struct RunFacts: Sendable {
    /// reconcile | validate | submit | merge
    public var job: String
    public var scope: HistoryScope
    public var toolVersion: String
    public var configHash: String
    public var command: String
    public var startedAt: Date
    public var finishedAt: Date
    public var exitStatus: Int
    /// Inputs: name, bytes, SHA-256.
    public var inputs: [(name: String, bytes: Int64, sha256: String)]
    /// Money totals in fen.
    public var totals: [String: Int64]
    /// Packages a merge received.
    public var packages: [PackageRecord]
    /// Why the run failed; nil when it ran to its end.
    public var failure: String?

    public init(job: String, scope: HistoryScope, toolVersion: String, configHash: String = "", command: String = "",
                startedAt: Date, finishedAt: Date, exitStatus: Int, inputs: [(name: String, bytes: Int64, sha256: String)] = [],
                totals: [String: Int64] = [:], packages: [PackageRecord] = [], failure: String? = nil) {
        self.job = job
        self.scope = scope
        self.toolVersion = toolVersion
        self.configHash = configHash
        self.command = command
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitStatus = exitStatus
        self.inputs = inputs
        self.totals = totals
        self.packages = packages
        self.failure = failure
    }
}

/// A finding of the run as the history sees it: its identity and its masked cells.
public struct ObservedFinding: Sendable, Hashable {
    public var id: String
    public var studentKey: String
    public var facts: FindingFacts
}

/// What the history says of one finding of the run: for the status, first_seen and note columns.
public struct FindingAnnotation: Sendable, Hashable, Codable {
    public var id: String
    public var status: FindingStatus
    /// ISO 8601 UTC time of the run that first saw it.
    public var firstSeen: String
    public var note: String
}

/// The lifecycle of findings, the same for every backend: given the findings of the run and the
/// stored findings of its term, what each becomes. Pure: no storage, no clock.
public enum HistoryLifecycle {
    /// ISO 8601 UTC, seconds: how the history writes times.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// The run's findings with their identities: masked cells (never a full id; the student
    /// number stays as the reports show it, though 13 digits look like an account), and an ordinal
    /// for an identity the run holds more than once. `findings` should be in contract order, so
    /// ordinals are stable from run to run. `masked`, when given, holds the same findings in the
    /// same order as the reports show them (id masked, name, expected, actual and detail through
    /// `Masking.text`): its cells are taken as they are, not masked a second time.
    public static func observe(_ findings: [Discrepancy], masked: [Discrepancy]? = nil, term: String,
                               identity: FindingIdentity) -> [ObservedFinding] {
        var seen: [String: Int] = [:]
        let keyer = identity.keyer()
        let shown = masked?.count == findings.count ? masked : nil
        return findings.indices.map { index in
            let finding = findings[index]
            let key = FindingIdentity.studentKey(idNumber: finding.idNumber, schoolCode: finding.schoolCode,
                                                 studentNo: finding.studentNo, keyer: keyer)
            let base = FindingIdentity.findingID(code: finding.code, term: term, schoolCode: finding.schoolCode, studentKey: key)
            let ordinal = seen[base, default: 0]
            seen[base] = ordinal + 1
            let id = ordinal == 0 ? base
                : FindingIdentity.findingID(code: finding.code, term: term, schoolCode: finding.schoolCode, studentKey: key, ordinal: ordinal)
            // The person-readable cells as the reports show them, or masked here.
            let name, idMasked, expected, actual, detail: String
            if let shown = shown?[index] {
                (name, idMasked, expected, actual, detail) = (shown.name, finding.idNumber.isEmpty ? "" : shown.idNumber,
                                                               shown.expected, shown.actual, shown.detail)
            } else {
                (name, idMasked, expected, actual, detail) = (Masking.text(finding.name),
                                                               finding.idNumber.isEmpty ? "" : Masking.id(finding.idNumber),
                                                               Masking.text(finding.expected), Masking.text(finding.actual),
                                                               Masking.text(finding.detail))
            }
            let facts = FindingFacts(
                code: finding.code, severity: finding.severity.rawValue, schoolCode: finding.schoolCode,
                studentNo: finding.studentNo, name: name, idMasked: idMasked, expected: expected, actual: actual,
                detail: detail, sources: Masking.text(finding.sources.joined(separator: ";")))
            return ObservedFinding(id: id, studentKey: key, facts: facts)
        }
    }

    /// The status a finding seen again takes, from its stored state.
    public static func statusWhenSeen(_ stored: StoredFinding?, facts: String) -> FindingStatus {
        guard let stored else { return .new }
        switch stored.status {
        case .resolved: return .reopened
        case .explained, .accepted:
            // A decision holds until the facts it was made on change.
            return stored.decidedFacts == facts ? stored.status : .open
        case .new, .open, .reopened: return .open
        }
    }

    /// Everything the run writes: `runID` and `stored` (every finding of the term, in any order)
    /// come from the backend's transaction. A failed run (`facts.failure`) writes its run row alone.
    public static func plan(runID: Int64, facts run: RunFacts, observed: [ObservedFinding],
                            stored: [StoredFinding]) -> RunWrite {
        let at = timestamp(run.startedAt)
        var record = RunRecord(
            id: runID, job: run.job, term: run.scope.term, scope: run.scope.stored, toolVersion: run.toolVersion,
            configHash: run.configHash, command: Masking.text(run.command), startedAt: at,
            finishedAt: timestamp(run.finishedAt), exitStatus: run.exitStatus,
            outcome: run.failure != nil ? "failed" : run.exitStatus == 0 ? "ok" : "findings",
            error: Masking.text(run.failure ?? ""), totals: jsonText(run.totals))
        let inputs = run.inputs.enumerated().map {
            InputRecord(runID: runID, seq: $0.offset, name: $0.element.name, bytes: $0.element.bytes, sha256: $0.element.sha256)
        }
        if run.failure != nil {
            return RunWrite(run: record, inputs: inputs)
        }
        // Positions, not copies: a term can hold a few hundred thousand stored findings.
        var storedIndex: [String: Int] = [:]
        storedIndex.reserveCapacity(stored.count)
        for (i, finding) in stored.enumerated() where storedIndex[finding.id] == nil { storedIndex[finding.id] = i }
        var rows = SeenRows(runID: runID, job: run.job, term: run.scope.term, at: at, observed: observed, stored: stored)
        var annotations: [FindingAnnotation] = []
        annotations.reserveCapacity(observed.count)
        var counts: [String: Int] = [:]
        // Each id the run holds, with its annotation's position (an id seen twice is written once).
        var seen: [String: Int] = [:]
        seen.reserveCapacity(observed.count)
        for (position, finding) in observed.enumerated() {
            if let first = seen[finding.id] {
                annotations.append(annotations[first])
                continue
            }
            seen[finding.id] = annotations.count
            counts[finding.facts.code, default: 0] += 1
            let factsHash = finding.facts.factsHash
            let index = storedIndex[finding.id]
            let previous = index.map { stored[$0] }
            let status = statusWhenSeen(previous, facts: factsHash)
            switch status {
            case .new: record.newCount += 1
            case .reopened: record.reopenedCount += 1
            case .explained, .accepted: record.decidedCount += 1
            case .open, .resolved: record.openCount += 1
            }
            rows.append(first: position, previous: index, status: status, factsHash: factsHash)
            annotations.append(FindingAnnotation(id: finding.id, status: status, firstSeen: previous?.firstSeenAt ?? at,
                                                 note: previous?.note ?? ""))
        }
        rows.sortForWriting()
        // Absent from this run, in its scope, not yet resolved: resolved by it (by id).
        let resolved = stored.filter { previous in
            previous.job == run.job && previous.status != .resolved && seen[previous.id] == nil
                && run.scope.covers(schoolCode: previous.schoolCode)
        }.map(\.id).sorted()
        record.resolvedCount = resolved.count
        record.counts = jsonText(counts.mapValues { Int64($0) })
        var write = RunWrite(run: record, inputs: inputs, seen: rows, resolved: resolved,
                             packages: run.packages.map { var p = $0; p.runID = runID; return p })
        write.annotations = annotations
        return write
    }

    /// An officer's decision: `status` (explained or accepted), by whom, the note (masked), on the
    /// facts the finding has now.
    public static func decide(_ finding: FindingRecord, status: FindingStatus, by: String, note: String,
                              at: Date) throws -> (FindingRecord, NoteRecord) {
        guard status.isDecision else {
            throw ZizhuError(.usage, Message("historyError.decision.status", ["status": status.rawValue]),
                             hint: Message("historyError.decision.status.hint"))
        }
        let by = by.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !by.isEmpty, !note.isEmpty else {
            throw ZizhuError(.usage, Message("historyError.decision.who"), hint: Message("historyError.decision.who.hint"))
        }
        var updated = finding
        let when = timestamp(at)
        updated.status = status
        updated.decidedBy = Masking.text(by)
        updated.decidedAt = when
        updated.note = Masking.text(note)
        updated.decidedFacts = finding.facts
        return (updated, NoteRecord(findingID: finding.id, seq: 0, at: when, by: updated.decidedBy, status: status,
                                    note: updated.note))
    }

    /// Sorted-key JSON of a small map, as stored in `runs.counts` / `runs.totals`.
    public static func jsonText(_ values: [String: Int64]) -> String {
        "{" + values.keys.sorted().map { "\(jsonString($0)):\(values[$0] ?? 0)" }.joined(separator: ",") + "}"
    }

    /// Reads `runs.counts` / `runs.totals` back.
    public static func jsonMap(_ text: String) -> [String: Int64] {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: Int64] = [:]
        for (key, value) in object {
            if let number = value as? NSNumber { out[key] = number.int64Value }
        }
        return out
    }

    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
