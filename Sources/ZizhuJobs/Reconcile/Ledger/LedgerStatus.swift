extension Reconciler {
    /// 发放台账 status of an approved student.
    enum LedgerStatus: UInt8, Sendable {
        case paid, unpaid, failed, amountMismatch, duplicate

        var name: String {
            switch self {
            case .paid: return "已发放"
            case .unpaid: return "未发放"
            case .failed: return "发放失败"
            case .amountMismatch: return "金额不符"
            case .duplicate: return "重复发放"
            }
        }
    }
}
