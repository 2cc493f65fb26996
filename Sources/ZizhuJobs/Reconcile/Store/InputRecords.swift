import ZizhuCore

extension Reconciler {
    /// Where an application row stands for this run: only `approved` rows are "approved"
    /// (国家助学金, 已审批, this term); the others are kept to explain an R02.
    enum Standing: UInt8, Sendable {
        case approved
        /// 国家助学金 for this term, 待审批.
        case pending
        /// 国家助学金 for this term, 退回.
        case returned
        /// 国家助学金 for another term.
        case otherTerm
        /// 免学费 (or another aid type): never approved for a grant.
        case otherAid
    }

    /// One applications row, reduced to what matching and the ledger need.
    struct ApplicationRecord: Sendable {
        var id: UInt64
        var ref: RowRef
        /// Fen; 0 when empty (never for an approved row: amount is required for 国家助学金).
        var amount: Int64
        /// `AccountKey` of a full card number; 0 when empty or masked.
        var card: UInt64
        var name: TextSpan
        var studentNo: TextSpan
        var school: UInt32
        /// `year * 2 + (fall ? 1 : 0)` of a term other than the run's; 0 otherwise.
        var otherTerm: Int32
        /// Slot + 1 in `Reconciler.tierNames`; 0 when empty.
        var tier: UInt8
        /// Index in `approvalNames`; 255 when unknown.
        var approval: UInt8
        var standing: Standing
        var maskedCard: Bool
    }

    /// What a bank row did.
    enum LedgerKind: UInt8, Sendable {
        /// 成功 with a positive (or zero) amount.
        case paid
        /// 失败 (any amount).
        case failed
        /// 冲正 / 退汇, or 成功 with a negative amount: takes back an earlier payment.
        case reversal
    }

    /// One bank row, reduced to what matching and the findings need.
    struct LedgerRecord: Sendable {
        var ref: RowRef
        /// `ResidentID.packed`; 0 when the bank gave no usable id.
        var id: UInt64
        /// `AccountKey` of a full account; 0 when none or masked.
        var account: UInt64
        /// Fen as written (a reversal may be negative).
        var amount: Int64
        var date: Int32
        /// Index in `maskedAccounts`; -1 when the account is not masked.
        var masked: Int32
        var name: TextSpan
        /// 失败原因 of a failed or reversal row (kept for the R10 detail only).
        var reason: TextSpan
        var kind: LedgerKind
        /// Slot + 1 in `Reconciler.channelNames`; 0 when empty.
        var channel: UInt8

        var magnitude: Int64 { amount < 0 ? 0 &- amount : amount }
    }

    /// Roster status (学籍状态), in the roster schema's canonical names.
    static let rosterStatusNames = ["在籍", "休学", "退学", "转学", "复学", "毕业"]
    /// Statuses after which no grant may be paid (R07): 休学, 退学, 转学.
    static let leavingStatuses: Set<UInt8> = [1, 2, 3]
    static let approvalNames = ["已审批", "待审批", "退回"]

    /// One roster row, reduced to what R07, R08, R13 and the display fallbacks need.
    struct RosterRecord: Sendable {
        var id: UInt64
        var ref: RowRef
        /// Days since epoch; `Int32.min` when empty.
        var changeDate: Int32
        var school: UInt32
        var name: TextSpan
        var studentNo: TextSpan
        /// Index in `rosterStatusNames`; 255 when unknown.
        var status: UInt8
        var partTime: Bool
    }

    /// One allocations row (资金拨付) of this term.
    struct AllocationRecord: Sendable {
        var ref: RowRef
        var school: UInt32
        var allocated: Int64
    }
}
