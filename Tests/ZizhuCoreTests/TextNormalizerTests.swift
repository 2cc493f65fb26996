import Testing
import ZizhuCore

@Suite struct TextNormalizerTests {
    private func text(_ s: String) -> String { TextNormalizer.normalize(s, mode: .text) }
    private func name(_ s: String) -> String { TextNormalizer.normalize(s, mode: .name) }
    private func compact(_ s: String) -> String { TextNormalizer.normalize(s, mode: .compact) }

    @Test func foldsFullWidthASCII() {
        #expect(text("ＡＢＣ１２３，．！") == "ABC123,.!")
        #expect(text("金额（元）") == "金额(元)")
        #expect(text("～｛｝") == "~{}")
        #expect(text("Ａ\u{3000}Ｂ") == "A B")
        #expect(text("￥100") == "￥100")   // U+FFE5 is outside the ASCII block: left to the money parser
    }

    @Test func trimsAndCollapsesWhiteSpaceInTextMode() {
        #expect(text("  山东省   青岛市  ") == "山东省 青岛市")
        #expect(text("a\t\tb\r\nc\u{00A0}d\u{3000}\u{3000}e") == "a b c d e")
        #expect(text("\u{2003}x\u{202F}y\u{2009}") == "x y")
        #expect(text("   ") == "")
        #expect(text("") == "")
    }

    @Test func plainASCIIIsCopiedUnchanged() {
        #expect(text("2023-09-01") == "2023-09-01")
        #expect(text("Zhang San") == "Zhang San")
        #expect(text("Zhang  San") == "Zhang San")
        #expect(compact("AB-12") == "AB-12")
        #expect(compact("AB 12") == "AB12")
    }

    @Test func removesAllWhiteSpaceInCompactMode() {
        #expect(compact(" 3701 0219 9001 0112 31 ") == "370102199001011231")
        #expect(compact("６２１２\u{3000}８５") == "621285")
        #expect(compact("a\r\nb") == "ab")
    }

    @Test func dropsZeroWidthCharactersAndStrayBOM() {
        #expect(text("\u{FEFF}姓名") == "姓名")
        #expect(compact("张\u{200B}三") == "张三")
    }

    @Test func stripsExcelApostropheAndFormulaWrapper() {
        #expect(compact("'370102199001011231") == "370102199001011231")
        #expect(text("''abc") == "'abc")                 // only one apostrophe is Excel's
        #expect(compact("=\"0123\"") == "0123")
        #expect(text("  =\"0123\"  ") == "0123")
        #expect(text("=\"\"") == "")
        #expect(text("=SUM(A1)") == "=SUM(A1)")          // not a wrapper: kept as written
        #expect(text("=\"abc") == "=\"abc")
        #expect(text("it's") == "it's")
    }

    @Test func composesDecomposedAccents() {
        let decomposed = "Jose\u{0301}"           // e + COMBINING ACUTE ACCENT
        let result = text(decomposed)
        #expect(result == "Jos\u{00E9}")
        #expect(result.unicodeScalars.count == 4)
        #expect(text("caf\u{00E9}") == "caf\u{00E9}")   // already composed: fast path, unchanged
        #expect(text("\u{1100}\u{1161}") == "\u{AC00}")  // Hangul jamo compose to 가
    }

    @Test func namesLoseWhiteSpaceAndGetMiddleDots() {
        #expect(name(" 张 三 ") == "张三")
        #expect(name("买买提•艾力") == "买买提·艾力")
        #expect(name("买买提・艾力") == "买买提·艾力")
        #expect(name("买买提‧艾力") == "买买提·艾力")
        #expect(name("买买提．艾力") == "买买提·艾力")
        #expect(name("买买提.艾力") == "买买提·艾力")
        #expect(name("买买提 · 艾力") == "买买提·艾力")
        #expect(name("阿依古丽\u{3000}·\u{3000}吐尔逊") == "阿依古丽·吐尔逊")
    }

    @Test func namesUpperCaseLatinLetters() {
        #expect(name("zhang san") == "ZHANGSAN")
        #expect(name("ｊｏｈｎ") == "JOHN")
        #expect(name("José") == "JOSÉ")
        #expect(name("Jose\u{0301}") == "JOS\u{00C9}")
        #expect(text("zhang san") == "zhang san")          // text mode keeps case
        #expect(name("J.SMITH") == "J·SMITH")
        #expect(name("JOHN SMITH") == "JOHNSMITH")
        #expect(name("WANG") == "WANG")
    }

    @Test func invalidUTF8BecomesReplacementCharacter() {
        var output: [UInt8] = []
        let bytes: [UInt8] = [0x61, 0xFF, 0x62]
        bytes.withUnsafeBufferPointer { TextNormalizer.normalize($0, mode: .text, into: &output) }
        #expect(String(decoding: output, as: UTF8.self) == "a\u{FFFD}b")
    }

    @Test func appendsAfterExistingOutput() {
        var output = Array("前缀|".utf8)
        Array(" ＡＢ ".utf8).withUnsafeBufferPointer { TextNormalizer.normalize($0, mode: .text, into: &output) }
        Array("e\u{0301}".utf8).withUnsafeBufferPointer { TextNormalizer.normalize($0, mode: .text, into: &output) }
        #expect(String(decoding: output, as: UTF8.self) == "前缀|AB\u{00E9}")
    }

    @Test func headerKeysIgnoreMarkersUnitsWidthAndCase() {
        let key = TextNormalizer.headerKey("金额")
        #expect(TextNormalizer.headerKey("金额（元）*") == key)
        #expect(TextNormalizer.headerKey("金额(元)") == key)
        #expect(TextNormalizer.headerKey("金额[元]") == key)
        #expect(TextNormalizer.headerKey("金额【元】") == key)
        #expect(TextNormalizer.headerKey("*金额") == key)
        #expect(TextNormalizer.headerKey(" 金 额 ＊") == key)
        #expect(TextNormalizer.headerKey("金额*(元)") == key)
        #expect(TextNormalizer.headerKey("\u{FEFF}金额") == key)
        #expect(TextNormalizer.headerKey("ID Number") == "idnumber")
        #expect(TextNormalizer.headerKey("ＩＤ") == "id")
        #expect(TextNormalizer.headerKey("(元)") == "(元)")
        #expect(TextNormalizer.headerKey("金额") != TextNormalizer.headerKey("资助金额"))
    }
}

@Suite struct MaskingTests {
    @Test func idsKeepSixAndFour() {
        #expect(Masking.id("370102199001011231") == "370102********1231")
        #expect(Masking.id("370102900101123") == "370102*****1123")
        #expect(Masking.id("3.70102E+17") == "***********")
        #expect(Masking.id("E12345678") == "*********")
        #expect(Masking.id("") == "")
    }

    @Test func accountsKeepTheLastFour() {
        #expect(Masking.account("6212261000001234565") == "***************4565")
        #expect(Masking.account("62122610") == "****2610")
        #expect(Masking.account("6212261") == "*******")
        #expect(Masking.account("") == "")
    }

    @Test func nonASCIIValuesAreMaskedByCharacter() {
        // Full-width or CJK text (a rejected value as written) takes the character path: the same
        // rule, counted in characters, never in bytes.
        #expect(Masking.id("３７０１０２１９９００１０１１２３１") == "３７０１０２********１２３１")
        #expect(Masking.id("身份证号码未填写") == "********")
        #expect(Masking.account("６２１２２６１０") == "****２６１０")
        #expect(Masking.account("卡号") == "**")
    }
}
