import Testing
import ZizhuCore

@Suite struct LanguageTests {
    @Test func chineseUnlessAskedOtherwise() throws {
        #expect(try Language.resolve(flag: nil, environment: [:]) == .zh)
        #expect(try Language.resolve(flag: nil, environment: ["LANG": "C.UTF-8"]) == .zh)
        #expect(try Language.resolve(flag: nil, environment: ["LANG": "zh_CN.UTF-8"]) == .zh)
    }

    @Test func englishLocaleFlagOrVariable() throws {
        #expect(try Language.resolve(flag: nil, environment: ["LANG": "en_US.UTF-8"]) == .en)
        #expect(try Language.resolve(flag: nil, environment: ["ZIZHU_LANG": "en"]) == .en)
        #expect(try Language.resolve(flag: "en", environment: ["ZIZHU_LANG": "zh"]) == .en)
        // The first locale variable that is set decides, as in POSIX.
        #expect(try Language.resolve(flag: nil, environment: ["LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"]) == .zh)
        #expect(try Language.resolve(flag: nil, environment: ["ZIZHU_LANG": "zh", "LANG": "en_US.UTF-8"]) == .zh)
    }

    @Test func anUnknownFlagIsAUsageError() {
        #expect(throws: ZizhuError.self) { try Language.resolve(flag: "fr", environment: [:]) }
        #expect(Language(spelling: "fr_FR") == nil)
    }
}
