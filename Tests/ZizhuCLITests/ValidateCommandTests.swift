import Foundation
import Testing
import ZizhuTestSupport

private func tempDir() throws -> URL { try ScratchFolder(prefix: "zizhu-cli").url }

private let roster = """
XX技工学校2023年秋季学期学籍名册,,,,,,
学籍号,姓名,身份证号码*,性别,学习形式,学籍状态,备注
S1,王小明,11010519491231002X,女,全日制,在籍,
S2,李 四,110105194912310029,男,全日制,在籍,校验位错
S3,赵五,110105194912310011,女,非全日制,在籍,

"""

@Test func validateWritesEveryOutputAndExitsOneOnRejects() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("roster.csv")
    try Data(roster.utf8).write(to: file)
    let out = dir.appendingPathComponent("out")
    let result = try CLI.runEnglish(["validate", "--schema", "roster", file.path, "--out", out.path, "--quiet"])
    #expect(result.status == 1, "a rejected row is an error-severity result")
    #expect(result.out.contains("3 rows read, 2 accepted, 1 rejected"))
    for name in ["rejects.csv", "warnings.csv", "summary.json", "manifest.json", "report.html", "discrepancies.csv", "discrepancies.json"] {
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
    }
    let rejects = try Data(contentsOf: out.appendingPathComponent("rejects.csv"))
    #expect(Array(rejects.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let text = String(decoding: rejects, as: UTF8.self)
    #expect(text.contains("roster.csv,4,身份证号码*,110105********0029,ID_CHECKSUM"))
    #expect(!text.contains("110105194912310029"), "ids are masked")
    let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
    let totals = summary?["totals"] as? [String: Any]
    #expect(totals?["rows_read"] as? Int == 3)
    #expect(totals?["rows_accepted"] as? Int == 2)
    #expect(totals?["rows_rejected"] as? Int == 1)
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any]
    let inputs = manifest?["inputs"] as? [[String: Any]]
    #expect((inputs?.first?["sha256"] as? String)?.count == 64)
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".zizhu-staging-0").path))
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("ID_CHECKSUM"))
    #expect(html.contains("S09 IDENTITY_MISMATCH"))
    #expect(!html.contains("and 0 more"), "nothing is hidden in a small report")
    #expect(!html.contains("http://") && !html.contains("https://"), "the page is self-contained")
}

@Test func twoRunsGiveByteIdenticalOutputsApartFromManifestTimes() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("roster.csv")
    try Data(roster.utf8).write(to: file)
    for n in 1...2 {
        try CLI.runEnglish(["validate", "--schema", "roster", file.path, "--out", dir.appendingPathComponent("o\(n)").path, "--quiet"])
    }
    for name in ["rejects.csv", "summary.json", "report.html", "discrepancies.csv", "discrepancies.json", "warnings.csv"] {
        let a = try Data(contentsOf: dir.appendingPathComponent("o1/\(name)"))
        let b = try Data(contentsOf: dir.appendingPathComponent("o2/\(name)"))
        #expect(a == b, "\(name) differs between runs")
    }
}

@Test func exitStatusesFollowTheContract() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let clean = dir.appendingPathComponent("clean.csv")
    try Data("姓名,身份证号,学习形式,学籍状态,性别\n王小明,11010519491231002X,全日制,在籍,女\n".utf8).write(to: clean)
    #expect(try CLI.runEnglish(["validate", "--schema", "roster", clean.path, "--quiet"]).status == 0)
    let missing = try CLI.runEnglish(["validate", "--schema", "roster", dir.appendingPathComponent("nope.csv").path, "--quiet"])
    #expect(missing.status == 3)
    #expect(missing.err.contains("nope.csv"))
    #expect(try CLI.runEnglish(["validate", "--schema", "nosuch", clean.path, "--quiet"]).status == 2)
    #expect(try CLI.runEnglish(["validate", "--schema", "roster", "--quiet"]).status == 2)
    let headerless = dir.appendingPathComponent("h.csv")
    try Data("a,b\n1,2\n".utf8).write(to: headerless)
    let noHeader = try CLI.runEnglish(["validate", "--schema", "roster", headerless.path, "--out", dir.appendingPathComponent("x").path, "--quiet"])
    #expect(noHeader.status == 3)
    #expect(noHeader.err.contains("NO_HEADER"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x/summary.json").path), "a failed run writes nothing")
}

@Test func standardInputIsAnInput() throws {
    let result = try CLI.runEnglish(["validate", "--schema", "roster", "-", "--quiet"], stdin: Data(roster.utf8))
    #expect(result.status == 1)
    #expect(result.out.contains("-: 3 rows read"))
}

@Test func runTakesAPipelineAndSetVariables() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("roster.csv")
    try Data(roster.utf8).write(to: file)
    let out = dir.appendingPathComponent("out")
    let result = try CLI.runEnglish(["run", "validate", "--set", "schema=roster", "--set", "files=\(file.path)", "--set", "out=\(out.path)", "--quiet"])
    #expect(result.status == 1)
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path))
    #expect(try CLI.runEnglish(["run", "validate", "--set", "nope=1", "--quiet"]).status == 2)
}
