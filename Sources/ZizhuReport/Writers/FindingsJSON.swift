import Foundation
import ZizhuCore

/// `discrepancies.json` written straight to bytes: the same bytes `JSONOutput.encode` makes of
/// the findings (sorted keys, two-space pretty printing, slashes unescaped, a final newline) —
/// a test holds the two equal — at a fraction of the cost: a run with 100,000 findings spent
/// seconds in `JSONEncoder`.
enum FindingsJSON {
    static func encode(_ findings: [Discrepancy], history: [FindingsWriter.HistoryCells]?) -> Data {
        var out: [UInt8] = []
        // About 470 bytes a finding; its status, first_seen and note add about 80 (reserved, not
        // grown into: growing copied 50 MB at 100,000 findings).
        out.reserveCapacity(64 + findings.count * (history == nil ? 480 : 576))
        if findings.isEmpty {
            out.append(contentsOf: "[\n\n]\n".utf8)
            return Data(out)
        }
        out.append(contentsOf: "[\n".utf8)
        for (n, f) in findings.enumerated() {
            let h = history.flatMap { n < $0.count ? $0[n] : nil }
            out.append(contentsOf: "  {\n".utf8)
            // Keys in sorted order, as JSONEncoder's .sortedKeys writes them.
            member(&out, "actual", f.actual)
            member(&out, "code", f.code)
            member(&out, "detail", f.detail)
            member(&out, "expected", f.expected)
            if let h { member(&out, "first_seen", h.firstSeen) }
            member(&out, "id_number", f.idNumber)
            member(&out, "name", f.name)
            if let h { member(&out, "note", h.note) }
            member(&out, "school_code", f.schoolCode)
            member(&out, "severity", f.severity.rawValue)
            key(&out, "sources")
            if f.sources.isEmpty {
                out.append(contentsOf: "[\n\n    ],\n".utf8)
            } else {
                out.append(contentsOf: "[\n".utf8)
                for (i, source) in f.sources.enumerated() {
                    out.append(contentsOf: "      ".utf8)
                    string(&out, source)
                    out.append(contentsOf: (i + 1 < f.sources.count ? ",\n" : "\n").utf8)
                }
                out.append(contentsOf: "    ],\n".utf8)
            }
            if let h { member(&out, "status", h.status) }
            member(&out, "student_no", f.studentNo)
            key(&out, "term")
            string(&out, f.term)
            out.append(contentsOf: (n + 1 < findings.count ? "\n  },\n" : "\n  }\n").utf8)
        }
        out.append(contentsOf: "]\n".utf8)
        return Data(out)
    }

    private static func key(_ out: inout [UInt8], _ name: StaticString) {
        out.append(contentsOf: "    \"".utf8)
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(contentsOf: "\" : ".utf8)
    }

    private static func member(_ out: inout [UInt8], _ name: StaticString, _ value: String) {
        key(&out, name)
        string(&out, value)
        out.append(contentsOf: ",\n".utf8)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string as JSONEncoder writes it: `"` and `\` escaped, \b \f \n \r \t by name, other
    /// control characters as \u00XX, everything else (slashes, non-ASCII) as it is.
    static func string(_ out: inout [UInt8], _ value: String) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                start = i + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: "u00".utf8)
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0x0F)])
                }
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
