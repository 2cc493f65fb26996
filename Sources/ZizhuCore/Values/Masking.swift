/// Masks personal numbers for reports and logs (contract §9): ids keep the first 6 and last 4
/// characters, accounts the last 4, everything between becomes `*`.
///
/// Works on any string, valid or not, because rejected values are masked too. Strings too short
/// to hide at least four characters are masked whole: a 9-character passport number must not
/// come out nearly readable.
public enum Masking {
    /// `370102199001011234` → `370102********1234`; strings of fewer than 14 characters → all `*`.
    public static func id(_ s: String) -> String {
        if let masked = ascii(s, keepFirst: 6, keepLast: 4, minimum: 14) { return masked }
        let characters = Array(s)
        guard characters.count >= 14 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(6)) + String(repeating: "*", count: characters.count - 10)
            + String(characters.suffix(4))
    }

    /// `6212854012341234` → `************1234`; strings of fewer than 8 characters → all `*`.
    public static func account(_ s: String) -> String {
        if let masked = ascii(s, keepFirst: 0, keepLast: 4, minimum: 8) { return masked }
        let characters = Array(s)
        guard characters.count >= 8 else { return String(repeating: "*", count: characters.count) }
        return String(repeating: "*", count: characters.count - 4) + String(characters.suffix(4))
    }

    /// The fast path for ASCII text (every valid id and account): bytes, no grapheme breaking.
    /// nil when `s` holds anything else.
    private static func ascii(_ s: String, keepFirst: Int, keepLast: Int, minimum: Int) -> String? {
        var s = s
        return s.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            let n = bytes.count
            return String(unsafeUninitializedCapacity: n) { out in
                for i in 0..<n {
                    out[i] = n >= minimum && (i < keepFirst || i >= n - keepLast) ? bytes[i] : 0x2A
                }
                return n
            }
        }
    }
}
