import ZizhuCore

/// One thing wrong with a package, under the merge contract's code (§6).
public struct PackageProblem: Sendable, Hashable, CustomStringConvertible {
    /// The contract's codes a package check can give.
    public enum Code: String, Sendable, Hashable, Comparable {
        /// M02 PACKAGE_INTEGRITY: the package cannot be read, or its files do not match its manifest.
        case packageIntegrity = "M02"
        /// M04 DECLARATION_MISMATCH: the declaration's fingerprint, counts, school or term
        /// disagree with the data (or the declaration cannot be read).
        case declarationMismatch = "M04"
        /// M06 SIGNATURE_INVALID: the declaration carries a signature that does not verify (with
        /// or without a trust folder); with a trust folder, also: it is unsigned, or not signed by
        /// the school's trusted key.
        case signatureInvalid = "M06"

        public static func < (lhs: Code, rhs: Code) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var code: Code
    /// What the problem is about: an entry (`roster.csv.gz`), `package`, or a declaration field
    /// (`declaration count full_time_enrolled`).
    public var subject: String
    /// Exactly what is wrong, with expected and actual values where there are two.
    public var reason: String

    /// The reason as catalogue words (nil for a reason written as plain text).
    public var reasonWords: Message?
    /// The subject as catalogue words (nil for an entry name, which every language writes alike).
    public var subjectWords: Message?

    public init(_ code: Code, _ subject: String, _ reason: String) {
        self.code = code
        self.subject = subject
        self.reason = reason
    }

    /// A problem in catalogue words: `subject` and `reason` hold the English text.
    public init(_ code: Code, _ subject: String, _ reason: Message, subjectWords: Message? = nil) {
        self.init(code, subjectWords?.text(.en) ?? subject, reason.text(.en))
        reasonWords = reason
        self.subjectWords = subjectWords
    }

    /// The subject in `language`.
    public func subject(_ language: Language) -> String { subjectWords?.text(language) ?? subject }

    /// The reason in `language`.
    public func reason(_ language: Language) -> String { reasonWords?.text(language) ?? reason }

    /// `description` in `language`: `M04 申报表计数 full_time_enrolled：申报表为 120，数据为 119`.
    public func text(_ language: Language) -> String {
        language("verify.problem", ["code": code.rawValue, "subject": subject(language), "reason": reason(language)])
    }

    /// `M04 declaration count full_time_enrolled: declared 120, data 119`.
    public var description: String { "\(code.rawValue) \(subject): \(reason)" }
}

/// What `PackageVerifier` found in one package, and what it read: the manifest, the
/// declaration and the decompressed data files, so a merge need not read the package twice.
public struct PackageVerification: Sendable {
    /// How the declaration's signature stands on its own (whatever the trust folder says).
    public enum SignatureStatus: Sendable, Equatable {
        /// The declaration could not be read.
        case notChecked
        case unsigned
        /// It verifies with the public key it carries, named by `keyId`.
        case verifies(keyId: String)
        /// It is malformed or does not verify; `reason` says which.
        case fails(reason: Message)
    }

    /// The package path (or the name given for bytes in memory).
    public var source: String
    /// Every problem found, in the order checked (entries, manifest, data files, declaration,
    /// signature). Empty when the package is good.
    public var problems: [PackageProblem] = []
    public var manifest: PackageManifest?
    public var declaration: Declaration?
    /// `roster.csv` as the package holds it, gunzipped; nil when it could not be read.
    public var roster: [UInt8]?
    /// `applications.csv`, gunzipped; nil when it could not be read.
    public var applications: [UInt8]?
    /// The counts recomputed from the data files, when both could be read.
    public var counts: DeclarationCounts?
    /// The fingerprint of the data files as they are, when both could be read.
    public var fingerprint: String?
    public var signature: SignatureStatus = .notChecked
    /// True when a trust folder was given.
    public var trustChecked = false
    /// The school's trusted key, when the declaration is signed with it and the signature verifies.
    public var trustedKey: PublicSigningKey?

    public init(source: String) {
        self.source = source
    }

    /// No problem at all.
    public var isValid: Bool { problems.isEmpty }

    /// True when the package must be quarantined whole (M02): nothing of it can be trusted.
    public var hasIntegrityProblem: Bool { problems.contains { $0.code == .packageIntegrity } }

    /// What `zizhu verify` prints: one line per problem, or an `OK` line with the school, term,
    /// counts, fingerprint and signer — in `language` (the problems' codes and names do not change).
    public func reportLines(_ language: Language = .zh) -> [String] {
        if !isValid { return problems.map { $0.text(language) } }
        let say = language
        let name = source.split(separator: "/").last.map(String.init) ?? source
        var lines: [String] = []
        if let declaration {
            lines.append(say("verify.ok.declaration", ["package": name, "school": declaration.schoolCode, "name": declaration.schoolName,
                                                       "term": declaration.term, "termName": declaration.termName]))
        } else {
            lines.append(say("verify.ok", ["package": name]))
        }
        if let counts {
            let aid = counts.applicationsByAidType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            let tiers = counts.grantApplicationsByTier.sorted { Self.tierOrder($0.key) < Self.tierOrder($1.key) }
                .map { "\($0.key) \($0.value)" }
            lines.append(say("verify.counts", [
                "roster": "\(counts.rosterRows)", "applications": "\(counts.applicationRows)", "fullTime": "\(counts.fullTimeEnrolled)",
                "aid": aid.isEmpty ? say("verify.none") : aid.joined(separator: ", "),
                "tiers": tiers.isEmpty ? say("verify.none") : tiers.joined(separator: ", "), "amount": "\(counts.grantAmount)"]))
        }
        if let fingerprint { lines.append(say("verify.fingerprint", ["fingerprint": fingerprint])) }
        switch signature {
        case .notChecked:
            break
        case .unsigned:
            lines.append(say(trustChecked ? "verify.signature.none" : "verify.signature.none.untrusted"))
        case .verifies(let keyId):
            if trustChecked, let code = declaration?.schoolCode {
                lines.append(say("verify.signature.trusted", ["key": keyId, "school": code]))
            } else {
                lines.append(say("verify.signature.unchecked", ["key": keyId]))
            }
        case .fails(let reason):
            // Not reached for a valid package: a signature that does not verify is an M06 problem.
            lines.append(say("verify.signature.fails", ["reason": reason.text(language)]))
        }
        return lines
    }

    /// 一档, 二档, 三档 in that order, then others by name, `未定档` last.
    static func tierOrder(_ tier: String) -> String {
        switch tier {
        case "一档": return "0"
        case "二档": return "1"
        case "三档": return "2"
        case DeclarationCounts.untieredKey: return "9"
        default: return "5" + tier
        }
    }
}
