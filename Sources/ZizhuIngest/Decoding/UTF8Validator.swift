/// A strict UTF-8 checker (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF)
/// with an 8-bytes-at-a-time path for ASCII, which most of a roster is (ids, dates, amounts).
enum UTF8Validator {
    struct Result: Equatable {
        /// Index of the first byte of the first invalid sequence.
        var invalidAt: Int?
        /// Bytes at the end that begin a sequence which is valid so far but incomplete.
        var incompleteTail: Int
    }

    static func validate(_ bytes: UnsafeRawBufferPointer) -> Result {
        guard let raw = bytes.baseAddress else { return Result(invalidAt: nil, incompleteTail: 0) }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        while i < n {
            let lead = p[i]
            if lead < 0x80 {
                i += 1
                while i + 8 <= n && (raw + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
                continue
            }
            // Chinese text is three-byte sequences E1–EF (bar ED): check those first, in a run.
            if lead & 0xF0 == 0xE0 && lead != 0xE0 && lead != 0xED && i + 2 < n
                && p[i + 1] & 0xC0 == 0x80 && p[i + 2] & 0xC0 == 0x80 {
                i += 3
                continue
            }
            var length = 0
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return Result(invalidAt: i, incompleteTail: 0)
            }
            if i + 1 >= n { return Result(invalidAt: nil, incompleteTail: n - i) }
            let second = p[i + 1]
            if second < low || second > high { return Result(invalidAt: i, incompleteTail: 0) }
            var k = 2
            while k < length {
                if i + k >= n { return Result(invalidAt: nil, incompleteTail: n - i) }
                if p[i + k] & 0xC0 != 0x80 { return Result(invalidAt: i, incompleteTail: 0) }
                k += 1
            }
            i += length
        }
        return Result(invalidAt: nil, incompleteTail: 0)
    }
}
