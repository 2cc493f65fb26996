extension Reconciler {
    /// An approved student's card as the masked-account match looks it up (`Run.maskedIndex`,
    /// sorted by bucket): a bank row with a masked account finds its candidates here.
    struct MaskedCandidate: Sendable {
        var bucket: UInt32
        var student: Int32
        var card: UInt64
        var amount: Int64
        /// The card's first six digits (the BIN, what banks leave unmasked).
        var prefix6: UInt32
        /// `TextArena.hash` of the student's name.
        var nameHash: UInt32
    }
}
