extension Reconciler {
    /// How a bank row was tied to a student (contract §6, issue 3): by id number, else by the
    /// full account against the approved card, else by masked account + name + amount.
    enum MatchMethod: UInt8, Sendable {
        case none = 0, id, account, masked

        var name: String {
            switch self {
            case .none: return ""
            case .id: return "id"
            case .account: return "account"
            case .masked: return "masked"
            }
        }
    }
}
