extension Reconciler {
    /// An open-addressing hash table from a packed key (a `ResidentID.packed` or an
    /// `AccountKey`) to a row index.
    ///
    /// Two arrays and linear probing: a million keys cost about 24 MB and no allocation per
    /// entry, and the layout does not depend on the process's hash seed. `UInt64.max` marks an
    /// empty slot; no packed id or account key reaches it.
    struct PackedIndex: Sendable {
        private var keys: [UInt64]
        private var values: [Int32]
        private var shift: UInt64
        private(set) var count = 0

        static let emptyKey = UInt64.max

        init(expected: Int = 0) {
            var capacity = 16
            while capacity < expected * 2 { capacity <<= 1 }
            keys = [UInt64](repeating: Self.emptyKey, count: capacity)
            values = [Int32](repeating: 0, count: capacity)
            shift = UInt64(64 - capacity.trailingZeroBitCount)
        }

        private func slot(_ key: UInt64) -> Int {
            Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }

        func find(_ key: UInt64) -> Int32? {
            guard key != Self.emptyKey else { return nil }
            let mask = keys.count - 1
            var i = slot(key)
            while true {
                let k = keys[i]
                if k == key { return values[i] }
                if k == Self.emptyKey { return nil }
                i = (i + 1) & mask
            }
        }

        func contains(_ key: UInt64) -> Bool { find(key) != nil }

        /// Inserts `value` for `key` unless the key is present; returns the value already there.
        @discardableResult
        mutating func insert(_ key: UInt64, _ value: Int32) -> Int32? {
            guard key != Self.emptyKey else { return nil }
            if (count + 1) * 2 > keys.count { grow() }
            let mask = keys.count - 1
            var i = slot(key)
            while true {
                let k = keys[i]
                if k == key { return values[i] }
                if k == Self.emptyKey {
                    keys[i] = key
                    values[i] = value
                    count += 1
                    return nil
                }
                i = (i + 1) & mask
            }
        }

        /// Replaces the value of a key that is present (no-op otherwise).
        mutating func update(_ key: UInt64, _ value: Int32) {
            guard key != Self.emptyKey else { return }
            let mask = keys.count - 1
            var i = slot(key)
            while keys[i] != Self.emptyKey {
                if keys[i] == key {
                    values[i] = value
                    return
                }
                i = (i + 1) & mask
            }
        }

        private mutating func grow() {
            let oldKeys = keys, oldValues = values
            let capacity = keys.count * 2
            keys = [UInt64](repeating: Self.emptyKey, count: capacity)
            values = [Int32](repeating: 0, count: capacity)
            shift = UInt64(64 - capacity.trailingZeroBitCount)
            count = 0
            for (k, v) in zip(oldKeys, oldValues) where k != Self.emptyKey { insert(k, v) }
        }
    }
}
