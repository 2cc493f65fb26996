#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZizhuCore

/// How a workbook cell's value becomes the text of a field — the same text for .xlsx and .xls.
enum CellText {
    /// Excel's date systems: serial day numbers counted from 1899-12-30 (1900 system; the
    /// phantom 1900-02-29 makes serials from 61 on line up with that base) or from 1904-01-01.
    enum DateSystem: Sendable {
        case from1900
        case from1904
    }

    /// Largest serial Excel shows as a date (9999-12-31).
    static let maxSerial = 2_958_465.0

    /// A number as Excel's General format would show it, shortest: `45170`, `1250.5`. An integer
    /// of 16 or more digits has lost digits in the double (an id or an account typed as a number):
    /// it is written in scientific notation, `3.70102E+17`, as Excel shows it, so that the id and
    /// account rules reject it as Excel damage.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "#NUM!" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        if value == value.rounded() {
            return scientific(value)
        }
        let text = "\(value)"
        // Swift writes 1e-07 style for tiny values; Excel's E-07 is the same number.
        return text.contains("e") ? scientific(value) : text
    }

    /// `3.70102E+17`: six significant digits, trailing zeros of the mantissa dropped.
    static func scientific(_ value: Double) -> String {
        var exponent = 0
        var mantissa = abs(value)
        if mantissa != 0 {
            exponent = Int(log10(mantissa).rounded(.down))
            mantissa /= pow10(exponent)
            if mantissa >= 10 { mantissa /= 10; exponent += 1 }
            if mantissa < 1 { mantissa *= 10; exponent -= 1 }
        }
        var digits = Int64((mantissa * 100_000).rounded())
        if digits >= 1_000_000 { digits /= 10; exponent += 1 }
        var text = String(digits)
        while text.count > 1, text.hasSuffix("0") { text.removeLast() }
        var mantissaText = String(text.prefix(1))
        if text.count > 1 { mantissaText += "." + text.dropFirst() }
        let sign = value < 0 ? "-" : ""
        let exponentText = (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
        return sign + mantissaText + "E" + exponentText
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }

    /// A serial day number as `YYYY-MM-DD` (the time of day dropped), or nil when it is no date.
    static func date(serial: Double, system: DateSystem) -> String? {
        guard serial.isFinite, serial >= 0, serial <= maxSerial else { return nil }
        let whole = Int(serial.rounded(.down))
        // Days from 1970-01-01 to the base: 1899-12-30 is −25569, 1904-01-01 is −24107.
        let days = whole + (system == .from1900 ? -25_569 : -24_107)
        return CalendarDate(daysSinceEpoch: Int32(days)).iso
    }

    /// Whether a number format shows a date or time: the built-in ids 14–22 and 45–47, or a
    /// custom format with d, m, y, h or s outside quotes, brackets (`[Red]`, `[$-804]`) and
    /// escapes. `[h]` style elapsed-time brackets count as time.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) {
            // 27–36 and 50–58 are the East Asian built-in date formats (年月日).
            return true
        }
        guard let code else { return false }
        var inQuote = false
        var inBracket = false
        var escaped = false
        var bracket = ""
        for character in code {
            if escaped { escaped = false; continue }
            if inQuote { if character == "\"" { inQuote = false }; continue }
            if inBracket {
                if character == "]" {
                    inBracket = false
                    let lowered = bracket.lowercased()
                    if lowered == "h" || lowered == "hh" || lowered == "m" || lowered == "mm" || lowered == "s" || lowered == "ss" {
                        return true
                    }
                } else {
                    bracket.append(character)
                }
                continue
            }
            switch character {
            case "\"": inQuote = true
            case "\\", "_", "*": escaped = true
            case "[": inBracket = true; bracket = ""
            case ";": return false  // only the first (positive) section decides
            case "d", "D", "m", "M", "y", "Y", "h", "H", "s", "S":
                return true
            default: break
            }
        }
        return false
    }
}
