import ZizhuCore
import ZizhuPackage

/// What a merge found and did: findings (M01–M06), what became of every package, and the counts
/// per school and city for `summary.json` and `report.html`.
public struct MergeResult: Sendable {
    /// M01–M06, sorted in the contract's order.
    public var findings: [Discrepancy]
    /// Every package found, by name.
    public var packages: [PackageOutcome]
    /// Per city (by code; schools without a known city last), each with its schools.
    public var cities: [CitySummary]
    public var totals: SchoolCounts
    /// Rows written to `merged/roster.csv.gz` and `merged/applications.csv.gz`.
    public var mergedRosterRows: Int
    public var mergedApplicationRows: Int
    /// Things a person should know that are no finding (skipped entries, other-term packages …).
    public var notes: [String]
}

/// What became of one package.
public struct PackageOutcome: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Verified and merged.
        case merged
        /// Failed verification (M02 / M04 / M06): nothing of it used.
        case quarantined
        /// Another, later package of the school and term was merged (M05).
        case superseded
        /// The same data and declaration as the merged package: silently one.
        case identicalResend = "identical_resend"
        /// Verified, but for another term than the one merged: not merged.
        case otherTerm = "other_term"
    }

    /// `city.zip!3701J001_2023-fall.zip` or the package file's path.
    public var name: String
    public var status: Status
    /// The school it is for (from its manifest, its declaration, or its file name when it cannot be read).
    public var schoolCode: String
    public var schoolName: String
    public var schoolCity: String
    public var term: String
    public var generatedAt: String
    /// SHA-256 of the zip.
    public var sha256: String
    /// The data fingerprint, when it could be computed.
    public var fingerprint: String
    /// The key that signed the declaration, when the signature verifies.
    public var signedBy: String?
    /// For a superseded package or an identical resend: the package merged instead.
    public var mergedInstead: String?
    /// Why it was quarantined: `M02 roster.csv.gz: sha256 differs …`, one line per problem.
    public var problems: [String]
    /// The declaration's counts as verified (merged, superseded and resent packages).
    public var counts: DeclarationCounts?
}

/// Counts and amounts of one school, a city or the whole merge (summary.json, report.html).
public struct SchoolCounts: Sendable, Codable, Equatable {
    /// Roster rows of the merged packages (学生数).
    public var students = 0
    /// Full-time (全日制) students 在籍 or 复学.
    public var fullTimeEnrolled = 0
    /// Applications not 退回, per aid type.
    public var applicationsByAidType: [String: Int] = [:]
    /// 国家助学金 applications not 退回, per tier.
    public var grantApplicationsByTier: [String: Int] = [:]
    /// Total of the 国家助学金 applications not 退回, in fen (written as yuan).
    public var grantAmount = Fen.zero
    public var packagesMerged = 0
    public var packagesQuarantined = 0
    public var packagesSuperseded = 0
    public var identicalResends = 0

    public init() {}

    mutating func add(_ counts: DeclarationCounts) {
        students += counts.rosterRows
        fullTimeEnrolled += counts.fullTimeEnrolled
        for (type, n) in counts.applicationsByAidType { applicationsByAidType[type, default: 0] += n }
        for (tier, n) in counts.grantApplicationsByTier { grantApplicationsByTier[tier, default: 0] += n }
        if case .success(let fen) = Fen.parse(counts.grantAmount) { grantAmount = grantAmount + fen }
    }

    mutating func add(_ other: SchoolCounts) {
        students += other.students
        fullTimeEnrolled += other.fullTimeEnrolled
        for (type, n) in other.applicationsByAidType { applicationsByAidType[type, default: 0] += n }
        for (tier, n) in other.grantApplicationsByTier { grantApplicationsByTier[tier, default: 0] += n }
        grantAmount = grantAmount + other.grantAmount
        packagesMerged += other.packagesMerged
        packagesQuarantined += other.packagesQuarantined
        packagesSuperseded += other.packagesSuperseded
        identicalResends += other.identicalResends
    }

    enum CodingKeys: String, CodingKey {
        case students, fullTimeEnrolled, applicationsByAidType, grantApplicationsByTier, grantAmount
        case packagesMerged, packagesQuarantined, packagesSuperseded, identicalResends
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        students = try c.decode(Int.self, forKey: .students)
        fullTimeEnrolled = try c.decode(Int.self, forKey: .fullTimeEnrolled)
        applicationsByAidType = try c.decode([String: Int].self, forKey: .applicationsByAidType)
        grantApplicationsByTier = try c.decode([String: Int].self, forKey: .grantApplicationsByTier)
        let yuan = try c.decode(String.self, forKey: .grantAmount)
        guard case .success(let fen) = Fen.parse(yuan) else {
            throw DecodingError.dataCorruptedError(forKey: .grantAmount, in: c, debugDescription: "not an amount in yuan")
        }
        grantAmount = fen
        packagesMerged = try c.decode(Int.self, forKey: .packagesMerged)
        packagesQuarantined = try c.decode(Int.self, forKey: .packagesQuarantined)
        packagesSuperseded = try c.decode(Int.self, forKey: .packagesSuperseded)
        identicalResends = try c.decode(Int.self, forKey: .identicalResends)
    }

    /// The amount as yuan with two decimals (`1250.00`), as people read it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(students, forKey: .students)
        try c.encode(fullTimeEnrolled, forKey: .fullTimeEnrolled)
        try c.encode(applicationsByAidType, forKey: .applicationsByAidType)
        try c.encode(grantApplicationsByTier, forKey: .grantApplicationsByTier)
        try c.encode(grantAmount.yuan, forKey: .grantAmount)
        try c.encode(packagesMerged, forKey: .packagesMerged)
        try c.encode(packagesQuarantined, forKey: .packagesQuarantined)
        try c.encode(packagesSuperseded, forKey: .packagesSuperseded)
        try c.encode(identicalResends, forKey: .identicalResends)
    }
}

/// One school in the summary.
public struct SchoolSummary: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// A package was merged.
        case merged
        /// Packages came, none could be merged: all quarantined.
        case quarantined
        /// On the expected list, nothing came (M03).
        case missing
        /// Only packages of another term came (M03 as well).
        case otherTermOnly = "other_term_only"
    }

    public var code: String
    public var name: String
    public var cityCode: String
    /// True when the school is on the expected list; nil when no list was given.
    public var expected: Bool?
    public var status: Status
    /// The merged package's name.
    public var package: String?
    public var counts: SchoolCounts
}

/// One city (地市) in the summary: its schools and their totals.
public struct CitySummary: Sendable, Codable, Equatable {
    /// GB/T 2260 code (`370100`), empty when unknown.
    public var code: String
    /// From the expected list, else the region table, else empty.
    public var name: String
    public var schools: [SchoolSummary]
    public var totals: SchoolCounts
}
