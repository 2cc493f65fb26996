/// Words for people, kept as a catalogue key and its named arguments until a language is chosen:
/// `Message("error.run.set", ["text": "term"])` renders `--set 的写法是 名称=值，而不是「term」` in Chinese
/// and `--set takes name=value, not 'term'` in English (see `Catalogue`). Dynamic parts — file names, numbers,
/// titles — are arguments, never concatenated into the text.
public struct Message: Sendable, Hashable, CustomStringConvertible {
    /// A key of `Catalogue.entries`: a rule or finding code (`ID_CHECKSUM`, `R05`) or a dotted name.
    public let key: String
    /// `{name}` placeholders of the entry → their values (already masked where personal).
    public let arguments: [String: String]
    /// Placeholders filled with other messages, rendered in the same language.
    public let parts: [String: Message]

    public init(_ key: String, _ arguments: [String: String] = [:], parts: [String: Message] = [:]) {
        self.key = key
        self.arguments = arguments
        self.parts = parts
    }

    /// Text that is the same in every language (a message written as plain text at its source,
    /// e.g. one from a library): it renders as written.
    public init(verbatim text: String) {
        self.init(Self.verbatimKey, ["text": text])
    }

    /// Messages joined as a list: by default `、` between items in Chinese, `, ` in English;
    /// `separator` names another catalogue entry to join with (`summary.semicolon`: `；` / `; `).
    public init(list items: [Message], separator: String = "summary.list") {
        var parts: [String: Message] = [:]
        for (index, item) in items.enumerated() { parts[String(index)] = item }
        self.init(Self.listKey, ["count": String(items.count), "separator": separator], parts: parts)
    }

    static let verbatimKey = "="
    static let listKey = "[]"

    /// The text in `language`.
    public func text(_ language: Language) -> String {
        if key == Self.verbatimKey { return arguments["text"] ?? "" }
        if key == Self.listKey {
            let count = Int(arguments["count"] ?? "") ?? 0
            return (0..<count).compactMap { parts[String($0)]?.text(language) }.joined(separator: language(arguments["separator"] ?? "summary.list"))
        }
        guard !parts.isEmpty else { return Catalogue.render(key, language, arguments) }
        var all = arguments
        for (name, part) in parts { all[name] = part.text(language) }
        return Catalogue.render(key, language, all)
    }

    /// Chinese, the default language.
    public var description: String { text(.zh) }
}

extension Language {
    /// `message` in this language.
    public func callAsFunction(_ key: String, _ arguments: [String: String] = [:]) -> String {
        Catalogue.render(key, self, arguments)
    }
}
