import ZizhuCore

/// What a reconcile run checks against: the term, the grant tiers, the payout window and the
/// channels money may go through (contract §2, §6).
///
/// Every default comes from the provincial notices and can be changed per pipeline. Tiers are
/// keyed by their canonical names (`一档`, `二档`, `三档`), the names the applications schema's
/// `tier` codes resolve to; a tier missing from `tiers` makes an approved row of that tier R12.
public struct ReconcileSettings: Sendable {
    /// The term (学期) being reconciled; an application row with an empty term counts as this one.
    public var term: Term
    /// Grant amount per term for each tier (国家助学金档次): 一档 1250.00, 二档 1000.00, 三档 750.00 yuan.
    public var tiers: [String: Fen]
    /// Pay dates inside this range are in the term (R11 outside it); default the term's window.
    public var window: ClosedRange<CalendarDate>
    /// Canonical channel names money may go through; a paid row with another channel is R09.
    public var allowedChannels: Set<String>
    /// The language of the findings' detail column (codes never change with it).
    public var language: Language = .zh

    /// The 2023 provincial defaults for `term`.
    public init(term: Term) {
        self.term = term
        tiers = ["一档": Fen(125_000), "二档": Fen(100_000), "三档": Fen(75_000)]
        window = term.defaultPayoutWindow
        allowedChannels = ["中职资助卡", "社保卡"]
    }
}
