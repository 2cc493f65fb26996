/// Gender as written in rosters (性别).
public enum Gender: String, Sendable, Codable, CaseIterable {
    case male = "男"
    case female = "女"
}

/// A citizen identity number (公民身份号码, GB 11643) or a Hong Kong / Macao / Taiwan residence
/// permit number (港澳台居民居住证, prefixes 81, 82, 83), validated and packed into a `UInt64`.
///
/// The 18 characters are 6 region digits, 8 birth-date digits, 3 sequence digits (the last odd for
/// men) and a check character computed by ISO 7064 MOD 11-2. Only valid numbers can be built, so
/// `birthDate` and `gender` never fail. `packed` is `first17 * 11 + check` (check 10 for `X`):
/// unique, ordered like the strings, and cheap to hash in joins over millions of rows.
/// `Codable` as the 18-character string.
public struct ResidentID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let packed: UInt64

    private static let bodyLimit: UInt64 = 100_000_000_000_000_000   // 10^17

    /// Rebuilds an id from `packed`; nil unless it is a valid id (check character and birth date).
    public init?(packed: UInt64) {
        let body = packed / 11
        let check = Int(packed % 11)
        guard body < ResidentID.bodyLimit, ResidentID.checkValue(ofBody: body) == check,
              ResidentID.birthDate(ofBody: body) != nil else { return nil }
        self.packed = packed
    }

    private init(body: UInt64, check: Int) {
        packed = body * 11 + UInt64(check)
    }

    /// The first 17 digits as a number.
    private var body: UInt64 { packed / 11 }

    /// The 18 characters, check `X` upper-case.
    public var string: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(18)
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the 18 characters to `output` (for writers that build rows as bytes).
    public func append(to output: inout [UInt8]) {
        let start = output.count
        var rest = body
        for _ in 0..<17 {
            output.append(ASCII.zero + UInt8(rest % 10))
            rest /= 10
        }
        output[start...].reverse()
        let check = Int(packed % 11)
        output.append(check == 10 ? ASCII.upperX : ASCII.zero + UInt8(check))
    }

    public var description: String { masked }

    /// `370102********123X`: the first 6 and last 4 characters, for reports and logs.
    public var masked: String { Masking.id(string) }

    /// The birth date in digits 7–14.
    public var birthDate: CalendarDate {
        // Valid by construction; the fallback only keeps the compiler honest.
        ResidentID.birthDate(ofBody: body) ?? CalendarDate(daysSinceEpoch: 0)
    }

    /// 男 when the 17th digit is odd.
    public var gender: Gender { body % 2 == 1 ? .male : .female }

    /// The first six digits: the GB/T 2260 code of the registering region (at the time of issue).
    public var regionCode: Int { Int(body / 100_000_000_000) }

    /// True for 港澳台居民居住证 numbers (prefix 81 Hong Kong, 82 Macao, 83 Taiwan).
    public var isResidencePermit: Bool { (81...83).contains(regionCode / 10_000) }

    public static func < (lhs: ResidentID, rhs: ResidentID) -> Bool { lhs.packed < rhs.packed }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch ResidentID.parse(text) {
        case .success(let id): self = id
        case .failure(let error):
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }

    /// The check character (ASCII digit or `X`) for 17 ASCII digits; nil unless `first17` is
    /// exactly 17 ASCII digits.
    public static func checkCharacter(_ first17: some Sequence<UInt8>) -> UInt8? {
        var body: UInt64 = 0
        var count = 0
        for byte in first17 {
            guard count < 17, ASCII.isDigit(byte) else { return nil }
            body = body * 10 + UInt64(byte - ASCII.zero)
            count += 1
        }
        guard count == 17 else { return nil }
        let check = checkValue(ofBody: body)
        return check == 10 ? ASCII.upperX : ASCII.zero + UInt8(check)
    }

    /// The check value (0–10, 10 = X) of a 17-digit body by ISO 7064 MOD 11-2.
    ///
    /// The weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 are 2^(18−i) mod 11 for digit i, so they
    /// are generated from the right (2, 4, 8, 5, 10, …); the check value c makes
    /// `sum + c ≡ 1 (mod 11)`, which is the table `10X98765432` indexed by `sum % 11`.
    private static func checkValue(ofBody body: UInt64) -> Int {
        var rest = body
        var sum = 0
        var weight = 2
        for _ in 0..<17 {
            sum += Int(rest % 10) * weight
            rest /= 10
            weight = weight * 2 % 11
        }
        return (12 - sum % 11) % 11
    }

    /// The birth date held in digits 7–14 of a body, nil if it is no real date (years 1900–2099).
    private static func birthDate(ofBody body: UInt64) -> CalendarDate? {
        let digits = Int(body / 1000 % 100_000_000)   // YYYYMMDD
        let year = digits / 10_000
        guard (1900...2099).contains(year) else { return nil }
        return CalendarDate(year: year, month: digits / 100 % 100, day: digits % 100)
    }

    /// Parses an id cell: 18 characters (lower `x` accepted) or the old 15-digit form, which is
    /// upgraded by inserting `19` before the two-digit year and appending the check character.
    /// Surrounding white space is ignored. Allocates nothing on success.
    ///
    /// Errors, in the order checked: `ID_SCIENTIFIC_NOTATION` (Excel turned the id into a number
    /// such as `3.70102E+17`; the digits are lost), `ID_CHARACTERS`, `ID_LENGTH`,
    /// `ID_BIRTH_DATE`, `ID_CHECKSUM`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<ResidentID, ValueError> {
        let bounds = bytes.trimmedBounds()
        let start = bounds.lowerBound
        let end = bounds.upperBound
        guard start < end else {
            return .failure(ValueError(rule: ValueError.Rule.idLength, Message("value.id.empty")))
        }
        if looksScientific(bytes, start, end) {
            return .failure(ValueError(
                rule: ValueError.Rule.idScientificNotation,
                Message("value.id.scientific"), hint: Message("value.id.scientific.hint")))
        }
        var body: UInt64 = 0
        var digitCount = 0
        // ISO 7064 over the first 17 digits, built in the same pass: digit i weighs 2^(17−i) mod 11,
        // so Horner's rule (×2 per digit) then one more ×2 gives the weighted sum modulo 11.
        var horner = 0
        var checkByte: UInt8?
        for index in start..<end {
            let byte = bytes[index]
            if ASCII.isDigit(byte), checkByte == nil {
                if digitCount < 18 { body = body &* 10 &+ UInt64(byte - ASCII.zero) }
                if digitCount < 17 { horner = horner &* 2 &+ Int(byte &- ASCII.zero) }
                digitCount += 1
            } else if (byte == ASCII.upperX || byte == ASCII.lowerX), checkByte == nil, index == end - 1 {
                checkByte = ASCII.upperX
            } else {
                return .failure(ValueError(
                    rule: ValueError.Rule.idCharacters,
                    Message("value.id.characters"), hint: Message("value.id.characters.hint")))
            }
        }
        let length = digitCount + (checkByte == nil ? 0 : 1)
        switch length {
        case 18:
            let givenCheck: Int
            if checkByte != nil {
                givenCheck = 10
            } else {
                givenCheck = Int(body % 10)
                body /= 10
            }
            guard birthDate(ofBody: body) != nil else { return .failure(badBirthDate) }
            guard (12 - (2 &* horner) % 11) % 11 == givenCheck else {
                return .failure(ValueError(
                    rule: ValueError.Rule.idChecksum,
                    Message("value.id.checksum"), hint: Message("value.id.checksum.hint")))
            }
            return .success(ResidentID(body: body, check: givenCheck))
        case 15 where checkByte == nil:
            // RRRRRR YYMMDD SSS → RRRRRR 19YYMMDD SSS + check.
            let region = body / 1_000_000_000
            let rest = body % 1_000_000_000
            let upgraded = region * 100_000_000_000 + 19 * 1_000_000_000 + rest
            guard birthDate(ofBody: upgraded) != nil else { return .failure(badBirthDate) }
            return .success(ResidentID(body: upgraded, check: checkValue(ofBody: upgraded)))
        default:
            return .failure(ValueError(
                rule: ValueError.Rule.idLength,
                Message("value.id.length", ["length": "\(length)"]), hint: Message("value.digits.hint")))
        }
    }

    /// Parses text (width-folded and compacted first, so `３７０１…` and `370102 1990…` are read).
    public static func parse(_ text: String) -> Result<ResidentID, ValueError> {
        TextNormalizer.normalize(text, mode: .compact).withUTF8Buffer { parse($0) }
    }

    private static var badBirthDate: ValueError {
        ValueError(rule: ValueError.Rule.idBirthDate,
                   Message("value.id.birthDate"), hint: Message("value.id.birthDate.hint"))
    }

    /// `3.70102E+17`, `3.70102199001011E+17`, `3.7e17`: digits, optional fraction, E, optional
    /// sign, digits.
    private static func looksScientific(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var cursor = start
        let whole = bytes.digitRun(from: cursor, end: end)
        guard whole > 0 else { return false }
        cursor += whole
        if cursor < end, bytes[cursor] == ASCII.dot {
            cursor += 1
            cursor += bytes.digitRun(from: cursor, end: end)
        }
        guard cursor < end, bytes[cursor] == ASCII.upperE || bytes[cursor] == ASCII.lowerE else { return false }
        cursor += 1
        if cursor < end, bytes[cursor] == ASCII.plus || bytes[cursor] == ASCII.minus { cursor += 1 }
        let exponent = bytes.digitRun(from: cursor, end: end)
        return exponent > 0 && cursor + exponent == end
    }
}
