/// Ids that are not resident ids (证件类型 护照 or 其他: kept as written, upper-cased) as 64-bit
/// keys beside packed resident ids: each text gets a key of its own above every
/// `ResidentID.packed` (< 1.1 × 10¹⁸ < 2⁶³), so that tables keyed by a packed id hold them too.
/// Such ids are few; only they are kept as text.
///
/// Keys are handed out in the order texts are met. Where that order is not deterministic (batches
/// of several threads), `renumbered()` gives the same table in text order.
public struct OtherIDTable: Sendable {
    public static let base: UInt64 = 1 << 63

    private var texts: [String] = []
    private var keys: [String: UInt64] = [:]

    public init() {}

    public var isEmpty: Bool { texts.isEmpty }

    /// True for a key of this kind of table, false for a packed resident id.
    public static func isOther(_ key: UInt64) -> Bool { key & base != 0 }

    /// The key of `text`, given now if it is new.
    public mutating func key(_ text: String) -> UInt64 {
        if let known = keys[text] { return known }
        let key = Self.base | UInt64(texts.count)
        keys[text] = key
        texts.append(text)
        return key
    }

    /// The id as written; "" for a key this table did not give.
    public func text(_ key: UInt64) -> String {
        let index = Int(key & ~Self.base)
        return Self.isOther(key) && index < texts.count ? texts[index] : ""
    }

    /// The same table numbered in text order, and the new key of each old one (by old index:
    /// `key & ~base`).
    public func renumbered() -> (table: OtherIDTable, newKeys: [UInt64]) {
        let order = texts.indices.sorted { texts[$0].utf8.lexicographicallyPrecedes(texts[$1].utf8) }
        var table = OtherIDTable()
        var newKeys = [UInt64](repeating: 0, count: texts.count)
        for old in order { newKeys[old] = table.key(texts[old]) }
        return (table, newKeys)
    }
}
