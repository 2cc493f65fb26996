/// A school term (学期): the spring or fall term of a calendar year, written `2023-fall`.
///
/// The fall term of year Y runs from September of Y into February of Y+1; the spring term is
/// March to August of Y. So "2023-2024学年第二学期" is `2024-spring`. `Codable` as the canonical
/// string.
public struct Term: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public enum Season: String, Sendable, Codable, CaseIterable {
        case spring, fall
    }

    public var year: Int
    public var season: Season

    public init(year: Int, season: Season) {
        self.year = year
        self.season = season
    }

    /// Years a term may name when parsed.
    public static let yearRange = 1990...2100

    /// `2023-spring` / `2023-fall`.
    public var canonical: String { "\(year)-\(season.rawValue)" }
    public var description: String { canonical }

    /// The term as people write it: `2023年秋季学期`, `2024年春季学期`.
    public var chineseName: String { "\(year)年\(season == .spring ? "春" : "秋")季学期" }

    /// The term after this one (2023-fall → 2024-spring).
    public var next: Term {
        season == .spring ? Term(year: year, season: .fall) : Term(year: year + 1, season: .spring)
    }

    /// The term before this one (2024-spring → 2023-fall).
    public var previous: Term {
        season == .fall ? Term(year: year, season: .spring) : Term(year: year - 1, season: .fall)
    }

    public static func < (lhs: Term, rhs: Term) -> Bool {
        if lhs.year != rhs.year { return lhs.year < rhs.year }
        return lhs.season == .spring && rhs.season == .fall
    }

    /// Grade number of a student who entered in `entryYear` (入学年份, always a fall entry):
    /// fall of Y → Y − entry + 1; spring of Y → Y − entry. May be ≤ 0 or large for data errors;
    /// the caller judges.
    public func grade(entryYear: Int) -> Int {
        season == .fall ? year - entryYear + 1 : year - entryYear
    }

    /// New-student registration (学籍注册) must be complete by 04-20 (spring) or 10-20 (fall).
    public var registrationDeadline: CalendarDate {
        CalendarDate(validYear: year, month: season == .spring ? 4 : 10, day: 20)
    }

    /// Aid application and approval (申报审批) must be complete by 04-30 or 10-30; later
    /// entries are not accepted (逾期不予补报).
    public var applicationDeadline: CalendarDate {
        CalendarDate(validYear: year, month: season == .spring ? 4 : 10, day: 30)
    }

    /// The default payout window: 03-01 … 08-31 (spring), 09-01 … the last day of February of
    /// the next year (fall; 29 when that year is a leap year).
    public var defaultPayoutWindow: ClosedRange<CalendarDate> {
        switch season {
        case .spring:
            return CalendarDate(validYear: year, month: 3, day: 1)...CalendarDate(validYear: year, month: 8, day: 31)
        case .fall:
            let february = CalendarDate.lastDay(ofMonth: 2, year: year + 1)
            return CalendarDate(validYear: year, month: 9, day: 1)...CalendarDate(validYear: year + 1, month: 2, day: february)
        }
    }

    /// The term a date falls in: March–August → spring of that year; September–December → fall
    /// of that year; January–February → fall of the year before.
    public init(containing date: CalendarDate) {
        let month = date.month
        switch month {
        case 3...8: self.init(year: date.year, season: .spring)
        case 9...12: self.init(year: date.year, season: .fall)
        default: self.init(year: date.year - 1, season: .fall)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch Term.parse(text) {
        case .success(let term): self = term
        case .failure(let error):
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }

    /// Parses a term. Accepted (case-insensitive, full-width digits and spaces allowed):
    /// `2023-spring`, `2023-fall` (also `2023-autumn`, `2023 fall`), `2023S`, `2023F`, the pattern
    /// `YYYY[年](春|秋)[季][学期]` (`2023年秋季学期`, `2023秋季`, `2023秋`, `2023年春季`), and the
    /// academic-year forms `2023-2024学年第一学期` (= 2023-fall), `2023-2024学年第二学期`
    /// (= 2024-spring), `2023-2024-1`, `2023-2024-2`. Anything else is `TERM_INVALID`.
    public static func parse(_ text: String) -> Result<Term, ValueError> {
        let normalized = TextNormalizer.normalize(text, mode: .compact).lowercased()
        guard let term = match(normalized) else {
            return .failure(ValueError(
                rule: ValueError.Rule.termInvalid,
                Message("value.term.invalid"), hint: Message("value.term.invalid.hint")))
        }
        return .success(term)
    }

    private static func match(_ text: String) -> Term? {
        var rest = Substring(text)
        guard let year = takeYear(&rest), yearRange.contains(year) else { return nil }

        // Academic year: 2023-2024学年第一学期, 2023—2024学年下学期, 2023-2024-1.
        var academic = rest
        if let first = academic.first, "-~—–至/".contains(first) {
            academic.removeFirst()
            if let secondYear = takeYear(&academic) {
                guard secondYear == year + 1 else { return nil }
                if academic.hasPrefix("学年") { academic.removeFirst(2) }
                if academic.hasPrefix("-") || academic.hasPrefix("_") { academic.removeFirst() }
                if academic.hasPrefix("第") { academic.removeFirst() }
                let firstTerm: Set<Substring> = ["一学期", "1学期", "上学期", "一", "1"]
                let secondTerm: Set<Substring> = ["二学期", "2学期", "下学期", "二", "2"]
                if firstTerm.contains(academic) { return Term(year: year, season: .fall) }
                if secondTerm.contains(academic) { return Term(year: secondYear, season: .spring) }
                return nil
            }
        }

        if let first = rest.first, "-_/.".contains(first) { rest.removeFirst() }
        switch rest {
        case "spring", "s": return Term(year: year, season: .spring)
        case "fall", "autumn", "f": return Term(year: year, season: .fall)
        default: break
        }
        // YYYY[年](春|秋)[季][学期]
        if rest.hasPrefix("年") { rest.removeFirst() }
        guard let seasonCharacter = rest.first, seasonCharacter == "春" || seasonCharacter == "秋" else { return nil }
        rest.removeFirst()
        if rest.hasPrefix("季") { rest.removeFirst() }
        if rest.hasPrefix("学期") { rest.removeFirst(2) }
        guard rest.isEmpty else { return nil }
        return Term(year: year, season: seasonCharacter == "春" ? .spring : .fall)
    }

    /// Takes exactly four leading ASCII digits (not followed by another digit).
    private static func takeYear(_ text: inout Substring) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard digits.count == 4, let year = Int(digits) else { return nil }
        text.removeFirst(4)
        return year
    }
}
