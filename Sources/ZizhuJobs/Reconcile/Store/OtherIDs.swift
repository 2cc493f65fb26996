import ZizhuCore

// Ids of 证件类型 护照 / 其他 in reconcile: keys of an `OtherIDTable`, so that such a student is
// matched between the approved list and the roster like any other. A bank file never carries one
// (its id column is read as a resident id or not at all), so their payments are found by card.

extension Reconciler.Inputs {
    /// Renumbers the non-resident ids in text order in every record holding one: batches arrive
    /// from several threads, and no output may depend on which came first.
    mutating func renumberOtherIDs() {
        guard !otherIDs.isEmpty else { return }
        let (table, newKeys) = otherIDs.renumbered()
        func renumber(_ key: inout UInt64) {
            if OtherIDTable.isOther(key) { key = newKeys[Int(key & ~OtherIDTable.base)] }
        }
        for i in approved.indices { renumber(&approved[i].id) }
        for i in others.indices { renumber(&others[i].id) }
        for i in roster.indices { renumber(&roster[i].id) }
        otherIDs = table
    }
}

extension Reconciler {
    /// The id of a key as written: the 18 characters of a packed resident id (`ResidentID.string`
    /// without re-checking it: every packed id here came from a parsed `ResidentID`), or the
    /// text of an `OtherIDTable` key; "" for 0. `scratch` is reused across calls (the payout
    /// ledger writes a million of them).
    static func idString(_ key: UInt64, otherIDs: OtherIDTable, scratch: inout [UInt8]) -> String {
        guard key != 0 else { return "" }
        if OtherIDTable.isOther(key) { return otherIDs.text(key) }
        scratch.removeAll(keepingCapacity: true)
        var body = key / 11
        let check = key % 11
        for _ in 0..<17 {
            scratch.append(0x30 + UInt8(body % 10))
            body /= 10
        }
        scratch.reverse()
        scratch.append(check == 10 ? 0x58 : 0x30 + UInt8(check))
        return String(decoding: scratch, as: UTF8.self)
    }
}
