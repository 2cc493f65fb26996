// Small byte-level helpers shared by the value parsers. They work on `UnsafeBufferPointer<UInt8>`
// and indices so that parsing a field never creates a String or an Array.


enum ASCII {
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let minus: UInt8 = 0x2D
    static let plus: UInt8 = 0x2B
    static let dot: UInt8 = 0x2E
    static let comma: UInt8 = 0x2C
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let star: UInt8 = 0x2A
    static let quote: UInt8 = 0x22
    static let apostrophe: UInt8 = 0x27
    static let equals: UInt8 = 0x3D
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let upperX: UInt8 = 0x58
    static let lowerX: UInt8 = 0x78
    static let upperE: UInt8 = 0x45
    static let lowerE: UInt8 = 0x65
    static let upperT: UInt8 = 0x54
    static let underscore: UInt8 = 0x5F

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The bounds of the field without surrounding white space: ASCII space, tab, CR, LF,
    /// U+00A0 (C2 A0) and U+3000 (E3 80 80) — what Excel and copy-paste leave around values.
    func trimmedBounds() -> Range<Int> {
        // Most cells start and end with a byte that can neither be nor end white space.
        if let first = first, let last = last, first > ASCII.space, first != 0xC2, first != 0xE3,
           last > ASCII.space, last != 0xA0, last != 0x80 {
            return 0..<count
        }
        var lower = 0
        var upper = count
        while lower < upper {
            let width = leadingSpaceWidth(at: lower, end: upper)
            if width == 0 { break }
            lower += width
        }
        while lower < upper {
            let width = trailingSpaceWidth(before: upper, start: lower)
            if width == 0 { break }
            upper -= width
        }
        return lower..<upper
    }

    /// Width in bytes of a white-space character starting at `index`, or 0.
    func leadingSpaceWidth(at index: Int, end: Int) -> Int {
        let byte = self[index]
        switch byte {
        case ASCII.space, ASCII.tab, ASCII.cr, ASCII.lf, 0x0B, 0x0C: return 1
        case 0xC2: return index + 1 < end && self[index + 1] == 0xA0 ? 2 : 0
        case 0xE3: return index + 2 < end && self[index + 1] == 0x80 && self[index + 2] == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// Width in bytes of a white-space character ending just before `end`, or 0.
    func trailingSpaceWidth(before end: Int, start: Int) -> Int {
        let byte = self[end - 1]
        switch byte {
        case ASCII.space, ASCII.tab, ASCII.cr, ASCII.lf, 0x0B, 0x0C: return 1
        case 0xA0: return end - 2 >= start && self[end - 2] == 0xC2 ? 2 : 0
        case 0x80:
            return end - 3 >= start && self[end - 3] == 0xE3 && self[end - 2] == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// True when the bytes at `index` are exactly `pattern`.
    func matches(_ pattern: StaticBytes, at index: Int, end: Int) -> Bool {
        let length = pattern.count
        guard index >= 0, index + length <= end else { return false }
        for offset in 0..<length where self[index + offset] != pattern[offset] { return false }
        return true
    }

    /// Parses `count` ASCII digits at `index` as a number; nil if any is not a digit.
    func digits(at index: Int, count length: Int) -> Int? {
        var value = 0
        for offset in 0..<length {
            let byte = self[index + offset]
            guard ASCII.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - ASCII.zero)
        }
        return value
    }

    /// Length of the run of ASCII digits starting at `index` (stopping at `end`).
    func digitRun(from index: Int, end: Int) -> Int {
        var cursor = index
        while cursor < end, ASCII.isDigit(self[cursor]) { cursor += 1 }
        return cursor - index
    }
}

/// A short, fixed UTF-8 pattern (a CJK unit such as 年 or a currency sign) kept in a tuple so
/// that matching it allocates nothing.

struct StaticBytes: Sendable {
    let b0: UInt8, b1: UInt8, b2: UInt8
    let count: Int

    init(_ b0: UInt8, _ b1: UInt8 = 0, _ b2: UInt8 = 0, count: Int) {
        self.b0 = b0
        self.b1 = b1
        self.b2 = b2
        self.count = count
    }

    subscript(index: Int) -> UInt8 {
        switch index {
        case 0: return b0
        case 1: return b1
        default: return b2
        }
    }

    // The multi-byte characters the value parsers look for (UTF-8).
    static let nian = StaticBytes(0xE5, 0xB9, 0xB4, count: 3)    // 年
    static let yue = StaticBytes(0xE6, 0x9C, 0x88, count: 3)     // 月
    static let ri = StaticBytes(0xE6, 0x97, 0xA5, count: 3)      // 日
    static let hao = StaticBytes(0xE5, 0x8F, 0xB7, count: 3)     // 号
    static let yuan = StaticBytes(0xE5, 0x85, 0x83, count: 3)    // 元
    static let yenHalf = StaticBytes(0xC2, 0xA5, count: 2)       // ¥ U+00A5
    static let yenFull = StaticBytes(0xEF, 0xBF, 0xA5, count: 3) // ￥ U+FFE5
}

extension String {
    /// Runs `body` on the string's UTF-8 bytes, copying only when the string is not contiguous
    /// (bridged or lazily built strings). For the `String` convenience entry points, not the hot path.
    func withUTF8Buffer<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        let copy = Array(utf8)
        return copy.withUnsafeBufferPointer(body)
    }
}
