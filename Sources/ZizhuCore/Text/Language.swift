/// The language people read zizhu's words in: Chinese first, English on request. Codes (R01, S12,
/// M05, rule codes) and field names never change with it: offices script against them.
public enum Language: String, Sendable, CaseIterable, Hashable {
    case zh
    case en

    /// A language from how people and systems spell it: `zh`, `zh_CN.UTF-8`, `zh-Hans`, `en`,
    /// `en_US.UTF-8`, `C.UTF-8` … (case-insensitive). Nil when it names neither language.
    public init?(spelling: String) {
        let lowered = spelling.lowercased()
        if lowered == "zh" || lowered.hasPrefix("zh_") || lowered.hasPrefix("zh-") || lowered.hasPrefix("zh.")
            || lowered == "中文" {
            self = .zh
        } else if lowered == "en" || lowered.hasPrefix("en_") || lowered.hasPrefix("en-") || lowered.hasPrefix("en.")
            || lowered == "english" {
            self = .en
        } else {
            return nil
        }
    }

    /// The language of a run: `--lang` when given (an unknown spelling is a usage error), then
    /// `ZIZHU_LANG`, then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, first set wins) when it is
    /// English; Chinese otherwise — the people this tool serves read Chinese.
    public static func resolve(flag: String?, environment: [String: String]) throws(ZizhuError) -> Language {
        if let flag {
            guard let language = Language(spelling: flag) else {
                throw ZizhuError(.usage, Message("error.language.unknown", ["lang": flag]), hint: Message("error.language.unknown.hint"))
            }
            return language
        }
        if let chosen = environment["ZIZHU_LANG"], !chosen.isEmpty, let language = Language(spelling: chosen) {
            return language
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return Language(spelling: value) == .en ? .en : .zh
        }
        return .zh
    }
}
