extension Reconciler {
    /// What became of a bank row once reversals were applied.
    enum RowState: UInt8, Sendable {
        case normal = 0
        /// A payment a later reversal took back.
        case cancelled
        /// A reversal that took back a payment.
        case reversing
        /// A reversal that found no payment to take back (a note).
        case orphan
    }
}
