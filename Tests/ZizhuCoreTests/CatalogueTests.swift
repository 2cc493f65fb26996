import Foundation
import Testing
import ZizhuCore

/// The message catalogue: every message exists in both languages, Chinese is Chinese, the two
/// languages take the same placeholders, and every key the sources use is in it.
@Suite struct CatalogueTests {
    @Test func everyKeyHasChineseAndEnglishText() {
        for entry in Catalogue.all {
            #expect(!entry.key.isEmpty)
            #expect(!entry.zh.trimmingCharacters(in: .whitespaces).isEmpty, "\(entry.key) has no Chinese text")
            #expect(!entry.en.trimmingCharacters(in: .whitespaces).isEmpty, "\(entry.key) has no English text")
        }
    }

    @Test func theChineseTextIsChinese() {
        // Every Chinese text holds a CJK ideograph, or (a pure template such as `{field}：{message}`)
        // no Latin letter outside its placeholders.
        for entry in Catalogue.all {
            var words = entry.zh
            for name in Catalogue.placeholders(words) { words = words.replacingOccurrences(of: "{\(name)}", with: "") }
            let chinese = words.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
            let latin = words.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
            #expect(chinese || !latin, "\(entry.key): \(entry.zh)")
            #expect(chinese || entry.zh != entry.en, "\(entry.key): the Chinese is the English")
        }
        #expect(Catalogue.render("summary.list", .zh) == "、")
    }

    @Test func bothLanguagesTakeTheSamePlaceholders() {
        for entry in Catalogue.all {
            #expect(Catalogue.placeholders(entry.zh) == Catalogue.placeholders(entry.en), "\(entry.key)")
        }
    }

    @Test func noKeyIsDefinedTwice() {
        var seen: Set<String> = []
        for entry in Catalogue.all {
            #expect(seen.insert(entry.key).inserted, "\(entry.key) is defined twice")
        }
    }

    @Test func findingCodesHaveTheirMeaningInBothLanguages() {
        for entry in FindingCatalog.entries {
            #expect(Catalogue.entries[entry.code] != nil, "\(entry.code)")
            #expect(entry.summary(.en) == entry.summary)
            #expect(entry.summary(.zh) != entry.summary)
        }
    }

    /// Every key written in the sources as `Message("key"…)`, `say("key"…)` or `language("key"…)`
    /// (both keys of a `cond ? "a" : "b"`) is in the catalogue: a message in no language fails here.
    @Test func everyKeyTheSourcesUseIsInTheCatalogue() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let pattern = try NSRegularExpression(
            pattern: #"(?:Message|say|language)\((?:[^"()]*\?\s*)?"([^"]+)"(?:\s*:\s*"([^"]+)")?"#)
        var used: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.path.contains("/Text/Catalogue") else { continue }
            let text = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            let range = NSRange(text.startIndex..., in: text)
            for match in pattern.matches(in: text, range: range) {
                for group in 1...2 {
                    if let r = Range(match.range(at: group), in: text) { used.insert(String(text[r])) }
                }
            }
        }
        #expect(used.count > 50)
        for key in used.sorted() {
            #expect(Catalogue.entries[key] != nil, "\(key) is used in Sources but not in the catalogue")
        }
    }

    @Test func placeholdersAreFilledNotConcatenated() {
        #expect(Catalogue.render("value.id.length", .zh, ["length": "17"]) == "身份证号应为 18 位（旧式为 15 位数字），此号码为 17 位")
        #expect(Catalogue.render("value.id.length", .en, ["length": "17"])
            == "an id number has 18 characters (or 15 digits in the old form), this one has 17")
        // A value holding braces is not read as a placeholder.
        #expect(Catalogue.fill("a {x} b", ["x": "{y}", "y": "no"]) == "a {y} b")
    }

    @Test func anErrorAndItsHintInBothLanguages() {
        let error = ZizhuError(.configuration, Message("error.locate.unknown", ["name": "rostr"], parts: ["kind": Message("word.schema")]),
                               hint: Message("error.locate.unknown.hint", ["folder": "schemas", "names": "roster, applications", "ext": "json"]))
        #expect(error.text(.zh) == "错误[CONFIGURATION]：未知的表结构「rostr」\n  提示：schemas：roster, applications；或给出 .json 文件的路径")
        #expect(error.text(.en) == "error[CONFIGURATION]: unknown schema 'rostr'\n  hint: schemas: roster, applications; or give a path to a .json file")
        // The English text stays in `message` for logs and code that matches on it.
        #expect(error.message == error.message(.en))
        #expect(error.code.name == "CONFIGURATION")
    }

    @Test func aValueErrorInBothLanguages() {
        guard case .failure(let error) = ResidentID.parse("11010519491231002") else {
            Issue.record("a 17-digit id must not parse")
            return
        }
        #expect(error.rule == "ID_LENGTH")
        #expect(error.message(.zh) == "身份证号应为 18 位（旧式为 15 位数字），此号码为 17 位")
        #expect(error.message(.en) == "an id number has 18 characters (or 15 digits in the old form), this one has 17")
        #expect(error.hint(.zh) == "检查是否多了或少了数字")
        #expect(error.hint(.en) == "check for missing or extra digits")
    }

    @Test func aListJoinsInTheLanguagesOwnWay() {
        let list = Message(list: [Message("reconcile.termCount", ["term": "2023-fall", "rows": "3"]),
                                  Message("reconcile.termCount.one", ["term": "2024-spring", "rows": "1"])])
        #expect(list.text(.en) == "2023-fall 3 rows, 2024-spring 1 row")
        #expect(list.text(.zh) == "2023-fall 3 行、2024-spring 1 行")
    }
}
