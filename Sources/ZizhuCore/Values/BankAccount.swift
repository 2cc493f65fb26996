/// A bank account or card number (账号, 卡号): 12–19 digits, or a number the bank masked.
///
/// Spaces and dashes are removed (`6212 8540 …`, `6212-8540-…`). Bank return files sometimes
/// mask the middle (`621285******1234`, with `*` or `x`); such a number cannot be checked, only
/// compared with a full one by prefix, suffix and length (`matches`). A failed Luhn check is not
/// an error — not every account number carries one — so it is offered as `passesLuhn` for the
/// `ACCOUNT_LUHN` warning. `Codable` as `canonical`; `description` is masked.
public enum BankAccount: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Every digit known.
    case full(digits: String)
    /// Only the first and last digits known; `length` counts all positions, masked or not.
    case masked(prefix: String, suffix: String, length: Int)

    public static let lengthRange = 12...19

    /// The number of positions (digits and masked ones).
    public var length: Int {
        switch self {
        case .full(let digits): return digits.utf8.count
        case .masked(_, _, let length): return length
        }
    }

    /// The Luhn (mod 10) check of a full number; nil for a masked one.
    public var passesLuhn: Bool? {
        guard case .full(var digits) = self else { return nil }
        return digits.withUTF8 { Self.passesLuhn($0) }
    }

    /// The Luhn (mod 10) check over ASCII digits; false when a byte is not a digit.
    public static func passesLuhn(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        var sum = 0
        var double = false
        for byte in digits.reversed() {
            guard byte >= ASCII.zero, byte <= ASCII.nine else { return false }
            var digit = Int(byte &- ASCII.zero)
            if double {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
            double.toggle()
        }
        return sum % 10 == 0
    }

    /// All but the last four positions as `*`: `***************1234`, for reports and logs.
    public var masked: String {
        switch self {
        case .full(let digits):
            return Masking.account(digits)
        case .masked(_, let suffix, let length):
            let shown = String(suffix.suffix(4))
            return String(repeating: "*", count: max(0, length - shown.count)) + shown
        }
    }

    /// Masked (`masked`), so that interpolating an account into a log never leaks it.
    public var description: String { masked }

    /// The number as written back to machine files: the digits (full), or prefix, `*`s and
    /// suffix (masked).
    public var canonical: String {
        switch self {
        case .full(let digits): return digits
        case .masked(let prefix, let suffix, let length):
            return prefix + String(repeating: "*", count: max(0, length - prefix.count - suffix.count)) + suffix
        }
    }

    /// True when both can be the same account: equal full numbers, or a full number that agrees
    /// with a masked one's prefix, suffix and length; two masked numbers match when their lengths
    /// are equal and their known prefixes and suffixes do not contradict each other.
    public func matches(_ other: BankAccount) -> Bool {
        switch (self, other) {
        case (.full(let a), .full(let b)):
            return a == b
        case (.full(let digits), .masked(let prefix, let suffix, let length)),
             (.masked(let prefix, let suffix, let length), .full(let digits)):
            return digits.utf8.count == length && digits.hasPrefix(prefix) && digits.hasSuffix(suffix)
        case (.masked(let p1, let s1, let l1), .masked(let p2, let s2, let l2)):
            return l1 == l2 && (p1.hasPrefix(p2) || p2.hasPrefix(p1)) && (s1.hasSuffix(s2) || s2.hasSuffix(s1))
        }
    }

    /// Parses an account cell. Spaces (also U+00A0, U+3000) and dashes anywhere are ignored.
    /// `ACCOUNT_INVALID` for anything but 12–19 digits or a masked number of that length (a run of
    /// `*`, `x` or `X` with at least one digit after it).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<BankAccount, ValueError> {
        var prefix: [UInt8] = []
        var suffix: [UInt8] = []
        var maskCount = 0
        var inMask = false
        var sawMask = false
        var index = 0
        let end = bytes.count
        var scientific = false
        while index < end {
            let byte = bytes[index]
            let spaceWidth = bytes.leadingSpaceWidth(at: index, end: end)
            if spaceWidth > 0 {
                index += spaceWidth
                continue
            }
            if byte == ASCII.minus {
                index += 1
                continue
            }
            if ASCII.isDigit(byte) {
                if sawMask { suffix.append(byte) } else { prefix.append(byte) }
                inMask = false
            } else if byte == ASCII.star || byte == ASCII.lowerX || byte == ASCII.upperX {
                // One run of mask characters only: 6212**34**56 is not a masked number.
                guard !sawMask || inMask else { return .failure(invalidCharacters) }
                sawMask = true
                inMask = true
                maskCount += 1
            } else if byte == ASCII.dot || byte == ASCII.upperE || byte == ASCII.lowerE || byte == ASCII.plus {
                scientific = true
                break
            } else {
                return .failure(invalidCharacters)
            }
            index += 1
        }
        if scientific {
            return .failure(ValueError(
                rule: ValueError.Rule.accountInvalid,
                Message("value.account.scientific"), hint: Message("value.account.scientific.hint")))
        }
        let length = prefix.count + maskCount + suffix.count
        guard length > 0 else {
            return .failure(ValueError(rule: ValueError.Rule.accountInvalid, Message("value.account.empty")))
        }
        guard lengthRange.contains(length) else {
            return .failure(ValueError(
                rule: ValueError.Rule.accountInvalid,
                Message("value.account.length", ["length": "\(length)"]), hint: Message("value.digits.hint")))
        }
        if !sawMask {
            return .success(.full(digits: String(decoding: prefix, as: UTF8.self)))
        }
        guard !suffix.isEmpty else {
            return .failure(ValueError(
                rule: ValueError.Rule.accountInvalid,
                Message("value.account.maskedEnd")))
        }
        return .success(.masked(prefix: String(decoding: prefix, as: UTF8.self),
                                suffix: String(decoding: suffix, as: UTF8.self), length: length))
    }

    /// Parses text (width-folded first, so full-width digits and `＊` are read).
    public static func parse(_ text: String) -> Result<BankAccount, ValueError> {
        TextNormalizer.normalize(text, mode: .compact).withUTF8Buffer { parse($0) }
    }

    private static var invalidCharacters: ValueError {
        ValueError(rule: ValueError.Rule.accountInvalid,
                   Message("value.account.characters"), hint: Message("value.account.characters.hint"))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch BankAccount.parse(text) {
        case .success(let account): self = account
        case .failure(let error):
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }
}
