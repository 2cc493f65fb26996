import Foundation
import Testing
import ZizhuTestSupport

/// One unbalanced quote in a name must not swallow the rows after it: its line is rejected with
/// the hint that a quote is probably not closed, and every other line is read as its own row.
@Suite struct StrayQuoteCommandTests {
    static let roster = """
    学籍号,姓名,身份证号码*,性别,学习形式,学籍状态,备注
    S1,王小明,11010519491231002X,女,全日制,在籍,
    S2,"李四,370102199001011231,男,全日制,在籍,
    S3,赵五,370102200503024564,女,全日制,在籍,
    S4,钱六,370102200604157892,男,全日制,在籍,
    S5,孙七,370102200705201119,男,全日制,在籍,"转入,2023"

    """

    @Test func aStrayQuoteInANameRejectsItsLineAndReadsTheRest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-quote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("roster.csv")
        try Data(Self.roster.utf8).write(to: file)
        let out = dir.appendingPathComponent("out")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", file.path, "--out", out.path, "--quiet"])
        #expect(result.status == 1, "\(result.err)")
        #expect(result.out.contains("5 rows read, 4 accepted, 1 rejected"), "\(result.out)")
        let rejects = try CSVTable.read(out.appendingPathComponent("rejects.csv"))
        #expect(rejects.count == 1)
        #expect(rejects.first?["line"] == "3")
        #expect(rejects.first?["rule"] == "UNCLOSED_QUOTE")
        #expect(rejects.first?["column"] == "姓名")
        #expect(rejects.first?["hint"]?.contains("quote is probably not closed") == true)
    }

    @Test func aQuotedMemoOverTwoLinesIsOneRow() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-quote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ledger = """
        流水号,入账日期,收款账号,收款人,交易金额,处理结果,失败原因,用途
        2023111100000001,2023/11/11,6212859549868999296,何轩俊,750.00,交易成功,,"国家助学金
        第一批"
        2023111100000002,2023/11/11,6212859708256023958,韦嘉艳,625.00,交易成功,,国家助学金

        """
        let file = dir.appendingPathComponent("ledger.csv")
        try Data(ledger.utf8).write(to: file)
        let out = dir.appendingPathComponent("out")
        let result = try CLI.runEnglish(["validate", "--schema", "ledger", file.path, "--out", out.path, "--quiet"])
        #expect(result.out.contains("2 rows read, 2 accepted, 0 rejected"), "\(result.out) \(result.err)")
    }
}
