/// An error with a code, a message, the position it happened at, a hint on how to fix it and an
/// underlying cause. Whole-file and configuration problems are thrown as this; row problems are
/// not errors but rejects (see `RowIssue`).
public struct ZizhuError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is; decides the exit status.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        /// Exit status per the contract §9: 2 usage/configuration, 3 input unreadable.
        public let exitStatus: Int32
        public init(_ name: String, exitStatus: Int32) {
            self.name = name
            self.exitStatus = exitStatus
        }
        public var description: String { name }

        // Usage and configuration (exit 2).
        public static let usage = Code("USAGE", exitStatus: 2)
        public static let configuration = Code("CONFIGURATION", exitStatus: 2)
        public static let schema = Code("SCHEMA", exitStatus: 2)
        public static let pipeline = Code("PIPELINE", exitStatus: 2)
        // Input that cannot be read (exit 3).
        public static let ioFailure = Code("IO", exitStatus: 3)
        public static let invalidEncoding = Code("INVALID_ENCODING", exitStatus: 3)
        public static let csvSyntax = Code("CSV_SYNTAX", exitStatus: 3)
        public static let limitExceeded = Code("LIMIT_EXCEEDED", exitStatus: 3)
        public static let truncated = Code("TRUNCATED", exitStatus: 3)
        public static let archive = Code("ARCHIVE", exitStatus: 3)
        public static let noHeader = Code("NO_HEADER", exitStatus: 3)
        // Writing outputs failed: the run did not complete (exit 3 as well: nothing half-written).
        public static let output = Code("OUTPUT", exitStatus: 3)
    }

    public var code: Code
    public var message: String
    public var position: InputPosition?
    public var hint: String?
    public var cause: (any Error & Sendable)?
    /// The message as catalogue words (rendered in the run's language by `text(_:)`); nil for a
    /// message written as plain text at its throw site.
    public var words: Message?
    /// The hint as catalogue words.
    public var hintWords: Message?

    public init(_ code: Code, _ message: String, at position: InputPosition? = nil, hint: String? = nil,
                cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.position = position
        self.hint = hint
        self.cause = cause
    }

    /// An error in catalogue words: `message` and `hint` hold their English text (for logs and
    /// code that matches on them), `text(_:)` renders them in the language people read.
    public init(_ code: Code, _ message: Message, at position: InputPosition? = nil, hint: Message? = nil,
                cause: (any Error & Sendable)? = nil) {
        self.init(code, message.text(.en), at: position, hint: hint?.text(.en), cause: cause)
        words = message
        hintWords = hint
    }

    /// The message as words (a plain-text message as written): for an error that wraps this one.
    public var messageWords: Message { words ?? Message(verbatim: message) }

    /// The hint as words.
    public var hintMessage: Message? { hintWords ?? hint.map { Message(verbatim: $0) } }

    /// The message in `language` (plain-text messages are as written).
    public func message(_ language: Language) -> String { words?.text(language) ?? message }

    /// The hint in `language`.
    public func hint(_ language: Language) -> String? { hintWords?.text(language) ?? hint }

    /// `description` in `language`: `file:line: 错误[CODE]: 消息` then `  提示：…` in Chinese.
    public func text(_ language: Language) -> String {
        var text = ""
        if let position { text += "\(position): " }
        text += language("general.error", ["code": code.name, "message": message(language)])
        if let cause { text += " (\((cause as? ZizhuError)?.text(language) ?? "\(cause)"))" }
        if let hint = hint(language) { text += "\n  " + language("general.hint", ["hint": hint]) }
        return text
    }

    /// `file:line [column] (byte N): error[CODE]: message` then `  hint: …` — the Yams/DuckDB shape.
    public var description: String {
        var text = ""
        if let position { text += "\(position): " }
        text += "error[\(code.name)]: \(message)"
        if let cause { text += " (\(cause))" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
