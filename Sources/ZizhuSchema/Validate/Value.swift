import ZizhuCore

/// A byte range into a `ValidatedBatch`'s text buffer: text stays bytes until a person reads it.
public struct TextRef: Sendable, Hashable {
    public var offset: UInt32
    public var length: UInt32
    public init(offset: UInt32, length: UInt32) {
        self.offset = offset
        self.length = length
    }
}

/// A normalized cell. Small and allocation-free: text lives in the batch's buffer.
public enum Value: Sendable, Hashable {
    case empty
    case text(TextRef)
    case integer(Int64)
    case money(Fen)
    case date(CalendarDate)
    /// A date known to the month only (`2023-09`): the first of that month.
    case month(CalendarDate)
    case residentID(ResidentID)
    /// An id of another type (护照, 其他): kept as given, upper-cased.
    case otherID(TextRef)
    /// A full bank account: its digits.
    case account(TextRef)
    /// A masked bank account as the bank wrote it (`621285******1234`).
    case maskedAccount(TextRef)
    case term(Term)
    /// A GB/T 2260 region code.
    case region(Int32)
    /// Index into the field's canonical code list (`CodeTable.names`).
    case code(UInt16)

    public var isEmpty: Bool { if case .empty = self { return true } else { return false } }
}

/// A batch of rows after normalization and validation: accepted rows' values plus the batch's
/// rejects, warnings and findings.
///
/// Values are row-major, `fieldCount` per accepted row, in schema field order; the unknown columns
/// of the file ride along as text (`extras`, `extraCount` per row) so outputs keep them.
public struct ValidatedBatch: Sendable {
    public var sourceIndex: Int
    public let fieldCount: Int
    public let extraCount: Int
    public internal(set) var values: [Value] = []
    public internal(set) var extras: [TextRef] = []
    /// Physical line of each accepted row.
    public internal(set) var lines: [UInt32] = []
    public internal(set) var text: [UInt8] = []
    /// Data rows read in this batch (accepted + rejected).
    public internal(set) var rowsRead = 0
    public internal(set) var rowsRejected = 0
    /// One entry per reason a row was rejected (a row may have several).
    public internal(set) var rejects: [RowIssue] = []
    public internal(set) var warnings: [RowIssue] = []
    public internal(set) var findings: [Discrepancy] = []
    /// Bytes a consumer had the validating thread make from this batch's accepted rows (`validate
    /// --out`'s cleaned.csv rows), so that the run's thread only writes them; nil when none was asked.
    public var prepared: [UInt8]?

    public init(sourceIndex: Int, fieldCount: Int, extraCount: Int) {
        self.sourceIndex = sourceIndex
        self.fieldCount = fieldCount
        self.extraCount = extraCount
    }

    /// Accepted rows.
    public var count: Int { lines.count }

    /// Room for `rows` accepted rows and `textBytes` of text, so a batch's arrays grow once.
    mutating func reserve(rows: Int, textBytes: Int) {
        values.reserveCapacity(rows * fieldCount)
        lines.reserveCapacity(rows)
        text.reserveCapacity(textBytes)
        if extraCount > 0 { extras.reserveCapacity(rows * extraCount) }
    }

    @inlinable public func value(_ row: Int, _ field: Int) -> Value { values[row * fieldCount + field] }

    public func string(_ ref: TextRef) -> String {
        let start = Int(ref.offset)
        return String(decoding: text[start..<start + Int(ref.length)], as: UTF8.self)
    }

    /// Calls `body` with the bytes of a text reference.
    public func withBytes<R>(_ ref: TextRef, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = Int(ref.offset)
        return try text.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[start..<start + Int(ref.length)]))
        }
    }

    /// The extra (unknown) column `extra` of row `row`.
    public func extra(_ row: Int, _ extra: Int) -> String { string(extras[row * extraCount + extra]) }
}

/// A problem with one cell of one row: why a row was rejected, or a warning about it.
public struct RowIssue: Sendable, Codable, Hashable {
    /// The input's display name (`file` or `archive.zip!entry.csv`).
    public var file: String
    public var line: Int
    /// The column title as written in the file (or the field's title when the column is absent).
    public var column: String
    /// The offending value, masked when it is personal (ids, accounts).
    public var value: String
    public var rule: String
    public var message: String
    public var hint: String?
    /// The description as catalogue words: the rejects' description column follows the run's
    /// language with it (`message` holds the English text).
    public var words: Message?
    /// The hint as catalogue words.
    public var hintWords: Message?

    public init(file: String, line: Int, column: String, value: String, rule: String, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.rule = rule
        self.message = message
        self.hint = hint
    }

    /// An issue in catalogue words.
    public init(file: String, line: Int, column: String, value: String, rule: String, _ message: Message, hint: Message? = nil) {
        self.init(file: file, line: line, column: column, value: value, rule: rule, message: message.text(.en), hint: hint?.text(.en))
        words = message
        hintWords = hint
    }

    /// The description in `language`.
    public func message(_ language: Language) -> String { words?.text(language) ?? message }

    /// The hint in `language`.
    public func hint(_ language: Language) -> String? { hintWords?.text(language) ?? hint }

    enum CodingKeys: String, CodingKey {
        case file, line, column, value, rule, message, hint
    }
}
