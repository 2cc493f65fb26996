/// Which job is expected to report a planted case.
enum PlantJob: String {
    case submit, reconcile, merge, validate
}

/// The kinds of file a planted case shows up in (used to collect its `file:line` sources).
struct FileKinds: OptionSet {
    let rawValue: UInt8
    static let schoolRoster = FileKinds(rawValue: 1)
    static let schoolApplications = FileKinds(rawValue: 2)
    static let financeRoster = FileKinds(rawValue: 4)
    static let approved = FileKinds(rawValue: 8)
    static let ledger = FileKinds(rawValue: 16)
    static let allocations = FileKinds(rawValue: 32)
    static let schools = FileKinds(rawValue: 64)

    static let submit: FileKinds = [.schoolRoster, .schoolApplications]
    static let reconcile: FileKinds = [.approved, .ledger, .financeRoster]
}

/// One row of `planted.csv`: a finding the tool must report (R/S/M codes), a row it must reject
/// (`REJECT`), a file-level warning (`TOTAL_MISMATCH`) or a near-miss it must NOT report (`NEAR`).
struct PlantedRecord {
    var code: String
    var job: PlantJob
    var school: Int?
    var student: Int?
    var note: String
    /// Files whose rows of `student` are this case's sources.
    var kinds: FileKinds
    /// When non-zero, only rows carrying this tag are sources (a student's other rows are clean).
    var rowTag: Int32 = 0
    /// `student_no` to print when the case is about a row with its own number (S01's second row).
    var studentNo: String? = nil
    var sources: [String] = []
}

/// A 国家助学金 application row as a file shows it (school applications or the approved list).
struct GrantRow {
    var tier: UInt8
    var amount: Int64
    var approval: UInt8
    var applied: Int32
    /// A raw amount cell replacing the formatted one (REJECT: `12.345`).
    var amountText: String? = nil
    var tag: Int32 = 0
}

/// One row of a bank return file.
struct LedgerRow {
    var day: Int32
    var amount: Int64
    var success: Bool
    /// Index into the bank's failure reasons.
    var failReason: Int = 0
    /// Belongs to the retry run (second zip entry; after the first run in the other files).
    var retryRun = false
    /// Another account than the student's (R06: a sibling's).
    var account: UInt64? = nil
    /// `621285******1234`: unreadable, and in a file without ids the row cannot be matched.
    var maskedAccount = false
    /// Another account holder's name (R05).
    var accountName: String? = nil
    /// The name written with another separator or spacing (normalizes equal: near-miss of R05).
    var nameVariant = false
    var channel: UInt8? = nil
    /// A raw pay-date cell (REJECT: `2023-11-31`).
    var dateText: String? = nil
    /// The id as Excel's `3.70102E+17` (in a ledger: a warning; the row is matched by account).
    var scientificId = false
    var tag: Int32 = 0
}

/// A planted school-roster row that is rejected by validation.
enum RosterReject {
    case scientificId, badCheckCharacter, emptyStatus, impossibleDate
}

/// A planted 免学费 application row that is rejected by validation.
enum TuitionReject {
    case amountPrecision, emptyApproval
}

/// What is special about a planted student; plain students have none.
struct Effects {
    var records: [Int32] = []
    // School roster.
    var statedMale: Bool? = nil
    var statedBirth: Int32? = nil
    var campusCity: Int? = nil
    var campusAsDistrict = false
    var rosterReject: RosterReject? = nil
    var rosterRejectTag: Int32 = 0
    var idStyle: IdStyle? = nil
    // School applications.
    var schoolGrant: [GrantRow]? = nil
    var noSchoolApplications = false
    var tuitionReject: TuitionReject? = nil
    var tuitionRejectTag: Int32 = 0
    // Finance.
    var approvedGrant: [GrantRow]? = nil
    var approvedReject = false
    var approvedRejectTag: Int32 = 0
    var previousTermRow = false
    var ledger: [LedgerRow]? = nil
}

/// An extra row in a school roster for a student who already has one (S01, M01, a transfer).
struct ExtraRosterRow {
    var student: Int
    var serial: Int32
    var status: UInt8
    var change: Int32
    var recorded: Int32
    var idStyle: IdStyle
    var record: Int32
}

/// A paid bank row that matches no student (R02): an account nobody was approved with.
struct OrphanLedgerRow {
    var day: Int32
    var amount: Int64
    var account: UInt64
    var name: String
    var record: Int32
}
