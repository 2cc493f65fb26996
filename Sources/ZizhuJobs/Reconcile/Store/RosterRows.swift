extension Reconciler {
    /// The roster rows of one id: the first, then those chained behind it.
    struct RosterRows: Sequence, IteratorProtocol {
        let records: [RosterRecord]
        let links: [Int32]
        var current: Int32

        var isEmpty: Bool { current < 0 }

        mutating func next() -> RosterRecord? {
            guard current >= 0 else { return nil }
            let record = records[Int(current)]
            current = links[Int(current)]
            return record
        }
    }
}
