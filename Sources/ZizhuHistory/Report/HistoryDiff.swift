import Foundation
import ZizhuCore

/// `zizhu history diff RUN_A RUN_B`: what is new in B, what B no longer has (resolved), what both
/// have unchanged or changed, and how the money totals moved.
public struct HistoryDiff: Sendable, Codable {
    public struct Change: Sendable, Codable {
        public var before: OccurrenceRecord
        public var after: OccurrenceRecord
    }

    public struct Money: Sendable, Codable, Hashable {
        public var key: String
        /// Fen.
        public var before: Int64
        public var after: Int64
        public var moved: Int64 { after - before }
        public init(key: String, before: Int64, after: Int64) {
            self.key = key
            self.before = before
            self.after = after
        }
    }

    public var runA: RunRecord
    public var runB: RunRecord
    /// In B, not in A.
    public var new: [OccurrenceRecord]
    /// In A, not in B (A's cells).
    public var resolved: [OccurrenceRecord]
    /// In both with the same expected and actual.
    public var unchanged: [OccurrenceRecord]
    /// In both, expected or actual moved.
    public var changed: [Change]
    /// The runs' money totals, key by key.
    public var money: [Money]
    /// Sum of |expected − actual| over the new findings whose cells are amounts (fen): money newly in question.
    public var newAtStake: Int64
    /// The same over the resolved findings: money no longer in question.
    public var resolvedAtStake: Int64

    /// Compares two recorded runs of `backend`.
    public static func between(_ a: Int64, _ b: Int64, in backend: any HistoryBackend) throws -> HistoryDiff {
        guard let runA = try backend.run(a) else { throw HistoryQuery.noRun(a, backend) }
        guard let runB = try backend.run(b) else { throw HistoryQuery.noRun(b, backend) }
        let before = try backend.occurrences(ofRun: a).filter(\.present)
        let after = try backend.occurrences(ofRun: b).filter(\.present)
        let beforeByID = Dictionary(before.map { ($0.findingID, $0) }, uniquingKeysWith: { first, _ in first })
        let afterIDs = Set(after.map(\.findingID))
        var diff = HistoryDiff(runA: runA, runB: runB, new: [], resolved: [], unchanged: [], changed: [], money: [],
                               newAtStake: 0, resolvedAtStake: 0)
        for occurrence in after {
            if let old = beforeByID[occurrence.findingID] {
                if old.display.factsHash == occurrence.display.factsHash {
                    diff.unchanged.append(occurrence)
                } else {
                    diff.changed.append(Change(before: old, after: occurrence))
                }
            } else {
                diff.new.append(occurrence)
                diff.newAtStake += atStake(occurrence.display)
            }
        }
        for occurrence in before where !afterIDs.contains(occurrence.findingID) {
            diff.resolved.append(occurrence)
            diff.resolvedAtStake += atStake(occurrence.display)
        }
        let totalsA = HistoryLifecycle.jsonMap(runA.totals)
        let totalsB = HistoryLifecycle.jsonMap(runB.totals)
        diff.money = Set(totalsA.keys).union(totalsB.keys).sorted().map {
            Money(key: $0, before: totalsA[$0] ?? 0, after: totalsB[$0] ?? 0)
        }
        return diff
    }

    /// |expected − actual| in fen when both cells are amounts in yuan (`1000.00`), else 0: unpaid
    /// and overpaid money are both in question.
    static func atStake(_ facts: FindingFacts) -> Int64 {
        guard let expected = fen(facts.expected), let actual = fen(facts.actual) else { return 0 }
        return abs(expected - actual)
    }

    /// `1,000.00` / `-12.5` / `300` → fen; nil for anything else.
    static func fen(_ text: String) -> Int64? {
        var s = Substring(text.trimmingCharacters(in: .whitespaces)).filter { $0 != "," }[...]
        guard !s.isEmpty else { return nil }
        var sign: Int64 = 1
        if s.first == "-" { sign = -1; s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 15, whole.allSatisfy(\.isASCII),
              let yuan = Int64(whole) else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard fraction.count <= 2, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            cents = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        }
        return sign * (yuan * 100 + cents)
    }
}

/// Errors of the history commands.
enum HistoryQuery {
    static func noRun(_ id: Int64, _ backend: any HistoryBackend) -> ZizhuError {
        ZizhuError(.usage, Message("historyError.noRun", ["id": "\(id)", "location": backend.location]), hint: Message("historyError.noRun.hint"))
    }
}
