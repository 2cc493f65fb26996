import Foundation

/// M05 CONFLICTING_PACKAGES: which of a school's packages for the term is merged.
///
/// The package with the latest `generated_at` is merged. Another package with the same content —
/// the same data fingerprint and the same declaration (its signed text: school, term, counts,
/// fingerprint, statement; the signature itself aside) — is an identical resend: silently one,
/// whatever its `generated_at`, file name or zip bytes (a school that runs submit again on the
/// same data makes a new zip with a new time but the same data and declaration). Any other
/// package is superseded and listed (M05, a warning).
///
/// The choice depends only on the packages, never on the order the inputs were given: equal
/// times are broken by fingerprint, then the zip's SHA-256, then the name.
enum SubmissionChoice {
    struct Candidate: Sendable {
        var package: Int
        var name: String
        var generatedAt: String
        /// The data fingerprint and the declaration's canonical bytes' SHA-256.
        var content: String
        var fingerprint: String
        var sha256: String
    }

    struct Decision: Sendable, Equatable {
        var merged: Int
        /// Identical resends of the merged package.
        var duplicates: [Int]
        /// Different packages, older (or tied and ordered after): M05.
        var superseded: [Int]
    }

    /// The decision for one school's candidates (at least one).
    static func decide(_ candidates: [Candidate]) -> Decision? {
        let ordered = candidates.sorted(by: isPreferred)
        guard let winner = ordered.first else { return nil }
        var decision = Decision(merged: winner.package, duplicates: [], superseded: [])
        for other in ordered.dropFirst() {
            if other.content == winner.content {
                decision.duplicates.append(other.package)
            } else {
                decision.superseded.append(other.package)
            }
        }
        return decision
    }

    /// True when `a` is merged rather than `b`.
    static func isPreferred(_ a: Candidate, _ b: Candidate) -> Bool {
        let timeA = instant(a.generatedAt), timeB = instant(b.generatedAt)
        if timeA != timeB {
            // A time that cannot be read is older than any that can.
            switch (timeA, timeB) {
            case (let x?, let y?): return x > y
            case (.some, nil): return true
            default: return false
            }
        }
        if a.fingerprint != b.fingerprint { return a.fingerprint > b.fingerprint }
        if a.sha256 != b.sha256 { return a.sha256 > b.sha256 }
        return a.name < b.name
    }

    /// `generated_at` as an instant: ISO 8601 with an offset (`2023-10-30T09:15:00+08:00`), with
    /// or without fractional seconds.
    static func instant(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
