import ZizhuCore

/// What a history backend was doing when it failed, as catalogue words.
enum HistoryWords {
    static func action(_ action: String) -> Message {
        switch action {
        case "read": return Message("historyError.action.read")
        case "migrate": return Message("historyError.action.migrate")
        case "record a run in": return Message("historyError.action.recordRun")
        case "record a note in": return Message("historyError.action.recordNote")
        case "check the secret of": return Message("historyError.action.checkSecret")
        default: return Message(verbatim: action)
        }
    }
}
