/// 学籍状态 as stored in a `Student` (index into `Student.statusNames`).
enum Status {
    static let enrolled: UInt8 = 0     // 在籍
    static let suspended: UInt8 = 1    // 休学
    static let withdrawn: UInt8 = 2    // 退学
    static let transferred: UInt8 = 3  // 转学
    static let resumed: UInt8 = 4      // 复学

    /// 在籍 and 复学 count as enrolled (contract §3).
    static func isEnrolled(_ status: UInt8) -> Bool { status == enrolled || status == resumed }
}

/// 审批状态 of an application.
enum Approval {
    static let approved: UInt8 = 0  // 已审批
    static let pending: UInt8 = 1   // 待审批
    static let returned: UInt8 = 2  // 退回
}

/// Kind of identity document (证件类型).
enum IdKind {
    static let resident: UInt8 = 0  // 居民身份证
    static let permit: UInt8 = 1    // 港澳台居民居住证 (81xxxx, same check character)
    static let passport: UInt8 = 2  // 护照: kept as given, never checked
}

/// Channel (卡类型 / 发放渠道) of an account or a payment.
enum Channel {
    static let fundCard: UInt8 = 0    // 中职资助卡
    static let socialCard: UInt8 = 1  // 社保卡
    static let otherCard: UInt8 = 2   // 其他银行卡 (R09)
    static let cash: UInt8 = 3        // 现金 (R09)
    static let names = ["中职资助卡", "社保卡", "其他银行卡", "现金"]
}

/// One student, packed into small integers so a million fit in well under 100 MB.
///
/// Two views of the status are kept: `status` as of the school snapshot (school files) and
/// `financeStatus` as of the finance snapshot (finance roster). Everything a file shows is derived
/// from these fields plus, for planted students only, an `Effects` entry.
struct Student {
    var school: Int32 = 0
    /// Number within the school, the tail of `student_no`.
    var serial: Int32 = 0
    /// The first 17 digits of the id (passport holders: the passport number's digits).
    var idBody: UInt64 = 0
    /// The bank account (19 digits), unique per student unless R06 shares one.
    var account: UInt64 = 0
    var birth: Int32 = 0
    var registered: Int32 = 0
    var change: Int32 = 0
    var recorded: Int32 = 0
    var financeChange: Int32 = 0
    var financeRecorded: Int32 = 0
    var applied: Int32 = 0
    var payDay: Int32 = 0
    var retryDay: Int32 = 0
    var surname: UInt16 = 0
    var given1: UInt16 = 0
    var given2: UInt16 = Student.noCharacter
    var origin: UInt16 = 0
    var grade: UInt8 = 1
    var idKind: UInt8 = IdKind.resident
    /// 0 Han name, 1 two-part dotted name (`given1` indexes `Reference.dottedNames`), 2 Latin.
    var nameKind: UInt8 = 0
    var male = false
    var fullTime = true
    var status: UInt8 = Status.enrolled
    var financeStatus: UInt8 = Status.enrolled
    var hardship: UInt8 = Reference.hardshipNone
    var hukou: UInt8 = 0
    var major: UInt8 = 0
    var channel: UInt8 = Channel.fundCard
    /// Grant tier 1…3 when the student applies for 国家助学金, 0 when not.
    var tier: UInt8 = 0
    var approval: UInt8 = Approval.approved
    /// A first payout that fails and is paid on a retry (a clean near-miss of R10).
    var payFails = false
    var joint = false
    /// Not in any roster (ghost applicants for S03, ghost grantees for R13).
    var ghost = false
    /// In the school files but not the finance roster (R13).
    var notInFinanceRoster = false
    /// Has an `Effects` entry (planted).
    var planted = false

    static let noCharacter = UInt16.max

    /// Applies for 国家助学金 (school applications and the finance approved list agree unless an
    /// effect says otherwise).
    var appliesForGrant: Bool { tier > 0 }

    /// Applies for 免学费: every full-time enrolled student with an id the applications schema
    /// can read.
    var appliesForTuition: Bool {
        fullTime && Status.isEnrolled(status) && idKind != IdKind.passport && !ghost
    }

    /// Birth year (from the id body, which is the truth the stated fields must agree with).
    var birthYear: Int { Int(idBody / 10_000_000 % 10_000) }
}
