/// A day in the proleptic Gregorian calendar with no time zone: the date a person wrote on a form.
///
/// Stored as days since 1970-01-01, so comparing, hashing and adding days are integer operations.
/// `Codable` as `"2023-09-01"`. Never converted to `Date`: a birth date or pay date must not move
/// by a day because of the machine's zone.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let daysSinceEpoch: Int32

    public init(daysSinceEpoch: Int32) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// A date from its parts; nil unless `year` is 1…9999, `month` 1…12 and `day` exists in that
    /// month (2023-02-29 is nil, 2024-02-29 is not).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.lastDay(ofMonth: month, year: year) else { return nil }
        self.init(validYear: year, month: month, day: day)
    }

    /// For parts already known to be valid (internal callers with constant months and days).
    init(validYear year: Int, month: Int, day: Int) {
        // Howard Hinnant's days_from_civil: years start in March so the leap day is last.
        // Wrapping arithmetic: every caller passes a year of 1…9999, far from overflow.
        let y = month <= 2 ? year &- 1 : year
        let era = (y >= 0 ? y : y &- 399) / 400
        let yearOfEra = y &- era &* 400
        let monthFromMarch = month > 2 ? month &- 3 : month &+ 9
        let dayOfYear = (153 &* monthFromMarch &+ 2) / 5 &+ day &- 1
        let dayOfEra = yearOfEra &* 365 &+ yearOfEra / 4 &- yearOfEra / 100 &+ dayOfYear
        daysSinceEpoch = Int32(truncatingIfNeeded: era &* 146_097 &+ dayOfEra &- 719_468)
    }

    /// Year, month and day from the day count (Hinnant's civil_from_days).
    /// Year, month and day in one computation (Hinnant's civil_from_days), for writers that
    /// need all three of many dates.
    public var components: (year: Int, month: Int, day: Int) { parts }

    private var parts: (year: Int, month: Int, day: Int) {
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    public var year: Int { parts.year }
    public var month: Int { parts.month }
    public var day: Int { parts.day }

    /// ISO weekday: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public var weekday: Int {
        let shifted = (Int(daysSinceEpoch) + 3) % 7
        return (shifted < 0 ? shifted + 7 : shifted) + 1
    }

    /// The date `days` later (earlier when negative). Clamps at the ends of `Int32` instead of
    /// trapping.
    public func adding(days: Int) -> CalendarDate {
        let sum = Int(daysSinceEpoch).addingReportingOverflow(days)
        let clamped = sum.overflow ? (days > 0 ? Int(Int32.max) : Int(Int32.min))
                                   : min(max(sum.partialValue, Int(Int32.min)), Int(Int32.max))
        return CalendarDate(daysSinceEpoch: Int32(clamped))
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDate) -> Int {
        Int(other.daysSinceEpoch) - Int(daysSinceEpoch)
    }

    /// The first day of this date's month.
    public var firstOfMonth: CalendarDate {
        let (year, month, _) = parts
        return CalendarDate(validYear: year, month: month, day: 1)
    }

    /// `2023-09-01` (years before 1000 are zero-padded to four digits).
    public var iso: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `iso`'s bytes to `output` (for writers that build rows as bytes).
    public func appendISO(to output: inout [UInt8]) {
        let (year, month, day) = parts
        if year < 0 { output.append(ASCII.minus) }
        let magnitude = year.magnitude
        if magnitude >= 10_000 {
            let digits = String(magnitude).utf8
            output.append(contentsOf: digits)
        } else {
            output.append(ASCII.zero + UInt8(magnitude / 1000))
            output.append(ASCII.zero + UInt8(magnitude / 100 % 10))
            output.append(ASCII.zero + UInt8(magnitude / 10 % 10))
            output.append(ASCII.zero + UInt8(magnitude % 10))
        }
        output.append(ASCII.minus)
        output.append(ASCII.zero + UInt8(month / 10))
        output.append(ASCII.zero + UInt8(month % 10))
        output.append(ASCII.minus)
        output.append(ASCII.zero + UInt8(day / 10))
        output.append(ASCII.zero + UInt8(day % 10))
    }

    public var description: String { iso }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Number of days in `month` of `year` (28–31); 0 for a month outside 1…12.
    public static func lastDay(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Decodes the strict ISO form `YYYY-MM-DD` (what `encode` writes).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parsed = text.withUTF8Buffer { CalendarDate.parseISO($0) }
        guard let parsed else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a date as YYYY-MM-DD, got \(text)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    /// Exactly `YYYY-MM-DD`, nothing else.
    static func parseISO(_ bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        guard bytes.count == 10, bytes[4] == ASCII.minus, bytes[7] == ASCII.minus,
              let year = bytes.digits(at: 0, count: 4), let month = bytes.digits(at: 5, count: 2),
              let day = bytes.digits(at: 8, count: 2) else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }
}

/// A parsed date and how much of it the source gave: a day, or only a month (then `date` is the
/// first of that month).
public struct ParsedDate: Sendable, Hashable {
    public enum Precision: Sendable, Hashable {
        case day, month
    }

    public var date: CalendarDate
    public var precision: Precision

    public init(date: CalendarDate, precision: Precision) {
        self.date = date
        self.precision = precision
    }
}
