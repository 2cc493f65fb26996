/// A grade (年级) as rosters write it: a grade number (`1`, `一年级`, `2年级`) or an entry year
/// (`2023`, `2023级`) that becomes a number only once the term is known.
public enum Grade: Sendable, Hashable {
    /// 1…6 (technical-school programmes run up to six years).
    case number(Int)
    /// 入学年份: the fall the student entered.
    case entryYear(Int)

    public static let numberRange = 1...6
    public static let entryYearRange = 1990...2100

    /// The grade number in `term`: a number as given, an entry year through `Term.grade(entryYear:)`.
    public func number(in term: Term) -> Int {
        switch self {
        case .number(let number): return number
        case .entryYear(let year): return term.grade(entryYear: year)
        }
    }

    /// Parses a grade cell; `GRADE_INVALID` for anything else. Allocates nothing.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Grade, ValueError> {
        let bounds = bytes.trimmedBounds()
        let index = bounds.lowerBound
        var end = bounds.upperBound
        guard index < end else { return .failure(invalid) }
        // Trailing 年级 or 级.
        if bytes.matches(ji, at: end - 3, end: end) {
            end -= 3
            if bytes.matches(.nian, at: end - 3, end: end) { end -= 3 }
        }
        guard index < end else { return .failure(invalid) }
        let run = bytes.digitRun(from: index, end: end)
        if run > 0 {
            guard index + run == end, run <= 4, let value = bytes.digits(at: index, count: run) else {
                return .failure(invalid)
            }
            if run == 4, entryYearRange.contains(value) { return .success(.entryYear(value)) }
            if numberRange.contains(value) { return .success(.number(value)) }
            return .failure(invalid)
        }
        // 一 … 六 (年级 already removed).
        guard end - index == 3 else { return .failure(invalid) }
        for (offset, numeral) in chineseNumerals.enumerated() where bytes.matches(numeral, at: index, end: end) {
            return .success(.number(offset + 1))
        }
        return .failure(invalid)
    }

    /// Parses text (width-folded and compacted first).
    public static func parse(_ text: String) -> Result<Grade, ValueError> {
        TextNormalizer.normalize(text, mode: .compact).withUTF8Buffer { parse($0) }
    }

    private static let ji = StaticBytes(0xE7, 0xBA, 0xA7, count: 3)   // 级
    private static let chineseNumerals = [
        StaticBytes(0xE4, 0xB8, 0x80, count: 3),   // 一
        StaticBytes(0xE4, 0xBA, 0x8C, count: 3),   // 二
        StaticBytes(0xE4, 0xB8, 0x89, count: 3),   // 三
        StaticBytes(0xE5, 0x9B, 0x9B, count: 3),   // 四
        StaticBytes(0xE4, 0xBA, 0x94, count: 3),   // 五
        StaticBytes(0xE5, 0x85, 0xAD, count: 3),   // 六
    ]

    private static var invalid: ValueError {
        ValueError(rule: ValueError.Rule.gradeInvalid,
                   Message("value.grade.invalid"), hint: Message("value.grade.invalid.hint"))
    }
}
