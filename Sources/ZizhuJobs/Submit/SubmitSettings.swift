import ZizhuCore
import ZizhuSchema

/// What a school submission is checked against (contract §2, §6 submit). Every default comes
/// from the provincial notices and can be changed in `pipelines/school-submit.yaml`.
public struct SubmitSettings: Sendable {
    /// The term (学期) submitted; an application row with an empty term counts as this one.
    public var term: Term
    /// The language of the findings' detail column and the notes (codes never change with it).
    public var language: Language = .zh
    /// The school submitting (学校代码); roster and application rows with an empty school code are its.
    public var schoolCode: String
    /// The school's own city (GB/T 2260 code), for S08; nil when neither `--school-city` nor the
    /// pipeline's `schools` list names it (S08 is then not checked, and the summary says so).
    public var schoolCity: Int32?
    /// `schoolCity` as six digits (`370100`).
    public var schoolCityCode: String? { schoolCity.map(CanonicalCells.regionText) }
    /// The school's name when the pipeline's `schools` list gives it (else the roster's 学校名称).
    public var schoolName: String?
    /// Grant amount per term for each tier (S11), as for reconcile.
    public var tiers: [String: Fen]
    /// 学籍注册 complete by (S05); default 04-20 / 10-20 of the term's year.
    public var registrationDeadline: CalendarDate
    /// 申报审批 complete by (S06); default 04-30 / 10-30.
    public var applicationDeadline: CalendarDate
    /// Hardship types a full-time grade 1–2 student must be covered for (S02, 应助尽助).
    public var specialHardship: Set<String>
    /// A status change must be recorded within this many working days (S07).
    public var statusChangeWorkingDays: Int
    /// Grades S02 covers.
    public var hardshipGrades: ClosedRange<Int>
    /// The State Council working-day calendars (S07).
    public var calendar: WorkingDayCalendar

    public static let defaultSpecialHardship: Set<String> = ["原建档立卡", "低保", "特困供养", "孤儿", "烈士子女", "残疾学生", "残疾人子女"]

    /// The provincial defaults for `term` and `schoolCode`.
    public init(term: Term, schoolCode: String, schoolCity: Int32? = nil) {
        self.term = term
        self.schoolCode = schoolCode
        self.schoolCity = schoolCity
        tiers = ["一档": Fen(125_000), "二档": Fen(100_000), "三档": Fen(75_000)]
        registrationDeadline = term.registrationDeadline
        applicationDeadline = term.applicationDeadline
        specialHardship = Self.defaultSpecialHardship
        statusChangeWorkingDays = 10
        hardshipGrades = 1...2
        calendar = .shared
    }
}
