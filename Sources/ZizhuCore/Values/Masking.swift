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
    /// detail, a note (contract §9: masking does not trust the column). A run is digits (ASCII or
    /// full-width `０`–`９`), possibly in groups of 4 joined by single spaces as a card number is
    /// written (`6212 2637 1116 6533 298`), with a final `X`/`x` after 17 digits. 15 or 18
    /// characters (15 digits, or 17 digits + digit/X) is an id: first 6 and last 4 kept; any other
    /// run of 12 or more digits is an account: last 4 kept. Shorter runs — dates, amounts, phone
    /// numbers, student numbers — stay whole, and so do digits inside a hash or key id. A masked
    /// character becomes `*` (`＊` for a full-width one, so the text keeps its length). Text
    /// without such a run is returned as it is, found by a byte scan; masking again changes nothing.
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
            out.withUnsafeMutableBufferPointer { mask(run, of: bytes, into: $0) }
            guard let next = firstRun(in: bytes, from: run.end) else { return out }
            run = next
        }
    }

    /// Masks `buffer[start...]` in place as `maskedRuns` masks those bytes (a masked run keeps
    /// its length). A cell with one run — the common case — is masked where it lies, with no copy.
    public static func maskRuns(in buffer: inout [UInt8], from start: Int) {
        let end = buffer.count
        guard start < end else { return }
        // Runs are found on the bytes as they were: the search looks back at what precedes a run.
        let (first, more) = buffer.withUnsafeBufferPointer { all -> (Run?, Bool) in
            let bytes = UnsafeBufferPointer(rebasing: all[start..<end])
            guard let run = firstRun(in: bytes, from: 0) else { return (nil, false) }
            return (run, firstRun(in: bytes, from: run.end) != nil)
        }
        guard let first else { return }
        if more {
            let masked = buffer.withUnsafeBufferPointer { maskedRuns(UnsafeBufferPointer(rebasing: $0[start..<end])) }
            if let masked { buffer.replaceSubrange(start..<end, with: masked) }
            return
        }
        buffer.withUnsafeMutableBufferPointer { all in
            let cell = UnsafeMutableBufferPointer(rebasing: all[start..<end])
            // Each character's width is read before its own bytes are written.
            mask(first, of: UnsafeBufferPointer(cell), into: cell)
        }
    }

    /// Writes `run`'s masked characters into `out` (same offsets as `bytes`): ids keep their
    /// first 6 and last 4 characters, accounts their last 4; full-width digits become ＊.
    private static func mask(_ run: Run, of bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) {
        var seen = 0
        var k = run.start
        while k < run.end {
            if bytes[k] == 0x20 { k += 1; continue }
            let width = max(1, characterWidth(bytes, k))
            let keep = run.isID ? (seen < 6 || seen >= run.characters - 4) : seen >= run.characters - 4
            if !keep {
                if width == 3 {
                    out[k] = 0xEF; out[k + 1] = 0xBC; out[k + 2] = 0x8A  // ＊
                } else {
                    out[k] = 0x2A
                }
            }
            seen += 1
            k += width
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

    /// Bytes of the digit at `k` (1 ASCII, 3 full-width `０`–`９` = EF BC 90–99), 0 when none.
    @inline(__always) private static func digitWidth(_ bytes: UnsafeBufferPointer<UInt8>, _ k: Int) -> Int {
        let b = bytes[k]
        if b &- 0x30 < 10 { return 1 }
        if b == 0xEF, k + 2 < bytes.count, bytes[k + 1] == 0xBC, bytes[k + 2] &- 0x90 < 10 { return 3 }
        return 0
    }

    /// Whether a full-width `＊` (EF BC 8A) ends just before `k`.
    @inline(__always) private static func endsFullWidthStar(_ bytes: UnsafeBufferPointer<UInt8>, _ k: Int) -> Bool {
        k >= 3 && bytes[k - 1] == 0x8A && bytes[k - 2] == 0xBC && bytes[k - 3] == 0xEF
    }

    /// Bytes of the X closing an id at `k` (`X`/`x` 1, `Ｘ` EF BC B8 / `ｘ` EF BD 98 3), 0 when none.
    @inline(__always) private static func xWidth(_ bytes: UnsafeBufferPointer<UInt8>, _ k: Int) -> Int {
        let b = bytes[k]
        if b | 0x20 == 0x78 { return 1 }
        if b == 0xEF, k + 2 < bytes.count,
           (bytes[k + 1] == 0xBC && bytes[k + 2] == 0xB8) || (bytes[k + 1] == 0xBD && bytes[k + 2] == 0x98) { return 3 }
        return 0
    }

    /// Bytes of the character of a run at `k`: a digit or a closing X.
    @inline(__always) private static func characterWidth(_ bytes: UnsafeBufferPointer<UInt8>, _ k: Int) -> Int {
        let digit = digitWidth(bytes, k)
        return digit > 0 ? digit : xWidth(bytes, k)
    }

    /// When `start..<end` lies in an ASCII hexadecimal token of 16 or more characters with at
    /// least two letters a–f (a hash, a key id), the token's end; else nil.
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
            // ASCII fast path: most bytes are neither a digit nor the lead byte of a full-width one.
            let b = bytes[i]
            guard b &- 0x30 < 10 || b == 0xEF, digitWidth(bytes, i) > 0 else { i += 1; continue }
            let start = i
            // Groups join over single spaces only as a card number is written (`6212 2637 …`):
            // groups of 4 before each space, and a run that does not begin inside a word or
            // right after a mask (`3701J001 2023…`, `****7030 1092…` stay two runs).
            let mayJoin = start == 0 || !(isLetter(bytes[start - 1]) || bytes[start - 1] == 0x2A || endsFullWidthStar(bytes, start))
            var digits = 0
            var j = i
            while true {
                var group = 0
                while j < n {
                    let width = digitWidth(bytes, j)
                    guard width > 0 else { break }
                    j += width
                    group += 1
                }
                digits += group
                if mayJoin, group == 4, j + 1 < n, bytes[j] == 0x20, digitWidth(bytes, j + 1) > 0 { j += 1; continue }
                break
            }
            var characters = digits
            if digits == 17, j < n {
                let width = xWidth(bytes, j)
                if width > 0 { j += width; characters += 1 }
            }
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
