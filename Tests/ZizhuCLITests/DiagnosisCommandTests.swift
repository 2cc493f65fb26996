import Foundation
import Testing
import ZizhuTestSupport

/// Diagnoses that say what to do (issue 15): each names the cause, and exits with the contract's status.

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private let rosterRows = """
学籍号,姓名,身份证号码*,性别,学习形式,学籍状态
S1,王小明,11010519491231002X,女,全日制,在籍

"""

@Test func aMistypedSchemaListsTheSchemaNamesNotAFilePath() throws {
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let file = try dir.write("r.csv", Array(rosterRows.utf8))
    let result = try CLI.runEnglish(["validate", "--schema", "rostr", file, "--quiet"])
    #expect(result.status == 2)
    #expect(result.err.contains("unknown schema 'rostr'"))
    #expect(result.err.contains("roster, applications, ledger, allocations, schools"))
    #expect(!result.err.contains(".yaml"), "no internal pipeline path: \(result.err)")
}

@Test func aFileSplitByAnotherSeparatorSaysSoAndNamesIt() throws {
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let semicolons = try dir.write("r.csv", Array(rosterRows.replacingOccurrences(of: ",", with: ";").utf8))
    let result = try CLI.runEnglish(["validate", "--schema", "roster", semicolons, "--quiet"])
    #expect(result.status == 3)
    #expect(result.err.contains("semicolon ';'"), "\(result.err)")
    #expect(result.err.contains("re-save the file as CSV"))
    #expect(!result.err.contains("lacks"), "not a list of missing columns")
    let bars = try dir.write("b.csv", Array(rosterRows.replacingOccurrences(of: ",", with: "|").utf8))
    let barred = try CLI.runEnglish(["validate", "--schema", "roster", bars, "--quiet"])
    #expect(barred.status == 3)
    #expect(barred.err.contains("vertical bar '|'"), "\(barred.err)")
}

private let bankFile = """
流水号,交易时间,收款账号,付款金额,交易状态
1,2023-10-20,6212263711166533298,1000.00,成功

"""

@Test func aMissingColumnListsTheAcceptedTitlesAndTheFilesNearestTitles() throws {
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let file = try dir.write("bank.csv", Array(bankFile.utf8))
    let result = try CLI.runEnglish(["validate", "--schema", "ledger", file, "--quiet"])
    #expect(result.status == 3)
    #expect(result.err.contains("交易日期 (accepted: 交易日期, 发放日期, 入账日期, pay_date; in the file: 交易时间?)"), "\(result.err)")
    #expect(result.err.contains("金额 (accepted: 金额, 交易金额, 发放金额, amount; in the file: 付款金额?"), "\(result.err)")
    #expect(result.err.contains("--map"))
}

@Test func mapOptionMapsABanksOwnTitlesAndTheSummarySaysSo() throws {
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let file = try dir.write("bank.csv", Array(bankFile.utf8))
    let out = dir.file("out")
    let result = try CLI.runEnglish(["validate", "--schema", "ledger", file, "--map", "付款金额=amount", "--map", "data:交易时间=pay_date",
                              "--out", out, "--quiet"])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.out.contains("1 rows read, 1 accepted, 0 rejected"), "\(result.out)")
    #expect(result.out.contains("column map: 付款金额 → amount (data)"))
    let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any]
    #expect((summary?["notes"] as? [String])?.contains("column map: 交易时间 → pay_date (data)") == true)

    let unknown = try CLI.runEnglish(["validate", "--schema", "ledger", file, "--map", "付款金额=amout", "--quiet"])
    #expect(unknown.status == 2)
    #expect(unknown.err.contains("'amout' is not a field of schema 'ledger'"), "\(unknown.err)")
    #expect(unknown.err.contains("pay_date") && unknown.err.contains("amount"))
    let noInput = try CLI.runEnglish(["validate", "--schema", "ledger", file, "--map", "bank:付款金额=amount", "--quiet"])
    #expect(noInput.status == 2)
    #expect(noInput.err.contains("no input named 'bank'"))
}

@Test func trailerLinesAreReportedAsSkippedNotRejected() throws {
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let text = """
    学期,身份证号,资助类型,资助档次,金额(元),审批状态
    2023秋,11010519491231002X,国家助学金,一档,1250,已审批
    合计,,,,1250,
    制表人：张三,,审核人：李四,,,
    单位（盖章）：XX技工学校,,,,,

    """
    let file = try dir.write("apps.csv", Array(text.utf8))
    let out = dir.file("out")
    // In Chinese, the default language: the summary and report.html both name the trailer lines.
    let result = try CLI.run(["validate", "--schema", "applications", file, "--out", out, "--quiet"], environment: ["ZIZHU_LANG": "zh"])
    #expect(result.status == 0, "\(result.out)\(result.err)")
    #expect(result.out.contains("读入 1 行，接受 1 行，拒绝 0 行；跳过表尾行 2 行"), "\(result.out)")
    let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any]
    let files = summary?["files"] as? [[String: Any]]
    #expect((files?.first?["trailer_lines"] as? [[String: Any]])?.compactMap { $0["line"] as? Int } == [4, 5])
    let html = try String(contentsOf: URL(fileURLWithPath: out + "/report.html"), encoding: .utf8)
    #expect(html.contains("第 4 行是表尾，已跳过"), "report.html names the trailer line (in Chinese by default)")
}

@Test func aShortRowIsRejectedAsShortNotAsAMissingValue() throws {
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let file = try dir.write("r.csv", Array((rosterRows + "S2,李四,110105194912310011,男\n").utf8))
    let out = dir.file("out")
    let result = try CLI.runEnglish(["validate", "--schema", "roster", file, "--out", out, "--quiet"])
    #expect(result.status == 1)
    let rejects = try CSVTable.read(URL(fileURLWithPath: out + "/rejects.csv"))
    #expect(rejects.count == 1)
    #expect(rejects.first?["rule"] == "SHORT_ROW")
    #expect(rejects.first?["message"]?.contains("row has 4 cells, header has 6") == true, "\(rejects)")
}

@Test func aTermMatchingNoApprovedRowWarnsAndNamesTheTermsSeen() throws {
    let finance = root.appendingPathComponent("sample-data/finance")
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let ledger = try dir.write("empty-ledger.csv", Array("交易日期,收款账号,金额,交易状态\n".utf8))
    let result = try CLI.runEnglish(["reconcile", "--term", "2022-spring",
                              "--approved", finance.appendingPathComponent("approved.csv").path,
                              "--ledger", ledger, "--out", dir.file("out"), "--quiet"])
    #expect(result.out.contains("term: 2022-spring"), "\(result.out)\(result.err)")
    #expect(result.out.contains("warning: the term 2022-spring matches none of the approved rows"))
    #expect(result.out.contains("rows are of 2023-fall 79 rows, 2023-spring 1 row"), "names the term it did see: \(result.out)")
    #expect(result.out.contains("warning: the bank ledger has no data rows"))
    let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("out") + "/summary.json"))) as? [String: Any]
    let notes = summary?["notes"] as? [String] ?? []
    #expect(notes.contains { $0.contains("matches none of the approved rows") })

    let right = try CLI.runEnglish(["reconcile", "--term", "2023-fall",
                             "--approved", finance.appendingPathComponent("approved.csv").path,
                             "--ledger", finance.appendingPathComponent("ledger-ccb.csv").path, "--out", dir.file("out2"), "--quiet"])
    #expect(right.out.contains("term: 2023-fall"))
    #expect(!right.out.contains("matches none"), "a term that matches is no warning")
    #expect(!right.out.contains("no data rows"))
}

@Test func reconcileTakesAMapForOneInput() throws {
    let finance = root.appendingPathComponent("sample-data/finance")
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let file = try dir.write("bank.csv", Array(bankFile.utf8))
    let args = ["reconcile", "--term", "2023-fall", "--approved", finance.appendingPathComponent("approved.csv").path,
                "--ledger", file, "--out", dir.file("out"), "--quiet"]
    let unmapped = try CLI.runEnglish(args)
    #expect(unmapped.status == 3)
    let mapped = try CLI.runEnglish(args + ["--map", "ledger:付款金额=amount", "--map", "ledger:交易时间=pay_date"])
    #expect(mapped.out.contains("column map: 付款金额 → amount (ledger)"), "\(mapped.out)\(mapped.err)")
    #expect(mapped.out.contains("bank.csv: 1 rows read, 1 accepted"))
}

@Test func runHintsGiveTheFlagsRunTakes() throws {
    let finance = root.appendingPathComponent("sample-data/finance")
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let noTerm = try CLI.runEnglish(["run", "finance-reconcile", "--set", "approved=" + finance.appendingPathComponent("approved.csv").path,
                              "--set", "ledger=" + finance.appendingPathComponent("ledger-ccb.csv").path, "--out", dir.file("out"), "--quiet"])
    #expect(noTerm.status == 2)
    #expect(noTerm.err.contains("--set term=2023-fall"), "\(noTerm.err)")
    let noFiles = try CLI.runEnglish(["run", "finance-reconcile", "--set", "term=2023-fall", "--out", dir.file("out"), "--quiet"])
    #expect(noFiles.status == 2)
    #expect(noFiles.err.contains("--set approved=FILE"), "\(noFiles.err)")
}

@Test func submitTakesAMapAndRejectsAnUnknownField() throws {
    let dir = try ScratchFolder(prefix: "zizhu-diag")
    defer { dir.cleanUp() }
    let roster = try dir.write("r.csv", Array(rosterRows.utf8))
    let apps = try dir.write("a.csv", Array("学期,身份证号,资助类型,审批状态\n2023-fall,11010519491231002X,免学费,已审批\n".utf8))
    let result = try CLI.runEnglish(["submit", "--term", "2023-fall", "--school-code", "3701J001", "--roster", roster, "--applications", apps,
                              "--map", "roster:学籍状态=no_such_field", "--out", dir.file("out"), "--quiet"])
    #expect(result.status == 2)
    #expect(result.err.contains("'no_such_field' is not a field of schema 'roster'"), "\(result.err)")
    #expect(result.err.contains("id_number"))
}
