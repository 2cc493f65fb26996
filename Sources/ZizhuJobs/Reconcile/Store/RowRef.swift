extension Reconciler {
    /// Where a row came from: its input (`sourceIndex`) and physical line, packed so that
    /// comparing two refs orders rows by file, then line — the order every decision is made in,
    /// whatever order the batches arrived in.
    struct RowRef: Hashable, Comparable, Sendable {
        let raw: UInt64

        init(source: Int, line: UInt32) {
            raw = UInt64(UInt32(truncatingIfNeeded: source)) << 32 | UInt64(line)
        }

        var source: Int { Int(raw >> 32) }
        var line: Int { Int(raw & 0xFFFF_FFFF) }

        static func < (a: RowRef, b: RowRef) -> Bool { a.raw < b.raw }
    }
}
