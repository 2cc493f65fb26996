extension Reconciler {
    /// Per approved student, what the payout ledger needs once the findings are made.
    struct StudentSummary: Sendable {
        var paid: Int64 = 0
        /// Date and account of the last payment not reversed (`Int32.min` when none); the
        /// account as a key, or an index in `maskedAccounts` (-1 none).
        var payDate = Int32.min
        var account: UInt64 = 0
        var masked: Int32 = -1
        var status: LedgerStatus = .unpaid
        var methods: UInt8 = 0
    }
}
