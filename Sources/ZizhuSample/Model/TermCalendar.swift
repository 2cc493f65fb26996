import ZizhuCore

/// The dates of one term that a sample is built around (contract §2), as day numbers.
///
/// The school files are a snapshot taken on the application deadline; the finance files are a
/// later snapshot (`financeSnapshot`), so a student can be 在籍 in a school roster and 休学 in the
/// finance roster — which is how R07 and its near-miss are planted without tripping S03.
struct TermCalendar: Sendable {
    let year: Int
    let fall: Bool
    let start: Int32
    let registrationDeadline: Int32
    let applicationDeadline: Int32
    let windowStart: Int32
    let windowEnd: Int32

    init(year: Int, fall: Bool) {
        self.year = year
        self.fall = fall
        if fall {
            start = Day.make(year, 9, 1)
            registrationDeadline = Day.make(year, 10, 20)
            applicationDeadline = Day.make(year, 10, 30)
            windowStart = start
            windowEnd = Day.make(year + 1, 3, 1) - 1
        } else {
            start = Day.make(year, 3, 1)
            registrationDeadline = Day.make(year, 4, 20)
            applicationDeadline = Day.make(year, 4, 30)
            windowStart = start
            windowEnd = Day.make(year, 8, 31)
        }
    }

    /// The day the school files were exported.
    var schoolSnapshot: Int32 { applicationDeadline }
    /// First day of the regular payout runs (each school pays on one day in the following 20).
    var firstPayDay: Int32 { applicationDeadline + 10 }
    /// Students who leave after the payouts change status from this day on (after every retry).
    var lateLeaveStart: Int32 { applicationDeadline + 60 }
    /// The day the finance office exported its roster.
    var financeSnapshot: Int32 { applicationDeadline + 90 }

    /// Entry year of a student in `grade` (fall: Y − g + 1; spring: Y − g).
    func entryYear(grade: Int) -> Int { fall ? year - grade + 1 : year - grade }

    /// The canonical spelling, `2023-fall`.
    var canonical: String { "\(year)-\(fall ? "fall" : "spring")" }

    /// The other accepted spellings, used across files (`2023年秋季学期`, `2023秋`, `2023F`…).
    var spellings: [String] {
        let season = fall ? "秋" : "春"
        return [canonical, "\(year)年\(season)季学期", "\(year)\(season)季", "\(year)\(season)",
                "\(year)年\(season)季", "\(year)\(fall ? "F" : "S")"]
    }

    /// `2023年秋季学期`, for title lines.
    var chineseName: String { "\(year)年\(fall ? "秋" : "春")季学期" }

    /// The term before this one (its rows appear in the finance export and must be ignored).
    var previous: TermCalendar { fall ? TermCalendar(year: year, fall: false) : TermCalendar(year: year - 1, fall: true) }
}

/// Day numbers (days since 1970-01-01, as `CalendarDate.daysSinceEpoch`) and their parts.
enum Day {
    static func make(_ year: Int, _ month: Int, _ day: Int) -> Int32 {
        CalendarDate(year: year, month: month, day: day)?.daysSinceEpoch ?? 0
    }

    /// Year, month, day of a day number.
    @inline(__always)
    static func parts(_ days: Int32) -> (year: Int, month: Int, day: Int) {
        CalendarDate(daysSinceEpoch: days).components
    }

    /// ISO weekday, 1 = Monday … 7 = Sunday.
    static func weekday(_ days: Int32) -> Int {
        CalendarDate(daysSinceEpoch: days).weekday
    }

    /// Excel's serial day number (1900 date system: days since 1899-12-30).
    static func excelSerial(_ days: Int32) -> Int { Int(days) + 25_569 }
}

/// Working days per the State Council notice for 2023 (国办发明电〔2022〕16号, contract §2).
///
/// Only used to place the S07 near-miss exactly on the 10-working-day line. Other years are not
/// known here: the generator plants that near-miss only in windows it can count for certain
/// (any day in 2023, or March of any year, which has no public holiday).
enum WorkingDays {
    private static let off2023: Set<Int32> = {
        var days: Set<Int32> = [Day.make(2023, 1, 2), Day.make(2023, 4, 5)]
        for (m, from, to) in [(1, 21, 27), (4, 29, 30), (5, 1, 3), (6, 22, 24), (9, 29, 30), (10, 1, 6)] {
            for d in from...to { days.insert(Day.make(2023, m, d)) }
        }
        return days
    }()
    private static let makeUp2023: Set<Int32> = [
        Day.make(2023, 1, 28), Day.make(2023, 1, 29), Day.make(2023, 4, 23), Day.make(2023, 5, 6),
        Day.make(2023, 6, 25), Day.make(2023, 10, 7), Day.make(2023, 10, 8),
    ]

    /// Whether `day` is certainly a working day or not; nil outside the known windows.
    static func isWorkingDay(_ day: Int32) -> Bool? {
        let (year, month, _) = Day.parts(day)
        let weekend = Day.weekday(day) >= 6
        if year == 2023 {
            if makeUp2023.contains(day) { return true }
            if off2023.contains(day) { return false }
            return !weekend
        }
        if month == 3 { return !weekend }
        return nil
    }

    /// The first day on which the count of working days after `change` reaches `count`, or nil
    /// when the calendar is not certain on some day in between.
    static func day(after change: Int32, workingDays count: Int) -> Int32? {
        var day = change
        var seen = 0
        while seen < count {
            day += 1
            guard let working = isWorkingDay(day) else { return nil }
            if working { seen += 1 }
        }
        return day
    }
}
