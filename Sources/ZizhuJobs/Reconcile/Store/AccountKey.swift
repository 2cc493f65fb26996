extension Reconciler {
    /// A full account number (12–19 digits) packed into one `UInt64`, length included.
    ///
    /// Every 19-digit number is below 2^64, but the length must count too (`0012…` ≠ `12…`), so
    /// a number of length L maps to `base[L] + value` with `base[L]` = 1 + Σ 10^k for k in 12..<L:
    /// the ranges of the lengths do not overlap, the largest key stays below 1.12 × 10^19 < 2^64,
    /// and 0 (no account) is never a key.
    enum AccountKey {
        static let lengths = 12...19
        /// base[L - 12] for L in 12...19, and one past the end.
        static let bases: [UInt64] = {
            var bases: [UInt64] = [1]
            var power: UInt64 = 1_000_000_000_000
            for _ in lengths {
                bases.append(bases[bases.count - 1] + power)
                power = power &* 10
            }
            return bases
        }()

        static let powers: [UInt64] = (0...19).map { n in (0..<n).reduce(UInt64(1)) { acc, _ in acc &* 10 } }

        /// The key of a run of ASCII digits; 0 when it is not 12–19 digits.
        static func make(_ digits: UnsafeBufferPointer<UInt8>) -> UInt64 {
            guard lengths.contains(digits.count) else { return 0 }
            var value: UInt64 = 0
            for byte in digits {
                guard byte >= 0x30, byte <= 0x39 else { return 0 }
                value = value &* 10 &+ UInt64(byte - 0x30)
            }
            return bases[digits.count - 12] + value
        }

        /// Length and numeric value of a key (nil for 0 or a key outside every range). The bases
        /// are written out: this runs for every candidate of a masked-account lookup.
        @inline(__always)
        static func split(_ key: UInt64) -> (length: Int, value: UInt64)? {
            switch key {
            case 0: return nil
            case ..<1_000_000_000_001: return (12, key - 1)
            case ..<11_000_000_000_001: return (13, key - 1_000_000_000_001)
            case ..<111_000_000_000_001: return (14, key - 11_000_000_000_001)
            case ..<1_111_000_000_000_001: return (15, key - 111_000_000_000_001)
            case ..<11_111_000_000_000_001: return (16, key - 1_111_000_000_000_001)
            case ..<111_111_000_000_000_001: return (17, key - 11_111_000_000_000_001)
            case ..<1_111_111_000_000_000_001: return (18, key - 111_111_000_000_000_001)
            case ..<11_111_111_000_000_000_001: return (19, key - 1_111_111_000_000_000_001)
            default: return nil
            }
        }

        /// The digits, zero-padded to their length.
        static func digits(_ key: UInt64) -> String {
            guard let (length, value) = split(key) else { return "" }
            var bytes = [UInt8](repeating: 0x30, count: length)
            var rest = value
            var i = length - 1
            while rest > 0, i >= 0 {
                bytes[i] = 0x30 + UInt8(rest % 10)
                rest /= 10
                i -= 1
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Stars and the last four digits, as reports show accounts (contract §9).
        static func masked(_ key: UInt64) -> String {
            guard let (length, value) = split(key) else { return "" }
            return maskedText(length: length, lastFour: value % 10_000, known: 4)
        }

        static func maskedText(length: Int, lastFour: UInt64, known: Int) -> String {
            let shown = min(known, 4)
            var tail = String(lastFour % powers[shown])
            while tail.utf8.count < shown { tail = "0" + tail }
            return String(repeating: "*", count: max(0, length - shown)) + tail
        }
    }

    /// An account number the bank masked (`621285******1234`): the known leading and trailing
    /// digits as numbers with their counts, and the full length. Compared with a full number by
    /// prefix, suffix and length — the same test as `BankAccount.matches`, without a `String`.
    struct MaskedAccount: Hashable, Comparable, Sendable {
        var length: UInt8
        var prefixCount: UInt8
        var suffixCount: UInt8
        var prefix: UInt64
        var suffix: UInt64
        /// 10^(length − prefixCount) and 10^suffixCount, so that `matches` needs no table.
        var prefixDivisor: UInt64
        var suffixModulus: UInt64

        /// Reads `621285******1234` (mask characters `*`, `x`, `X`; dashes and spaces ignored, as
        /// `BankAccount.parse` does); nil unless it is one run of mask characters between digits,
        /// 12–19 positions long, with at least one trailing digit.
        init?(_ text: UnsafeBufferPointer<UInt8>) {
            var prefix: UInt64 = 0, suffix: UInt64 = 0
            var prefixCount = 0, suffixCount = 0, maskCount = 0
            for byte in text where byte != 0x2D && byte != 0x20 {
                if byte >= 0x30, byte <= 0x39 {
                    if maskCount == 0 {
                        guard prefixCount < 19 else { return nil }
                        prefix = prefix * 10 + UInt64(byte - 0x30)
                        prefixCount += 1
                    } else {
                        guard suffixCount < 19 else { return nil }
                        suffix = suffix * 10 + UInt64(byte - 0x30)
                        suffixCount += 1
                    }
                } else if byte == 0x2A || byte == 0x78 || byte == 0x58 {
                    guard suffixCount == 0 else { return nil }
                    maskCount += 1
                } else {
                    return nil
                }
            }
            let length = prefixCount + maskCount + suffixCount
            guard maskCount > 0, suffixCount > 0, AccountKey.lengths.contains(length) else { return nil }
            self.length = UInt8(length)
            self.prefixCount = UInt8(prefixCount)
            self.suffixCount = UInt8(suffixCount)
            self.prefix = prefix
            self.suffix = suffix
            prefixDivisor = AccountKey.powers[length - prefixCount]
            suffixModulus = AccountKey.powers[suffixCount]
        }

        /// True when the full account `key` agrees with the known digits and the length.
        func matches(_ key: UInt64) -> Bool {
            guard let (length, value) = AccountKey.split(key), length == Int(self.length) else { return false }
            if prefixCount > 0, value / prefixDivisor != prefix { return false }
            return value % suffixModulus == suffix
        }

        /// The bucket of the masked-account index: the length and the last four digits; nil when
        /// the bank kept fewer than four trailing digits.
        var bucket: UInt32? {
            guard suffixCount >= 4 else { return nil }
            return UInt32(length) << 16 | UInt32(suffix % 10_000)
        }

        static func bucket(of key: UInt64) -> UInt32? {
            guard let (length, value) = AccountKey.split(key) else { return nil }
            return UInt32(length) << 16 | UInt32(value % 10_000)
        }

        /// Stars and the last (up to) four digits, as reports show accounts.
        var maskedText: String {
            AccountKey.maskedText(length: Int(length), lastFour: suffix % 10_000, known: Int(suffixCount))
        }

        static func == (a: MaskedAccount, b: MaskedAccount) -> Bool {
            (a.length, a.prefixCount, a.prefix, a.suffixCount, a.suffix) == (b.length, b.prefixCount, b.prefix, b.suffixCount, b.suffix)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(length); hasher.combine(prefixCount); hasher.combine(prefix)
            hasher.combine(suffixCount); hasher.combine(suffix)
        }

        static func < (a: MaskedAccount, b: MaskedAccount) -> Bool {
            (a.length, a.prefixCount, a.prefix, a.suffixCount, a.suffix) < (b.length, b.prefixCount, b.prefix, b.suffixCount, b.suffix)
        }
    }
}
