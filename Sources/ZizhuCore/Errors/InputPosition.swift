/// Where in the inputs something was found: the file (and archive entry), the physical line,
/// the column title and the byte offset. Every error and reject carries one, so that a person
/// can open the file and put the cursor on the cell.
public struct InputPosition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The path as the user gave it (`-` for standard input).
    public var file: String
    /// The entry inside a zip archive, when the file is one.
    public var entry: String?
    /// Physical line in the source (1-based; a quoted field with newlines spans several lines).
    public var line: Int?
    /// The column's title as written in the file's header.
    public var column: String?
    /// Byte offset in the (decompressed) source stream.
    public var byteOffset: Int64?

    public init(file: String, entry: String? = nil, line: Int? = nil, column: String? = nil, byteOffset: Int64? = nil) {
        self.file = file
        self.entry = entry
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// `file` or `archive.zip!entry.csv`: the name used in `sources` columns.
    public var displayName: String {
        if let entry { return "\(file)!\(entry)" }
        return file
    }

    /// `file:line` (or just the file), as written in `sources`.
    public var fileLine: String {
        if let line { return "\(displayName):\(line)" }
        return displayName
    }

    public var description: String {
        var text = fileLine
        if let column { text += " [\(column)]" }
        if let byteOffset { text += " (byte \(byteOffset))" }
        return text
    }
}
