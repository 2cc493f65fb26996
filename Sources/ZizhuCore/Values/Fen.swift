/// An amount of money in fen (分, 1/100 yuan) — never floating point.
///
/// Parsing accepts what Excel and bank exports write: `1,000.00`, `¥1000`, `￥1000`, `1000元`,
/// `¥ 1000`, `1000.5`, `-50`, `+50` and the accounting form `(50.00)` for −50.00. More than two decimals
/// is `MONEY_PRECISION` unless the extra digits are zeros (`1250.000` is exactly 1250.00 and is
/// accepted); anything else — empty, letters, `1.2E+03`, misplaced thousands separators, an
/// amount beyond ±`Fen.maximumMagnitude` — is `MONEY_INVALID`.
///
/// Arithmetic saturates at the `Int64` bounds instead of trapping, so that summing a hostile file
/// cannot crash a run; parsed amounts are capped far below the bounds, so real sums never get there.
/// `Codable` encodes the plain `Int64` fen (and also decodes a yuan string); use `yuan` for people.
public struct Fen: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, AdditiveArithmetic {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    /// The largest magnitude `parse` accepts: 999,999,999,999.99 yuan (just under one trillion
    /// yuan) — far above any aid budget, and low enough that nine million such amounts still sum
    /// without overflow.
    public static let maximumMagnitude: Int64 = 99_999_999_999_999

    public static let zero = Fen(0)

    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.value < rhs.value }

    public static func + (lhs: Fen, rhs: Fen) -> Fen {
        let (sum, overflow) = lhs.value.addingReportingOverflow(rhs.value)
        if overflow { return Fen(rhs.value > 0 ? .max : .min) }
        return Fen(sum)
    }

    public static func - (lhs: Fen, rhs: Fen) -> Fen {
        let (difference, overflow) = lhs.value.subtractingReportingOverflow(rhs.value)
        if overflow { return Fen(rhs.value < 0 ? .max : .min) }
        return Fen(difference)
    }

    /// `1250.00`, `-3.50`: exactly two decimals, no separators, `-` for negative amounts.
    public var yuan: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendYuan(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `yuan`'s bytes to `output` (for writers that build rows as bytes).
    public func appendYuan(to output: inout [UInt8]) {
        let magnitude = value.magnitude
        if value < 0 { output.append(ASCII.minus) }
        var whole = magnitude / 100
        let cents = magnitude % 100
        let start = output.count
        repeat {
            output.append(ASCII.zero + UInt8(whole % 10))
            whole /= 10
        } while whole > 0
        output[start...].reverse()
        output.append(ASCII.dot)
        output.append(ASCII.zero + UInt8(cents / 10))
        output.append(ASCII.zero + UInt8(cents % 10))
    }

    public var description: String { yuan }

    /// Decodes an integer number of fen, or a string of yuan (`"1250.00"`, parsed like a cell) —
    /// the string form lets configuration files write amounts the way people read them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let fen = try? container.decode(Int64.self) {
            value = fen
            return
        }
        let text = try container.decode(String.self)
        switch Fen.parse(text) {
        case .success(let fen): self = fen
        case .failure(let error):
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// Parses a cell as yuan into fen. Allocates nothing on success.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Fen, ValueError> {
        let bounds = bytes.trimmedBounds()
        var index = bounds.lowerBound
        var end = bounds.upperBound
        guard index < end else { return .failure(invalid(Message("value.money.empty"))) }

        var negative = false
        // Accounting negative: (50.00).
        if bytes[index] == ASCII.openParen {
            guard bytes[end - 1] == ASCII.closeParen else { return .failure(notANumber) }
            negative = true
            index += 1
            end -= 1
        }
        // Sign and currency sign, in either order: -¥50, ¥-50.
        var sawSign = false
        var sawCurrency = false
        while index < end {
            let byte = bytes[index]
            if !sawSign, !negative, byte == ASCII.minus || byte == ASCII.plus {
                negative = byte == ASCII.minus
                sawSign = true
                index += 1
            } else if !sawCurrency, bytes.matches(.yenHalf, at: index, end: end) {
                sawCurrency = true
                index += 2
            } else if !sawCurrency, bytes.matches(.yenFull, at: index, end: end) {
                sawCurrency = true
                index += 3
            } else {
                break
            }
        }
        // Unit suffix: 1000元. A space may separate the number from its signs: ¥ 1000, 1000 元.
        if bytes.matches(.yuan, at: end - 3, end: end) { end -= 3 }
        while index < end, bytes[index] == ASCII.space { index += 1 }
        while index < end, bytes[end - 1] == ASCII.space { end -= 1 }
        guard index < end else { return .failure(notANumber) }

        // Integer part, with optional thousands separators that must group by three.
        var whole: Int64 = 0
        var integerDigits = 0
        var groupDigits = 0
        var sawSeparator = false
        while index < end {
            let byte = bytes[index]
            if ASCII.isDigit(byte) {
                guard whole <= maximumMagnitude / 10 else { return .failure(tooLarge) }
                whole = whole * 10 + Int64(byte - ASCII.zero)
                integerDigits += 1
                groupDigits += 1
                index += 1
            } else if byte == ASCII.comma {
                // The first group holds 1–3 digits, every later one exactly 3.
                if integerDigits == 0 || groupDigits > 3 || (sawSeparator && groupDigits != 3) {
                    return .failure(misplacedSeparator)
                }
                sawSeparator = true
                groupDigits = 0
                index += 1
            } else {
                break
            }
        }
        if sawSeparator, groupDigits != 3 { return .failure(misplacedSeparator) }

        // Fraction: up to two digits count; more are allowed only when they are zeros.
        var cents: Int64 = 0
        var fractionDigits = 0
        if index < end, bytes[index] == ASCII.dot {
            index += 1
            while index < end, ASCII.isDigit(bytes[index]) {
                let digit = Int64(bytes[index] - ASCII.zero)
                if fractionDigits < 2 {
                    cents = cents * 10 + digit
                } else if digit != 0 {
                    return .failure(ValueError(
                        rule: ValueError.Rule.moneyPrecision,
                        Message("value.money.precision"), hint: Message("value.money.precision.hint")))
                }
                fractionDigits += 1
                index += 1
            }
        }
        guard index == end else { return .failure(notANumber) }
        guard integerDigits + fractionDigits > 0 else { return .failure(notANumber) }
        if fractionDigits == 1 { cents *= 10 }

        guard whole <= maximumMagnitude / 100 else { return .failure(tooLarge) }
        let total = whole * 100 + cents
        guard total <= maximumMagnitude else { return .failure(tooLarge) }
        return .success(Fen(negative ? -total : total))
    }

    /// Parses text (width-folded first, so `１，０００．００` reads as 1,000.00).
    public static func parse(_ text: String) -> Result<Fen, ValueError> {
        TextNormalizer.normalize(text, mode: .text).withUTF8Buffer { parse($0) }
    }

    private static func invalid(_ message: Message, hint: Message? = nil) -> ValueError {
        ValueError(rule: ValueError.Rule.moneyInvalid, message, hint: hint)
    }

    private static var notANumber: ValueError {
        invalid(Message("value.money.notANumber"), hint: Message("value.money.notANumber.hint"))
    }

    private static var misplacedSeparator: ValueError {
        invalid(Message("value.money.separator"), hint: Message("value.money.separator.hint"))
    }

    private static var tooLarge: ValueError {
        invalid(Message("value.money.tooLarge"))
    }
}
