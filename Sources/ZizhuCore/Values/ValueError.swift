/// Why one field's value could not be read: a stable rule code, a message for people and,
/// where there is one, a hint on how to fix the source file.
///
/// Row-level problems are values, not thrown errors: the validator turns a `ValueError` into a
/// reject (or, for warning rules such as `ACCOUNT_LUHN`, a finding) and carries on with the next
/// row. Messages never repeat the offending value, because ids and accounts must be masked: the
/// rejects writer prints the (masked) value next to the message.
public struct ValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule code, e.g. `ID_CHECKSUM` (see `ValueError.Rule`). Stable: other offices script
    /// against it.
    public var rule: String
    public var message: String
    public var hint: String?
    /// The message as catalogue words (nil for a plain-text message): the rejects' description
    /// column follows the run's language with it.
    public var words: Message?
    /// The hint as catalogue words.
    public var hintWords: Message?

    public init(rule: String, message: String, hint: String? = nil) {
        self.rule = rule
        self.message = message
        self.hint = hint
    }

    /// A value error in catalogue words; `message` and `hint` hold the English text.
    public init(rule: String, _ message: Message, hint: Message? = nil) {
        self.init(rule: rule, message: message.text(.en), hint: hint?.text(.en))
        words = message
        hintWords = hint
    }

    /// The message as words (plain text as written).
    public var messageWords: Message { words ?? Message(verbatim: message) }

    /// The hint as words (plain text as written).
    public var hintMessage: Message? { hintWords ?? hint.map { Message(verbatim: $0) } }

    /// The message in `language`.
    public func message(_ language: Language) -> String { words?.text(language) ?? message }

    /// The hint in `language`.
    public func hint(_ language: Language) -> String? { hintWords?.text(language) ?? hint }

    /// `RULE: message (hint: …)`.
    public var description: String {
        if let hint { return "\(rule): \(message) (hint: \(hint))" }
        return "\(rule): \(message)"
    }

    /// The rule codes the value normalizers produce. Codes are strings so that schemas and
    /// reports can add their own without touching this type.
    public enum Rule {
        public static let moneyInvalid = "MONEY_INVALID"
        public static let moneyPrecision = "MONEY_PRECISION"
        public static let dateInvalid = "DATE_INVALID"
        public static let idScientificNotation = "ID_SCIENTIFIC_NOTATION"
        public static let idLength = "ID_LENGTH"
        public static let idCharacters = "ID_CHARACTERS"
        public static let idChecksum = "ID_CHECKSUM"
        public static let idBirthDate = "ID_BIRTH_DATE"
        public static let accountInvalid = "ACCOUNT_INVALID"
        public static let termInvalid = "TERM_INVALID"
        public static let gradeInvalid = "GRADE_INVALID"
        /// A warning, not a reject: not every bank account number carries a Luhn check digit.
        public static let accountLuhn = "ACCOUNT_LUHN"
        /// The cell holds one of Excel's error values (`#N/A`, `#VALUE!` …): a formula failed.
        public static let excelError = "EXCEL_ERROR"
        /// Thrown by the working-day calendar for a year whose holiday notice is not shipped.
        public static let calendarYearMissing = "CALENDAR_YEAR_MISSING"
    }
}
