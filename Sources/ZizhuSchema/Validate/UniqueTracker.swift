import ZizhuCore

/// Finds values that must be unique across every file of one input (roster `id_number`: S01).
///
/// Holds one packed key and one packed position per distinct value (resident ids pack into a
/// `UInt64`), so a million-row roster costs tens of megabytes, not a row copy.
public final class UniqueTracker: @unchecked Sendable {
    public let field: Int
    public let finding: String
    private var firstByID = PackedKeyTable()
    private var firstByText: [String: UInt64] = [:]
    private var repeats: [Key: [UInt64]] = [:]
    private var context: [Key: Discrepancy] = [:]

    enum Key: Hashable { case id(UInt64), text(String) }

    public init(field: Int, finding: String) {
        self.field = field
        self.finding = finding
    }

    @inline(__always) static func pack(source: Int, line: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: source) << 32 | UInt64(truncatingIfNeeded: line)
    }

    /// Records the accepted rows of a batch.
    public func add(_ batch: ValidatedBatch, validator: RowValidator) {
        for row in 0..<batch.count {
            let position = Self.pack(source: batch.sourceIndex, line: Int(batch.lines[row]))
            let key: Key
            switch batch.value(row, field) {
            case .residentID(let id):
                guard let first = firstByID.insert(id.packed, value: position) else { continue }
                key = .id(id.packed)
                if repeats[key] == nil { repeats[key] = [first] }
            case .text(let ref), .otherID(let ref), .account(let ref), .maskedAccount(let ref):
                let text = batch.string(ref)
                if let first = firstByText[text] {
                    key = .text(text)
                    if repeats[key] == nil { repeats[key] = [first] }
                } else {
                    firstByText[text] = position
                    continue
                }
            default:
                continue
            }
            repeats[key, default: []].append(position)
            if context[key] == nil {
                var finding = validator.context(row: row, batch: batch)
                if case .residentID(let id) = batch.value(row, field) { finding.idNumber = id.string }
                if case .text(let ref) = batch.value(row, field) { finding.idNumber = batch.string(ref) }
                if case .otherID(let ref) = batch.value(row, field) { finding.idNumber = batch.string(ref) }
                context[key] = finding
            }
        }
    }

    /// One finding per repeated value, with every row involved.
    public func findings(sourceNames: [String], fieldTitle: String) -> [Discrepancy] {
        var out: [Discrepancy] = []
        for (key, positions) in repeats {
            guard var finding = context[key] else { continue }
            finding.code = finding.code.isEmpty ? self.finding : finding.code
            finding.code = self.finding
            finding.severity = FindingCatalog.entry(self.finding)?.severity ?? .error
            let sorted = positions.sorted()
            finding.sources = sorted.map { position in
                let source = Int(position >> 32)
                let name = source < sourceNames.count ? sourceNames[source] : "input \(source)"
                return "\(name):\(position & 0xFFFF_FFFF)"
            }
            finding.expected = "1"
            finding.actual = "\(sorted.count)"
            finding.detail = "\(fieldTitle) appears on \(sorted.count) rows"
            out.append(finding)
        }
        return out.sorted(by: Discrepancy.contractOrder)
    }
}

/// An open-addressing hash table from a packed 64-bit key to a 64-bit value, for one insert per
/// row of a million-row file: a multiplicative hash and linear probing instead of `Dictionary`'s
/// seeded SipHash; key and value side by side in one 16-byte slot (one cache miss a probe),
/// grown at half full. `UInt64.max` marks an empty slot, so it cannot be stored as a value.
struct PackedKeyTable {
    private struct Slot {
        var key: UInt64
        var value: UInt64
    }

    private static let empty = UInt64.max
    private var slots: [Slot]
    private var count = 0
    private var shift: UInt64

    init() {
        let capacity = 1 << 16
        slots = [Slot](repeating: Slot(key: 0, value: Self.empty), count: capacity)
        shift = UInt64(64 - 16)
    }

    /// Stores `value` under `key` if the key is new and returns nil; otherwise leaves the table as
    /// it is and returns the value stored first.
    mutating func insert(_ key: UInt64, value: UInt64) -> UInt64? {
        precondition(value != Self.empty, "UInt64.max marks an empty slot")
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let found: UInt64? = slots.withUnsafeMutableBufferPointer { table in
            while table[slot].value != Self.empty {
                if table[slot].key == key { return table[slot].value }
                slot = (slot + 1) & mask
            }
            table[slot] = Slot(key: key, value: value)
            return nil
        }
        if found == nil { count += 1 }
        return found
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, value: Self.empty), count: old.count * 2)
        shift -= 1
        count = 0
        for entry in old where entry.value != Self.empty { _ = insert(entry.key, value: entry.value) }
    }
}
