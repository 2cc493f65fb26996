extension Reconciler {
    /// Ids that are not resident ids (证件类型 护照 or 其他: kept as written, upper-cased), given
    /// keys of their own above every packed resident id (`ResidentID.packed` < 1.1 × 10¹⁸ < 2⁶³),
    /// so that such a student is matched between the approved list and the roster like any other.
    /// A bank file never carries one (its id column is read as a resident id or not at all), so
    /// their payments are found by card number.
    ///
    /// Keys are handed out as the rows arrive, then renumbered in the order of the texts
    /// (`renumbered()`) before matching, so that no output depends on which batch came first.
    struct OtherIDs: Sendable {
        static let base: UInt64 = 1 << 63

        private(set) var texts: [String] = []
        private var keys: [String: UInt64] = [:]

        var isEmpty: Bool { texts.isEmpty }

        static func isOther(_ key: UInt64) -> Bool { key & base != 0 }

        mutating func key(_ text: String) -> UInt64 {
            if let known = keys[text] { return known }
            let key = Self.base | UInt64(texts.count)
            keys[text] = key
            texts.append(text)
            return key
        }

        /// The id as written; "" for a key this table did not give.
        func text(_ key: UInt64) -> String {
            let index = Int(key & ~Self.base)
            return Self.isOther(key) && index < texts.count ? texts[index] : ""
        }

        /// The same table numbered in text order, and the new key of each old one (by old index).
        func renumbered() -> (table: OtherIDs, newKeys: [UInt64]) {
            let order = texts.indices.sorted { texts[$0].utf8.lexicographicallyPrecedes(texts[$1].utf8) }
            var table = OtherIDs()
            var newKeys = [UInt64](repeating: 0, count: texts.count)
            for old in order { newKeys[old] = table.key(texts[old]) }
            return (table, newKeys)
        }
    }
}

extension Reconciler.Inputs {
    /// Renumbers the non-resident ids in text order (see `OtherIDs`) in every record holding one.
    mutating func renumberOtherIDs() {
        guard !otherIDs.isEmpty else { return }
        let (table, newKeys) = otherIDs.renumbered()
        func renumber(_ key: inout UInt64) {
            if Reconciler.OtherIDs.isOther(key) { key = newKeys[Int(key & ~Reconciler.OtherIDs.base)] }
        }
        for i in approved.indices { renumber(&approved[i].id) }
        for i in others.indices { renumber(&others[i].id) }
        for i in roster.indices { renumber(&roster[i].id) }
        otherIDs = table
    }
}
