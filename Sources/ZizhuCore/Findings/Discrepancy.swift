/// How serious a finding is (contract §6): an error must be corrected before money moves or data
/// is submitted; a warning must be reviewed.
public enum Severity: String, Sendable, Codable, Comparable {
    case error, warning

    public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
}

/// One finding: one row per (code, student) — per school for R14 — with the columns the contract
/// names (`code, severity, term, school_code, student_no, name, id_number, expected, actual,
/// detail, sources`). Ids are kept whole here and masked by the writers unless `--unmask`.
public struct Discrepancy: Sendable, Codable, Hashable {
    public var code: String
    public var severity: Severity
    public var term: String
    public var schoolCode: String
    public var studentNo: String
    public var name: String
    public var idNumber: String
    public var expected: String
    public var actual: String
    public var detail: String
    /// `file:line` of every row involved.
    public var sources: [String]

    public init(code: String, severity: Severity? = nil, term: String = "", schoolCode: String = "", studentNo: String = "",
                name: String = "", idNumber: String = "", expected: String = "", actual: String = "",
                detail: String = "", sources: [String] = []) {
        self.code = code
        self.severity = severity ?? FindingCatalog.entry(code)?.severity ?? .error
        self.term = term
        self.schoolCode = schoolCode
        self.studentNo = studentNo
        self.name = name
        self.idNumber = idNumber
        self.expected = expected
        self.actual = actual
        self.detail = detail
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey {
        case code, severity, term, detail, sources, name, expected, actual
        case schoolCode = "school_code"
        case studentNo = "student_no"
        case idNumber = "id_number"
    }

    /// The contract's order: code, school_code, student_no (then id and sources, so ties are stable).
    public static func contractOrder(_ a: Discrepancy, _ b: Discrepancy) -> Bool {
        if a.code != b.code { return a.code < b.code }
        if a.schoolCode != b.schoolCode { return a.schoolCode < b.schoolCode }
        if a.studentNo != b.studentNo { return a.studentNo < b.studentNo }
        if a.idNumber != b.idNumber { return a.idNumber < b.idNumber }
        return a.sources.lexicographicallyPrecedes(b.sources)
    }
}

/// The finding codes of the contract §6 with their names and severities.
public enum FindingCatalog {
    public struct Entry: Sendable {
        public let code: String
        public let name: String
        public let severity: Severity
        /// What the code means, in English (`summary(_:)` in either language).
        public let summary: String

        /// What the code means in `language`, from the message catalogue.
        public func summary(_ language: Language) -> String { language(code) }

        /// The short name in `language`: 应发未发 in Chinese, the contract's `name` (UNPAID) in English.
        public func name(_ language: Language) -> String { Catalogue.render("finding.name.\(code)", language) }
    }

    public static let entries: [Entry] = [
        Entry(code: "R01", name: "UNPAID", severity: .error, summary: "approved, no ledger row at all (应发未发)"),
        Entry(code: "R02", name: "UNAUTHORIZED", severity: .error, summary: "paid without approval for this term (无依据发放)"),
        Entry(code: "R03", name: "AMOUNT_MISMATCH", severity: .error, summary: "total paid differs from the approved amount"),
        Entry(code: "R04", name: "DUPLICATE_PAYMENT", severity: .error, summary: "paid twice or more, above the approved amount (重复发放)"),
        Entry(code: "R05", name: "NAME_MISMATCH", severity: .error, summary: "account holder name differs from the student's (户名不符)"),
        Entry(code: "R06", name: "SHARED_ACCOUNT", severity: .error, summary: "one account paid for several students (一卡多人)"),
        Entry(code: "R07", name: "PAID_AFTER_STATUS_CHANGE", severity: .error, summary: "paid on or after 退学/休学/转学 (异动后发放)"),
        Entry(code: "R08", name: "NOT_FULL_TIME", severity: .error, summary: "paid to a 非全日制 student"),
        Entry(code: "R09", name: "WRONG_CHANNEL", severity: .error, summary: "paid through a channel other than 中职资助卡 / 社保卡"),
        Entry(code: "R10", name: "FAILED_UNRESOLVED", severity: .error, summary: "approved, only failed payments (发放失败未处理)"),
        Entry(code: "R11", name: "OUTSIDE_TERM_WINDOW", severity: .warning, summary: "paid outside the term window"),
        Entry(code: "R12", name: "TIER_INVALID", severity: .error, summary: "approved tier or amount not in the configured tiers"),
        Entry(code: "R13", name: "NOT_IN_ROSTER", severity: .error, summary: "approved or paid student absent from the roster"),
        Entry(code: "R14", name: "OVERSPENT", severity: .error, summary: "school paid more than its allocation"),
        Entry(code: "S01", name: "DUPLICATE_REGISTRATION", severity: .error, summary: "one id on two or more roster rows (重复注册)"),
        Entry(code: "S02", name: "HARDSHIP_NOT_COVERED", severity: .warning, summary: "special-hardship student without a grant application (应助尽助)"),
        Entry(code: "S03", name: "APPLICANT_NOT_ENROLLED", severity: .error, summary: "applicant absent from the roster or not enrolled (空挂)"),
        Entry(code: "S04", name: "NOT_FULL_TIME_APPLICANT", severity: .error, summary: "application for a 非全日制 student"),
        Entry(code: "S05", name: "LATE_REGISTRATION", severity: .warning, summary: "registered after the term's registration deadline"),
        Entry(code: "S06", name: "LATE_APPLICATION", severity: .error, summary: "applied after the deadline (逾期不予补报)"),
        Entry(code: "S07", name: "STATUS_CHANGE_LATE", severity: .warning, summary: "status change recorded after 10 working days"),
        Entry(code: "S08", name: "CROSS_CITY_CAMPUS", severity: .error, summary: "campus in another city than the school (不得跨市办学)"),
        Entry(code: "S09", name: "IDENTITY_MISMATCH", severity: .warning, summary: "stated gender or birth date disagrees with the id"),
        Entry(code: "S10", name: "DUPLICATE_APPLICATION", severity: .error, summary: "two applications for one aid type in the term"),
        Entry(code: "S11", name: "TIER_INVALID", severity: .error, summary: "application tier or amount not in the configured tiers"),
        Entry(code: "S12", name: "SCHOOL_MISMATCH", severity: .error, summary: "a row names another school code than the submitting school's"),
        Entry(code: "M01", name: "CROSS_SCHOOL_DUPLICATE", severity: .error, summary: "one id enrolled or funded in two schools"),
        Entry(code: "M02", name: "PACKAGE_INTEGRITY", severity: .error, summary: "package does not match its manifest: quarantined"),
        Entry(code: "M03", name: "MISSING_SUBMISSION", severity: .warning, summary: "expected school sent nothing"),
        Entry(code: "M04", name: "DECLARATION_MISMATCH", severity: .error, summary: "declaration disagrees with the data"),
        Entry(code: "M05", name: "CONFLICTING_PACKAGES", severity: .warning, summary: "two different packages for one school and term"),
        Entry(code: "M06", name: "SIGNATURE_INVALID", severity: .error, summary: "declaration unsigned or signature invalid"),
    ]

    private static let byCode: [String: Entry] = Dictionary(uniqueKeysWithValues: entries.map { ($0.code, $0) })

    /// The entry for `code` (`R05`), if the contract defines it.
    public static func entry(_ code: String) -> Entry? { byCode[code] }
}
