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

extension Masking {
    /// Masks every id-shaped or account-shaped run inside free text — a name, a rejected value, a
    /// detail, a note (contract §9: masking does not trust the column). A run is ASCII digits,
    /// possibly in groups of 4 joined by single spaces as a card number is written
    /// (`6212 2637 1116 6533 298`), with a final `X`/`x` after 17 digits. 15 or 18 characters (15 digits, or 17 digits + digit/X) is an id: first 6 and last
    /// 4 kept; any other run of 12 or more digits is an account: last 4 kept. Shorter runs — dates,
    /// amounts, phone numbers, student numbers — stay whole. Text without such a run is returned as
    /// it is, found by a byte scan; the result is the same when masked again.
    public static func text(_ s: String) -> String {
        var s = s
        let masked: [UInt8]? = s.withUTF8 { maskedRuns($0) }
        guard let masked else { return s }
        return String(decoding: masked, as: UTF8.self)
    }

    /// Whether `text` would change under `text(_:)`.
    public static func needsMasking(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { firstRun(in: $0, from: 0) != nil }
    }

    /// `bytes` with every run masked, or nil when there is none.
    public static func maskedRuns(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard var run = firstRun(in: bytes, from: 0) else { return nil }
        var out = Array(bytes)
        while true {
            var seen = 0
            for i in run.start..<run.end where out[i] != 0x20 {
                let keep = run.isID ? (seen < 6 || seen >= run.characters - 4) : seen >= run.characters - 4
                if !keep { out[i] = 0x2A }
                seen += 1
            }
            guard let next = firstRun(in: bytes, from: run.end) else { return out }
            run = next
        }
    }

    private struct Run {
        var start: Int
        var end: Int
        /// Digits plus a final X.
        var characters: Int
        var isID: Bool
    }

    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    /// When `start..<end` lies in a hexadecimal token of 16 or more characters with at least two
    /// letters a–f (a hash, a key id), the token's end; else nil.
    private static func hexTokenEnd(_ bytes: UnsafeBufferPointer<UInt8>, around start: Int, to end: Int) -> Int? {
        @inline(__always) func hexLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 6 }
        var first = start, last = end, letters = 0
        for k in start..<end where !isDigit(bytes[k]) {
            guard hexLetter(bytes[k]) else { return nil }
            letters += 1
        }
        while first > 0, isDigit(bytes[first - 1]) || hexLetter(bytes[first - 1]) {
            first -= 1
            if !isDigit(bytes[first]) { letters += 1 }
        }
        while last < bytes.count, isDigit(bytes[last]) || hexLetter(bytes[last]) {
            if !isDigit(bytes[last]) { letters += 1 }
            last += 1
        }
        return last - first >= 16 && letters >= 2 ? last : nil
    }

    /// The first run to mask at or after `from`.
    private static func firstRun(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Run? {
        let n = bytes.count
        var i = from
        while i < n {
            guard isDigit(bytes[i]) else { i += 1; continue }
            let start = i
            // Groups join over single spaces only as a card number is written (`6212 2637 …`):
            // groups of 4 before each space, and a run that does not begin inside a word
            // (`3701J001 2023…` stays two runs).
            let mayJoin = start == 0 || !isLetter(bytes[start - 1])
            var digits = 0
            var j = i
            while true {
                let groupStart = j
                while j < n, isDigit(bytes[j]) { j += 1; digits += 1 }
                if mayJoin, j - groupStart == 4, j + 1 < n, bytes[j] == 0x20, isDigit(bytes[j + 1]) { j += 1; continue }
                break
            }
            var characters = digits
            if digits == 17, j < n, bytes[j] | 0x20 == 0x78 { j += 1; characters += 1 }
            if characters >= 12, let hashEnd = hexTokenEnd(bytes, around: start, to: j) {
                // Digits inside a SHA-256 or a key id (`…4f1a2c0926163117654d…`) are no person's number.
                i = hashEnd
                continue
            }
            if characters >= 12 {
                return Run(start: start, end: j, characters: characters, isID: characters == 15 || characters == 18)
            }
            i = j
        }
        return nil
    }
}
