import Foundation
import Testing
@testable import ZizhuPackage

private let fingerprint = "3f7a9c0e5b2d4f6812ab34cd56ef7890a1b2c3d4e5f60718293a4b5c6d7e8f90"

private func samplePage(schoolName: String = "济南交通技工学校", signed: Bool = false) -> DeclarationPage {
    var declaration = Declaration(
        schoolCode: "3701J001", schoolName: schoolName, term: "2023-fall", termName: "2023年秋季学期",
        counts: DeclarationCounts(rosterRows: 15321, applicationRows: 9876, fullTimeEnrolled: 14873,
                                  applicationsByAidType: ["国家助学金": 4321, "免学费": 5432],
                                  grantApplicationsByTier: ["一档": 1234, "二档": 2345, "三档": 742],
                                  grantAmount: "4321000.00"),
        fingerprint: fingerprint,
        statement: Declaration.standardStatement(schoolName: schoolName, termName: "2023年秋季学期"))
    if signed {
        declaration.signature = .init(algorithm: "Ed25519", publicKey: "AA==", keyId: "0123456789abcdef", value: "AA==")
    }
    let manifest = PackageManifest(
        schoolCode: "3701J001", schoolName: schoolName, schoolCity: "370100", term: "2023-fall",
        generatedAt: "2023-10-30T09:15:00+08:00", tool: "zizhu 0.3.0",
        files: [
            .init(path: "roster.csv.gz", schema: "roster", bytes: 812_345, sha256: String(repeating: "a1", count: 32),
                  rows: 15321),
            .init(path: "applications.csv.gz", schema: "applications", bytes: 402_117,
                  sha256: String(repeating: "b2", count: 32), rows: 9876),
        ])
    return DeclarationPage(declaration: declaration, manifest: manifest, packageFileName: "3701J001_2023-fall.zip")
}

@Test func pageShowsSchoolTermCountsFingerprintAndSignatureLines() throws {
    let html = try samplePage().render()
    for text in ["申报数据真实性声明", "济南交通技工学校", "3701J001", "2023年秋季学期", "3701J001_2023-fall.zip",
                 "全日制在籍学生数", ">14873<", "国家助学金", ">4321<", "免学费", ">5432<",
                 "一档", ">1234<", "二档", ">2345<", "三档", ">742<",
                 "国家助学金申报总金额", "4,321,000.00", "肆佰叁拾贰万壹仟元整",
                 "3f7a 9c0e 5b2d 4f68 12ab 34cd 56ef 7890\na1b2 c3d4 e5f6 0718 293a 4b5c 6d7e 8f90",
                 String(repeating: "a1", count: 32), ">15321<", ">9876<",
                 "真实、完整、准确", "校长签字", "学校盖章", "日期", "年", "月", "日",
                 "2023-10-30T09:15:00+08:00", "@page { size: A4"] {
        #expect(html.contains(text), "missing \(text)")
    }
    #expect(html.contains("content=\"\(fingerprint)\""), "the whole fingerprint, for a machine to find")
    #expect(!html.contains("已电子签名"), "unsigned")
    #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "self-contained")
}

@Test func signedPageNamesTheKey() throws {
    let html = try samplePage(signed: true).render()
    #expect(html.contains("已电子签名（Ed25519）"))
    #expect(html.contains("0123456789abcdef"))
}

@Test func hostileSchoolNameIsEscaped() throws {
    let html = try samplePage(schoolName: "<script>alert(\"x\")</script>&'学校").render()
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;学校"))
}

@Test func twoRendersAreIdentical() throws {
    #expect(try samplePage().render() == samplePage().render())
    #expect(try samplePage(signed: true).render() == samplePage(signed: true).render())
}

@Test func countsListTheStandardKeysFirstWithZerosThenOthersSorted() {
    let ordered = DeclarationPage.ordered(["三档": 3, "未定档": 2, "一档": 1, "B": 9], first: DeclarationPage.standardTiers)
    #expect(ordered.map(\.key) == ["一档", "二档", "三档", "B", "未定档"])
    #expect(ordered.map(\.value) == [1, 0, 3, 9, 2])
}

@Test func fingerprintIsGroupedByFourEightToALine() {
    #expect(DeclarationPage.fingerprintLines(fingerprint) == [
        "3f7a 9c0e 5b2d 4f68 12ab 34cd 56ef 7890", "a1b2 c3d4 e5f6 0718 293a 4b5c 6d7e 8f90",
    ])
    #expect(DeclarationPage.fingerprintLines("abcdef") == ["abcd ef"])
    #expect(DeclarationPage.fingerprintLines("") == [])
}

@Test func amountsAreGroupedByThousands() {
    #expect(DeclarationPage.groupedYuan("2250.00") == "2,250.00")
    #expect(DeclarationPage.groupedYuan("1234567.5") == "1,234,567.50")
    #expect(DeclarationPage.groupedYuan("999") == "999.00")
    #expect(DeclarationPage.groupedYuan("0.00") == "0.00")
    #expect(DeclarationPage.groupedYuan("-5.00") == nil)
    #expect(DeclarationPage.groupedYuan("1.234") == nil)
    #expect(DeclarationPage.groupedYuan("1.") == nil)
    #expect(DeclarationPage.groupedYuan("abc") == nil)
    #expect(DeclarationPage.groupedYuan("") == nil)
}

@Test func amountsInFinancialCapitals() {
    let cases: [(String, String)] = [
        ("0.00", "零元整"), ("0.05", "伍分"), ("0.50", "伍角整"), ("1.00", "壹元整"), ("10.00", "壹拾元整"),
        ("2250.00", "贰仟贰佰伍拾元整"), ("1005.30", "壹仟零伍元叁角整"), ("1000.05", "壹仟元零伍分"),
        ("100000.05", "壹拾万元零伍分"), ("10500.00", "壹万零伍佰元整"), ("100010000.00", "壹亿零壹万元整"),
        ("100000001.00", "壹亿零壹元整"), ("1010.01", "壹仟零壹拾元零壹分"), ("4321000.00", "肆佰叁拾贰万壹仟元整"),
        ("20000000.23", "贰仟万元贰角叁分"), ("300045.6", "叁拾万零肆拾伍元陆角整"), ("007.00", "柒元整"),
    ]
    for (amount, expected) in cases {
        #expect(DeclarationPage.chineseUppercaseYuan(amount) == expected, "\(amount)")
    }
    #expect(DeclarationPage.chineseUppercaseYuan(String(repeating: "9", count: 17) + ".00") == nil)
    #expect(DeclarationPage.chineseUppercaseYuan("1e5") == nil)
}

@Test func longNamesAndMoreRowsShrinkThePrintedSheetToStayOnOnePage() throws {
    let typical = "广州市轻工业高级技工学校（广州市轻工技师学院）南沙校区"
    let statement = { (name: String) in Declaration.standardStatement(schoolName: name, termName: "2023年秋季学期") }
    #expect(DeclarationPage.printScalePercent(schoolName: typical, statement: statement(typical), countRows: 6,
                                              signed: true) == 100)
    let long = String(repeating: typical, count: 3)
    let shrunk = DeclarationPage.printScalePercent(schoolName: long, statement: statement(long), countRows: 8,
                                                   signed: true)
    #expect(shrunk < 100 && shrunk >= 70)
    let huge = String(repeating: typical, count: 40)
    #expect(DeclarationPage.printScalePercent(schoolName: huge, statement: statement(huge), countRows: 30,
                                              signed: true) == 70)
    #expect(!(try samplePage().render()).contains("zoom"))
    let html = try samplePage(schoolName: long).render()
    #expect(html.contains("@media print { .sheet { zoom: \(DeclarationPage.printScalePercent(schoolName: long, statement: statement(long), countRows: 6, signed: false))%;"))
}

/// A real-looking 44-character school name (新疆 schools with a 技师学院 second name reach it).
let longSchoolName = "新疆维吾尔自治区乌鲁木齐市交通运输高级技工学校（乌鲁木齐市交通运输技师学院）米东区分校区"

@Test func aFortyFourCharacterSchoolNameIsPrintedWholeOnOnePage() throws {
    #expect(longSchoolName.count == 44)
    let page = samplePage(schoolName: longSchoolName, signed: true)
    let html = try page.render()
    #expect(html.contains("<td class=\"name\" colspan=\"3\">\(longSchoolName)</td>"), "the name whole, in one cell")
    // The print CSS keeps one A4 portrait page: the size, no forced break, the signature block whole.
    #expect(html.contains("@page { size: A4 portrait;"))
    #expect(!html.contains("break-before: page") && !html.contains("page-break-before"))
    #expect(html.contains("header, table, .fp, .statement, .sign { break-inside: avoid; }"))
    for text in ["校长签字", "学校盖章", "（盖章处）", "已电子签名（Ed25519）"] { #expect(html.contains(text), "\(text)") }
    // The name takes a second line of the name cell; the height model keeps the sheet unscaled or
    // shrinks it no further than 70 % (scripts/screenshots.sh prints it and counts the pages).
    let percent = DeclarationPage.printScalePercent(schoolName: longSchoolName, statement: page.declaration.statement,
                                                    countRows: 6, signed: true)
    #expect(percent >= 70 && percent <= 100)
    #expect(html.contains("zoom:") == (percent < 100))
}

@Test func everyDeclarationLabelHasChineseAndEnglish() {
    for label in DeclarationLabel.allCases {
        let entry = DeclarationLabel.table[label]
        #expect(entry != nil, "\(label) has no words")
        #expect(!(entry?.zh.isEmpty ?? true) && !(entry?.en.isEmpty ?? true), "\(label)")
        let holes = { (text: String) in (0..<4).filter { text.contains("{\($0)}") } }
        #expect(holes(entry?.zh ?? "") == holes(entry?.en ?? ""), "\(label)")
    }
    #expect(DeclarationLabel.table.count == DeclarationLabel.allCases.count)
}

@Test func englishDeclarationKeepsTheSignedWordsAndCodes() throws {
    var page = samplePage(signed: true)
    page.language = .en
    let html = try page.render()
    for text in ["<html lang=\"en\">", "<th>School code</th>", "Principal", "School seal:", "1. Declared data",
                 "申报数据真实性声明", "真实、完整、准确", "3701J001_2023-fall.zip", "0123456789abcdef", "Signed electronically (Ed25519)"] {
        #expect(html.contains(text), "missing \(text)")
    }
    #expect(!html.contains("校长签字") && !html.contains("学校盖章"))
}
