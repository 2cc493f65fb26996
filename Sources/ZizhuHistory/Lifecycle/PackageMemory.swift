/// Merge remembers packages: a package for a school and term received on an earlier day, with
/// other data than the one merged today, is still a conflicting resend (M05), though yesterday's
/// package is not among today's inputs.
public enum PackageMemory {
    /// A package of today's merge.
    public struct Received: Sendable, Hashable {
        public var schoolCode: String
        public var fingerprint: String
        public var generatedAt: String
        public var source: String
        /// merged | superseded | identical_resend | quarantined | other_term
        public var verdict: String
        public init(schoolCode: String, fingerprint: String, generatedAt: String, source: String, verdict: String) {
            self.schoolCode = schoolCode
            self.fingerprint = fingerprint
            self.generatedAt = generatedAt
            self.source = source
            self.verdict = verdict
        }
    }

    /// A school whose package merged today differs from one received in an earlier run.
    public struct Conflict: Sendable, Hashable {
        public var schoolCode: String
        public var merged: Received
        /// The earlier packages with other data, latest received first.
        public var earlier: [PackageRecord]
        /// Whether an earlier package was generated after today's (it should be sent again to be merged).
        public var earlierIsNewer: Bool
    }

    /// Verdicts of a package whose data counted as the school's (verified, for this term).
    static let verified: Set<String> = ["merged", "superseded", "identical_resend"]

    /// The conflicts between today's merged packages and the packages `previous` runs received.
    public static func conflicts(today: [Received], previous: [PackageRecord]) -> [Conflict] {
        var out: [Conflict] = []
        let todayFingerprints = Dictionary(grouping: today, by: \.schoolCode).mapValues { Set($0.map(\.fingerprint)) }
        for merged in today where merged.verdict == "merged" && !merged.fingerprint.isEmpty {
            let known = todayFingerprints[merged.schoolCode] ?? []
            var seen = Set<String>()
            let earlier = previous
                .filter { $0.schoolCode == merged.schoolCode && verified.contains($0.verdict) && !$0.fingerprint.isEmpty
                    && !known.contains($0.fingerprint) }
                .sorted { ($0.receivedAt, $0.runID) > ($1.receivedAt, $1.runID) }
                .filter { seen.insert($0.fingerprint).inserted }
            guard !earlier.isEmpty else { continue }
            let newer = earlier.contains { !$0.generatedAt.isEmpty && $0.generatedAt > merged.generatedAt }
            out.append(Conflict(schoolCode: merged.schoolCode, merged: merged, earlier: earlier, earlierIsNewer: newer))
        }
        return out.sorted { $0.schoolCode < $1.schoolCode }
    }
}
