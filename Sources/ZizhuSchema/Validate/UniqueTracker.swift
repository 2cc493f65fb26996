import ZizhuCore
internal import CZizhuSupport

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

    /// Resident ids of the batch being added and their rows (reused across batches).
    private var idKeys: [UInt64] = []
    private var idRows: [Int] = []

    /// Records the accepted rows of a batch.
    ///
    /// Resident ids go into the packed table in one pass per batch, in row order (so the first
    /// row of a value stays the first), with each row's slot fetched a few rows ahead.
    public func add(_ batch: ValidatedBatch, validator: RowValidator) {
        idKeys.removeAll(keepingCapacity: true)
        idRows.removeAll(keepingCapacity: true)
        for row in 0..<batch.count {
            switch batch.value(row, field) {
            case .residentID(let id):
                idKeys.append(id.packed)
                idRows.append(row)
            case .text(let ref), .otherID(let ref), .account(let ref), .maskedAccount(let ref):
                let text = batch.string(ref)
                let position = Self.pack(source: batch.sourceIndex, line: Int(batch.lines[row]))
                if let first = firstByText[text] {
                    record(.text(text), first: first, position: position, row: row, batch: batch, validator: validator)
                } else {
                    firstByText[text] = position
                }
            default:
                continue
            }
        }
        guard !idKeys.isEmpty else { return }
        let positions = idRows.map { Self.pack(source: batch.sourceIndex, line: Int(batch.lines[$0])) }
        firstByID.insertAll(idKeys, values: positions) { i, first in
            record(.id(idKeys[i]), first: first, position: positions[i], row: idRows[i], batch: batch, validator: validator)
        }
    }

    /// A repeat of a value first seen at `first`.
    private func record(_ key: Key, first: UInt64, position: UInt64, row: Int, batch: ValidatedBatch, validator: RowValidator) {
        if repeats[key] == nil { repeats[key] = [first] }
        repeats[key, default: []].append(position)
        if context[key] == nil {
            var finding = validator.context(row: row, batch: batch)
            switch batch.value(row, field) {
            case .residentID(let id): finding.idNumber = id.string
            case .text(let ref), .otherID(let ref): finding.idNumber = batch.string(ref)
            default: break
            }
            context[key] = finding
        }
    }

    /// One finding per repeated value, with every row involved.
    public func findings(sourceNames: [String], fieldTitle: String, language: Language = .zh) -> [Discrepancy] {
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
            finding.detail = language("detail.unique", ["field": fieldTitle, "count": "\(sorted.count)"])
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
        let shift = self.shift
        let found: UInt64? = slots.withUnsafeMutableBufferPointer { Self.place(key, value, in: $0, shift: shift) }
        if found == nil { count += 1 }
        return found
    }

    /// `insert` for each key in order; `repeated(i, first)` is called for each `keys[i]` already
    /// present (stored earlier, or earlier in `keys`). The slot of the key `lookahead` places on
    /// is prefetched, so the table's cache misses overlap instead of queueing.
    mutating func insertAll(_ keys: [UInt64], values: [UInt64], repeated: (Int, UInt64) -> Void) {
        precondition(keys.count == values.count && !values.contains(Self.empty), "one value per key, none UInt64.max")
        while (count + keys.count) * 2 > slots.count { grow() }
        let shift = self.shift
        let lookahead = 8
        var added = 0
        slots.withUnsafeMutableBufferPointer { table in
            guard let base = table.baseAddress else { return }
            for i in 0..<min(lookahead, keys.count) {
                zizhu_prefetch_write(base + Self.home(keys[i], shift: shift))
            }
            for i in 0..<keys.count {
                if i + lookahead < keys.count {
                    zizhu_prefetch_write(base + Self.home(keys[i + lookahead], shift: shift))
                }
                if let first = Self.place(keys[i], values[i], in: table, shift: shift) {
                    repeated(i, first)
                } else {
                    added += 1
                }
            }
        }
        count += added
    }

    @inline(__always) private static func home(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Linear probing from the key's home slot; the table has a free slot.
    @inline(__always)
    private static func place(_ key: UInt64, _ value: UInt64, in table: UnsafeMutableBufferPointer<Slot>, shift: UInt64) -> UInt64? {
        let mask = table.count - 1
        var slot = home(key, shift: shift)
        while table[slot].value != empty {
            if table[slot].key == key { return table[slot].value }
            slot = (slot + 1) & mask
        }
        table[slot] = Slot(key: key, value: value)
        return nil
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, value: Self.empty), count: old.count * 2)
        shift -= 1
        let shift = self.shift
        slots.withUnsafeMutableBufferPointer { table in
            for entry in old where entry.value != Self.empty { _ = Self.place(entry.key, entry.value, in: table, shift: shift) }
        }
    }
}
