import Foundation
import Testing
import ZizhuTestSupport

/// Chinese first (issue 15): the run summary, errors and their hints and the rejects'
/// descriptions are Chinese by default, English with --lang en, ZIZHU_LANG=en or an English
/// LANG; codes and field names never change with the language.

private let roster = """
学籍号,姓名,身份证号码,性别,学习形式,学籍状态
S1,王小明,11010519491231002X,女,全日制,在籍
S2,李四,1101051949123100,男,全日制,在籍

"""

/// The environment of a shell with no language chosen: no ZIZHU_LANG, a neutral locale.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private let neutral = ["ZIZHU_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"]

@Suite struct LanguageCommandTests {
    private func validate(_ extra: [String], environment: [String: String]) throws -> (result: (status: Int32, out: String, err: String), rejects: String) {
        let dir = try ScratchFolder(prefix: "zizhu-lang")
        defer { dir.cleanUp() }
        let file = try dir.write("roster.csv", Array(roster.utf8))
        let out = dir.url.appendingPathComponent("out").path
        let result = try CLI.run(["validate", "--schema", "roster", file, "--out", out, "--quiet"] + extra, environment: environment)
        let rejects = try String(contentsOfFile: out + "/rejects.csv", encoding: .utf8)
        return (result, rejects)
    }

    @Test func theRunSummaryIsChineseByDefault() throws {
        let (result, rejects) = try validate([], environment: neutral)
        #expect(result.status == 1)
        #expect(result.out.contains("roster.csv：读入 2 行，接受 1 行，拒绝 1 行"), "\(result.out)")
        #expect(result.out.contains("拒绝最多的规则：ID_LENGTH 1"), "\(result.out)")
        #expect(result.out.contains("合计：读入 2 行 = 接受 1 行 + 拒绝 1 行"), "\(result.out)")
        #expect(result.out.contains("输出目录："), "\(result.out)")
        #expect(!result.out.contains("rows read"), "\(result.out)")
        // The rule stays its code; the description and hint are Chinese.
        #expect(rejects.contains("ID_LENGTH"))
        #expect(rejects.contains("身份证号码：身份证号应为 18 位（旧式为 15 位数字），此号码为 16 位"), "\(rejects)")
        #expect(rejects.contains("检查是否多了或少了数字"), "\(rejects)")
    }

    @Test func theRunSummaryIsEnglishWithLangEn() throws {
        let (result, rejects) = try validate(["--lang", "en"], environment: neutral)
        #expect(result.status == 1)
        #expect(result.out.contains("roster.csv: 2 rows read, 1 accepted, 1 rejected"), "\(result.out)")
        #expect(result.out.contains("top reject rules: ID_LENGTH 1"), "\(result.out)")
        #expect(result.out.contains("total: 2 read = 1 accepted + 1 rejected"), "\(result.out)")
        #expect(result.out.contains("outputs: "), "\(result.out)")
        #expect(rejects.contains("ID_LENGTH"))
        #expect(rejects.contains("身份证号码: an id number has 18 characters (or 15 digits in the old form), this one has 16"), "\(rejects)")
        #expect(rejects.contains("check for missing or extra digits"), "\(rejects)")
    }

    @Test func zizhuLangAndAnEnglishLocaleChooseEnglish() throws {
        var english = neutral
        english["ZIZHU_LANG"] = "en"
        #expect(try validate([], environment: english).result.out.contains("2 rows read, 1 accepted, 1 rejected"))
        var locale = neutral
        locale["LANG"] = "en_US.UTF-8"
        #expect(try validate([], environment: locale).result.out.contains("2 rows read, 1 accepted, 1 rejected"))
        // --lang wins over the environment.
        #expect(try validate(["--lang", "zh"], environment: locale).result.out.contains("读入 2 行，接受 1 行，拒绝 1 行"))
    }

    @Test func anErrorAndItsHintInBothLanguages() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang")
        defer { dir.cleanUp() }
        let file = try dir.write("roster.csv", Array(roster.utf8))
        let chinese = try CLI.run(["validate", "--schema", "rostr", file, "--quiet"], environment: neutral)
        #expect(chinese.status == 2)
        #expect(chinese.err.contains("错误[CONFIGURATION]：未知的表结构「rostr」"), "\(chinese.err)")
        #expect(chinese.err.contains("提示：schemas：roster, applications"), "\(chinese.err)")
        let english = try CLI.run(["validate", "--schema", "rostr", file, "--quiet", "--lang", "en"], environment: neutral)
        #expect(english.status == 2)
        #expect(english.err.contains("error[CONFIGURATION]: unknown schema 'rostr'"), "\(english.err)")
        #expect(english.err.contains("hint: schemas: roster, applications"), "\(english.err)")
    }

    @Test func anUnknownLanguageIsAUsageError() throws {
        let result = try CLI.run(["validate", "--schema", "roster", "x.csv", "--lang", "fr"], environment: neutral)
        #expect(result.status == 2)
        #expect(result.err.contains("未知语言「fr」"), "\(result.err)")
    }

    @Test func helpAbstractsAreChineseThenEnglish() throws {
        let result = try CLI.run(["--help"], environment: neutral)
        #expect(result.status == 0)
        #expect(result.out.contains("核对审批名单与银行代发/回盘文件"), "\(result.out)")
        #expect(result.out.contains("Reconcile approved"), "\(result.out)")
        let validate = try CLI.run(["validate", "--help"], environment: neutral)
        #expect(validate.out.contains("--lang <zh|en>"), "\(validate.out)")
    }

    @Test func reconcileWarningsAndTheDetailColumnAreChineseByDefault() throws {
        let finance = root.appendingPathComponent("sample-data/finance")
        let dir = try ScratchFolder(prefix: "zizhu-lang")
        defer { dir.cleanUp() }
        let ledger = try dir.write("empty-ledger.csv", Array("交易日期,收款账号,金额,交易状态\n".utf8))
        let result = try CLI.run(["reconcile", "--term", "2022-spring", "--approved", finance.appendingPathComponent("approved.csv").path,
                                  "--ledger", ledger, "--out", dir.file("out"), "--quiet"], environment: neutral)
        #expect(result.out.contains("学期：2022-spring"), "\(result.out)\(result.err)")
        #expect(result.out.contains("警告：学期 2022-spring 与审批名单中的任何行都不匹配"), "\(result.out)")
        #expect(result.out.contains("属于 2023-fall 79 行、2023-spring 1 行（请检查 --term）"), "\(result.out)")
        #expect(result.out.contains("警告：银行发放明细没有数据行"), "\(result.out)")

        let right = try CLI.run(["reconcile", "--term", "2023-fall", "--approved", finance.appendingPathComponent("approved.csv").path,
                                 "--ledger", finance.appendingPathComponent("ledger-ccb.csv").path, "--out", dir.file("right"), "--quiet"],
                                environment: neutral)
        #expect(right.status == 1)
        let findings = try CSVTable.read(URL(fileURLWithPath: dir.file("right") + "/discrepancies.csv"))
        let r01 = try #require(findings.first { $0["code"] == "R01" })
        #expect(r01["detail"]?.hasPrefix("审批 ") == true, "\(r01)")
        #expect(r01["detail"]?.contains("无任何银行发放记录（应发未发）") == true, "\(r01)")
        let english = try CLI.run(["reconcile", "--term", "2023-fall", "--approved", finance.appendingPathComponent("approved.csv").path,
                                   "--ledger", finance.appendingPathComponent("ledger-ccb.csv").path, "--out", dir.file("en"), "--quiet",
                                   "--lang", "en"], environment: neutral)
        let englishFindings = try CSVTable.read(URL(fileURLWithPath: dir.file("en") + "/discrepancies.csv"))
        // The same findings, codes and columns; only the detail's words differ.
        #expect(englishFindings.map { $0["code"] } == findings.map { $0["code"] })
        #expect(englishFindings.map { $0["sources"] } == findings.map { $0["sources"] })
        #expect(englishFindings.first { $0["code"] == "R01" }?["detail"]?.contains("no bank row at all (应发未发)") == true)
        #expect(english.out.contains("term: 2023-fall"))
    }

    @Test func aShortRowSaysSoInChinese() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang")
        defer { dir.cleanUp() }
        let file = try dir.write("r.csv", Array((roster + "S3,张三,110105194912310011,男\n").utf8))
        let out = dir.file("out")
        let result = try CLI.run(["validate", "--schema", "roster", file, "--out", out, "--quiet"], environment: neutral)
        #expect(result.status == 1)
        let rejects = try CSVTable.read(URL(fileURLWithPath: out + "/rejects.csv"))
        let short = try #require(rejects.first { $0["rule"] == "SHORT_ROW" })
        #expect(short["message"]?.hasPrefix("该行有 4 个单元格，表头有 6 列") == true, "\(short)")
    }
}
