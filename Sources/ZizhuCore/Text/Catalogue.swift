/// The one message catalogue: every word zizhu says to people, by a stable key, in Chinese and
/// English, with `{name}` placeholders for what changes. Keys are rule codes (`ID_CHECKSUM`),
/// finding codes (`R05`) and dotted names (`error.locate.unknown`); the entries are split by area
/// into `Catalogue+*.swift` files, each a plain table. Codes and field names never change with the
/// language: offices script against them. `CatalogueTests` fails when a key lacks a language, a
/// text is empty, the Chinese has no Chinese in it, the two languages' placeholders differ or a
/// key is used in the sources but missing here.
public enum Catalogue {
    public struct Entry: Sendable {
        public let key: String
        public let zh: String
        public let en: String

        public init(_ key: String, zh: String, en: String) {
            self.key = key
            self.zh = zh
            self.en = en
        }

        public func text(_ language: Language) -> String {
            switch language {
            case .zh: zh
            case .en: en
            }
        }
    }

    /// Every entry of every area, in file order (duplicates included, so a test can find them).
    public static let all: [Entry] = general + errors + rules + findings + details + submitDetails + mergeDetails + summary + reconcileWarnings
        + workbook
        + archive
        + pipeline
        + keys
        + reference
        + historyErrors
        + serveErrors
        + jobErrors
        + verifyProblems
        + findingNames

    /// The entries by key (the first entry of a key wins; `CatalogueTests` forbids a second).
    public static let entries: [String: Entry] = {
        var byKey: [String: Entry] = [:]
        for entry in all where byKey[entry.key] == nil { byKey[entry.key] = entry }
        return byKey
    }()

    /// The text of `key` in `language` with its `{name}` placeholders filled from `arguments`. A key
    /// the catalogue lacks renders as the key and its arguments (a test forbids that in the sources).
    public static func render(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        guard let entry = entries[key] else {
            if arguments.isEmpty { return key }
            return key + " " + arguments.keys.sorted().map { "\($0)=\(arguments[$0] ?? "")" }.joined(separator: " ")
        }
        return fill(entry.text(language), arguments)
    }

    /// `template` with every `{name}` replaced by `arguments[name]` (unknown names are left as written).
    public static func fill(_ template: String, _ arguments: [String: String]) -> String {
        guard !arguments.isEmpty, template.contains("{") else { return template }
        var out = ""
        out.reserveCapacity(template.utf8.count + 16)
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[rest.startIndex..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else {
                rest = rest[open...]
                break
            }
            let name = String(rest[afterOpen..<close])
            if let value = arguments[name] {
                out += value
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// The `{name}` placeholders of `template`, sorted.
    public static func placeholders(_ template: String) -> [String] {
        var names: Set<String> = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            let name = rest[afterOpen..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { names.insert(String(name)) }
            rest = rest[rest.index(after: close)...]
        }
        return names.sorted()
    }
}
