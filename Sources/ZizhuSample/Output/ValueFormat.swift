import ZizhuCore

/// How an id number is written in a cell (contract §4 lists what the tool must undo).
enum IdStyle: UInt8 {
    case plain
    /// Check character `x` in lower case (only differs from plain when it is X).
    case lowerX
    /// Excel's text marker: `'370102…`.
    case apostrophe
    /// Excel's formula wrapper: `="370102…"`.
    case formula
    /// Full-width digits `３７０１…`.
    case fullWidth
    /// The old 15-digit form (only for people born in the 1900s).
    case fifteen
    /// Excel's scientific notation `3.70102E+17`: unrecoverable (REJECT).
    case scientific
    /// A wrong check character: unreadable (REJECT).
    case badCheck
}

/// Date spellings the contract accepts (§4).
enum DateStyle: Int, CaseIterable {
    case iso, slash, dot, compact, chinese, excel
}

/// Money spellings the contract accepts (§4).
enum MoneyStyle: Int, CaseIterable {
    /// `1250.00`
    case plain
    /// `1250` (or `1250.5`)
    case bare
    /// `1,250.00`
    case grouped
    /// `¥1250`
    case yen
    /// `1250元`
    case yuan
    /// `¥1,250.00`
    case yenGrouped
}

/// Digits, checks and encodings of ids and accounts.
enum Digits {
    /// The ASCII check character of a 17-digit id body (ISO 7064 MOD 11-2).
    static func checkCharacter(_ body: UInt64) -> UInt8 {
        var digits: [UInt8] = []
        appendPadded(body, width: 17, to: &digits)
        return ResidentID.checkCharacter(digits) ?? UInt8(ascii: "0")
    }

    /// The 18-character id of a body.
    static func idString(_ body: UInt64) -> String {
        var bytes: [UInt8] = []
        appendPadded(body, width: 17, to: &bytes)
        bytes.append(checkCharacter(body))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The Luhn check digit for `payload` (the account without its last digit).
    static func luhnDigit(_ payload: UInt64) -> UInt64 {
        var rest = payload
        var sum: UInt64 = 0
        var double = true
        while rest > 0 {
            var digit = rest % 10
            if double {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
            double.toggle()
            rest /= 10
        }
        return (10 - sum % 10) % 10
    }

    @inline(__always)
    static func appendPadded(_ value: UInt64, width: Int, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0 && count < 20
        }
        var pad = width - count
        while pad > 0 {
            out.append(UInt8(ascii: "0"))
            pad -= 1
        }
        withUnsafeBytes(of: &digits) { buffer in
            var index = count - 1
            while index >= 0 {
                out.append(buffer[index])
                index -= 1
            }
        }
    }
}

extension CSVWriter {
    /// Appends a non-negative integer, zero-padded to `width`.
    @inline(__always)
    mutating func appendNumber(_ value: Int, width: Int = 0) {
        Digits.appendPadded(UInt64(max(value, 0)), width: width, to: &out)
    }

    /// A date cell in `style`.
    mutating func date(_ day: Int32, _ style: DateStyle) {
        cell()
        appendDate(day, style)
    }

    /// Appends a date in `style` to the current cell.
    mutating func appendDate(_ day: Int32, _ style: DateStyle) {
        if style == .excel {
            appendNumber(Day.excelSerial(day))
            return
        }
        let (y, m, d) = Day.parts(day)
        appendNumber(y, width: 4)
        switch style {
        case .iso:
            out.append(UInt8(ascii: "-")); appendNumber(m, width: 2)
            out.append(UInt8(ascii: "-")); appendNumber(d, width: 2)
        case .slash:
            out.append(UInt8(ascii: "/")); appendNumber(m)
            out.append(UInt8(ascii: "/")); appendNumber(d)
        case .dot:
            out.append(UInt8(ascii: ".")); appendNumber(m)
            out.append(UInt8(ascii: ".")); appendNumber(d)
        case .compact:
            appendNumber(m, width: 2); appendNumber(d, width: 2)
        case .chinese:
            out.append(contentsOf: Encoded.nian); appendNumber(m)
            out.append(contentsOf: Encoded.yue); appendNumber(d)
            out.append(contentsOf: Encoded.ri)
        case .excel:
            break
        }
    }

    /// A year-month cell (`2023-09`, `2023年9月`) or a full date, for 入学年月.
    mutating func month(_ day: Int32, chinese: Bool) {
        cell()
        let (y, m, _) = Day.parts(day)
        appendNumber(y, width: 4)
        if chinese {
            out.append(contentsOf: Encoded.nian); appendNumber(m); out.append(contentsOf: Encoded.yue)
        } else {
            out.append(UInt8(ascii: "-")); appendNumber(m, width: 2)
        }
    }

    /// A money cell in `style`.
    mutating func money(_ fen: Int64, _ style: MoneyStyle) {
        cell()
        appendMoney(fen, style)
    }

    mutating func appendMoney(_ fen: Int64, _ style: MoneyStyle) {
        var value = fen
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            value = -value
        }
        if style == .yen || style == .yenGrouped { out.append(contentsOf: Encoded.yen) }
        let yuan = Int(value / 100)
        let cents = Int(value % 100)
        if style == .grouped || style == .yenGrouped {
            appendGrouped(yuan)
        } else {
            appendNumber(yuan)
        }
        switch style {
        case .plain, .grouped, .yenGrouped:
            out.append(UInt8(ascii: ".")); appendNumber(cents, width: 2)
        case .bare, .yen, .yuan:
            if cents != 0 {
                out.append(UInt8(ascii: "."))
                if cents % 10 == 0 { appendNumber(cents / 10) } else { appendNumber(cents, width: 2) }
            }
        }
        if style == .yuan { out.append(contentsOf: Encoded.yuanSign) }
    }

    private mutating func appendGrouped(_ value: Int) {
        if value >= 1000 {
            appendGrouped(value / 1000)
            out.append(UInt8(ascii: ","))
            appendNumber(value % 1000, width: 3)
        } else {
            appendNumber(value)
        }
    }

    /// An id cell for `body` written in `style`.
    mutating func id(_ body: UInt64, _ style: IdStyle) {
        cell()
        appendId(body, style)
    }

    mutating func appendId(_ body: UInt64, _ style: IdStyle) {
        let check = Digits.checkCharacter(body)
        switch style {
        case .plain:
            Digits.appendPadded(body, width: 17, to: &out)
            out.append(check)
        case .lowerX:
            Digits.appendPadded(body, width: 17, to: &out)
            out.append(check == UInt8(ascii: "X") ? UInt8(ascii: "x") : check)
        case .apostrophe:
            out.append(UInt8(ascii: "'"))
            Digits.appendPadded(body, width: 17, to: &out)
            out.append(check)
        case .formula:
            out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
            Digits.appendPadded(body, width: 17, to: &out)
            out.append(check)
            out.append(UInt8(ascii: "\""))
        case .fullWidth:
            var ascii: [UInt8] = []
            Digits.appendPadded(body, width: 17, to: &ascii)
            ascii.append(check)
            for byte in ascii {
                // U+FF10…FF19 are EF BC 90…99; U+FF38 (Ｘ) is EF BC B8.
                out.append(0xEF)
                out.append(0xBC)
                out.append(byte == UInt8(ascii: "X") ? 0xB8 : 0x90 + (byte - UInt8(ascii: "0")))
            }
        case .fifteen:
            let region = body / 100_000_000_000
            let yymmdd = body / 1000 % 1_000_000
            let sequence = body % 1000
            Digits.appendPadded(region * 1_000_000_000 + yymmdd * 1000 + sequence, width: 15, to: &out)
        case .scientific:
            // Excel's General format keeps six significant digits of the 18-digit number.
            var leading = Int(body / 10_000_000_000)   // first 7 digits
            leading = (leading + 5) / 10
            var exponent = 17
            if leading >= 1_000_000 {
                leading /= 10
                exponent += 1
            }
            var mantissa = String(leading)
            while mantissa.count > 1 && mantissa.hasSuffix("0") { mantissa.removeLast() }
            out.append(mantissa.utf8.first ?? UInt8(ascii: "0"))
            if mantissa.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: mantissa.utf8.dropFirst())
            }
            out.append(contentsOf: Array("E+\(exponent)".utf8))
        case .badCheck:
            Digits.appendPadded(body, width: 17, to: &out)
            out.append(check == UInt8(ascii: "0") ? UInt8(ascii: "1")
                       : check == UInt8(ascii: "X") ? UInt8(ascii: "0") : check - 1)
        }
    }

    /// An account cell: 19 digits, optionally in groups of four (`6212 2600 …`).
    mutating func account(_ digits: UInt64, spaced: Bool) {
        cell()
        appendAccount(digits, spaced: spaced)
    }

    mutating func appendAccount(_ digits: UInt64, spaced: Bool) {
        guard spaced else {
            Digits.appendPadded(digits, width: 19, to: &out)
            return
        }
        var plain: [UInt8] = []
        Digits.appendPadded(digits, width: 19, to: &plain)
        for (index, byte) in plain.enumerated() {
            if index > 0 && index % 4 == 0 { out.append(UInt8(ascii: " ")) }
            out.append(byte)
        }
    }

    /// `621285******1234`: how some banks print accounts (unreadable as an account).
    mutating func maskedAccount(_ digits: UInt64) {
        cell()
        var plain: [UInt8] = []
        Digits.appendPadded(digits, width: 19, to: &plain)
        out.append(contentsOf: plain[0..<6])
        out.append(contentsOf: [UInt8](repeating: UInt8(ascii: "*"), count: 9))
        out.append(contentsOf: plain[15..<19])
    }
}

/// UTF-8 bytes of fixed texts, encoded once.
enum Encoded {
    static let nian: [UInt8] = Array("年".utf8)
    static let yue: [UInt8] = Array("月".utf8)
    static let ri: [UInt8] = Array("日".utf8)
    static let yen: [UInt8] = Array("¥".utf8)
    static let yuanSign: [UInt8] = Array("元".utf8)
    static let male: [UInt8] = Array("男".utf8)
    static let female: [UInt8] = Array("女".utf8)
    static let fullTime: [UInt8] = Array("全日制".utf8)
    static let partTime: [UInt8] = Array("非全日制".utf8)
    static let statusNames: [[UInt8]] = ["在籍", "休学", "退学", "转学", "复学"].map { Array($0.utf8) }
    static let gradeNames: [[UInt8]] = ["一年级", "二年级", "三年级"].map { Array($0.utf8) }
    static let idKinds: [[UInt8]] = ["居民身份证", "港澳台居民居住证", "护照"].map { Array($0.utf8) }
    static let hardship: [[UInt8]] = Reference.hardshipTypes.map { Array($0.utf8) }
    static let hukou: [[UInt8]] = Reference.hukouTypes.map { Array($0.utf8) }
    static let majors: [[UInt8]] = Reference.majors.map { Array($0.utf8) }
    static let surnames: [[UInt8]] = Reference.surnames.map { Array($0.utf8) }
    static let given: [[UInt8]] = Reference.givenCharacters.map { Array($0.utf8) }
    static let dotted: [([UInt8], [UInt8])] = Reference.dottedNames.map { (Array($0.0.utf8), Array($0.1.utf8)) }
    static let dots: [[UInt8]] = Reference.nameDots.map { Array($0.utf8) }
    static let latin: [[UInt8]] = Reference.latinNames.map { Array($0.utf8) }
    static let districtCodes: [[UInt8]] = Reference.districts.map { Array(String($0.code).utf8) }
    static let cityNames: [[UInt8]] = Reference.cities.map { Array($0.name.utf8) }
    static let provinceCityNames: [[UInt8]] = Reference.cities.map { Array(($0.province + $0.name).utf8) }
    static let cityCodes: [[UInt8]] = Reference.cities.map { Array(String($0.code).utf8) }
    static let channels: [[UInt8]] = Channel.names.map { Array($0.utf8) }
    static let grant: [UInt8] = Array("国家助学金".utf8)
    static let tuition: [UInt8] = Array("免学费".utf8)
    static let approvals: [[UInt8]] = ["已审批", "待审批", "退回"].map { Array($0.utf8) }
    static let approvalAliases: [[UInt8]] = ["审核通过", "待审核", "不通过"].map { Array($0.utf8) }
    static let tiers: [[UInt8]] = Reference.tierNames.map { Array($0.utf8) }
    static let space: UInt8 = 0x20
}
