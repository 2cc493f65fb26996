import Foundation
import Testing
import ZIPFoundation
import ZizhuTestSupport

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The parts of an .xlsx (a zip of XML files), by path.
private func parts(_ url: URL) throws -> [String: String] {
    let archive = try Archive(url: url, accessMode: .read)
    var parts: [String: String] = [:]
    for entry in archive {
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        parts[entry.path] = String(decoding: data, as: UTF8.self)
    }
    return parts
}

private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

private func reconcileSample(_ out: URL, _ extra: [String] = []) throws {
    let finance = root.appendingPathComponent("sample-data/finance")
    let ledgers = try FileManager.default.contentsOfDirectory(atPath: finance.path).filter { $0.hasPrefix("ledger") }.sorted()
    try CLI.runEnglish(["reconcile", "--term", "2023-fall",
                 "--approved", finance.appendingPathComponent("approved.csv").path,
                 "--ledger"] + ledgers.map { finance.appendingPathComponent($0).path } + [
                 "--roster", finance.appendingPathComponent("roster.csv.gz").path,
                 "--allocations", finance.appendingPathComponent("allocations.csv").path,
                 "--out", out.path, "--quiet"] + extra)
}

@Test func reconcileWritesAPrintableLedgerWorkbookOneSheetPerSchool() throws {
    let folder = try ScratchFolder(prefix: "zizhu-cli-xlsx")
    defer { folder.cleanUp() }
    let out = folder.url.appendingPathComponent("out")
    try reconcileSample(out, ["--unmask"])
    let ledger = try CSVTable.read(out.appendingPathComponent("ledger.csv"))
    let schools = Set(ledger.compactMap { $0["学校代码"] })
    let book = try parts(out.appendingPathComponent("发放台账.xlsx"))
    let workbook = try #require(book["xl/workbook.xml"])
    #expect(count("<sheet name=", in: workbook) == schools.count)
    for school in schools { #expect(workbook.contains("<sheet name=\"\(school)\""), "\(school)") }
    let sheets = book.filter { $0.key.hasPrefix("xl/worksheets/sheet") }.map(\.value)
    // Every student is one row with a tall signature row (title, subtitle, header above them).
    #expect(sheets.reduce(0) { $0 + count("ht=\"30\" customHeight=\"1\"", in: $1) } == ledger.count)
    // --unmask writes whole ids into ledger.csv (a machine file) only; the printed ledger stays masked.
    let wholeIDs = ledger.compactMap { $0["身份证号"] }.filter { $0.count == 18 && !$0.contains("*") }
    #expect(!wholeIDs.isEmpty)
    for id in wholeIDs.prefix(20) { #expect(!sheets.contains { $0.contains(id) }, "\(id) is masked in 发放台账.xlsx") }
    let manifest = try String(contentsOf: out.appendingPathComponent("manifest.json"), encoding: .utf8)
    #expect(manifest.contains("发放台账.xlsx") && manifest.contains("discrepancies.xlsx"))
}

@Test func discrepanciesWorkbookHoldsEveryFindingOfTheCSV() throws {
    let folder = try ScratchFolder(prefix: "zizhu-cli-xlsx")
    defer { folder.cleanUp() }
    let out = folder.url.appendingPathComponent("out")
    try reconcileSample(out)
    let csv = try CSVTable.read(out.appendingPathComponent("discrepancies.csv"))
    let book = try parts(out.appendingPathComponent("discrepancies.xlsx"))
    let findings = try #require(book["xl/worksheets/sheet2.xml"])
    #expect(count("<row r=", in: findings) == csv.count + 1)
    for row in csv.prefix(30) where !(row["id_number"] ?? "").isEmpty {
        #expect(findings.contains("<t>\(row["id_number"] ?? "")</t>"), "masked like the CSV")
    }
}

@Test func reconcileWorkbooksAreByteIdenticalAcrossRuns() throws {
    let folder = try ScratchFolder(prefix: "zizhu-cli-xlsx")
    defer { folder.cleanUp() }
    try reconcileSample(folder.url.appendingPathComponent("a"))
    try reconcileSample(folder.url.appendingPathComponent("b"))
    for name in ["发放台账.xlsx", "discrepancies.xlsx"] {
        let a = try readBytes(folder.file("a/\(name)"))
        let b = try readBytes(folder.file("b/\(name)"))
        #expect(!a.isEmpty && a == b, "\(name)")
    }
}

private let roster = """
学籍号,姓名,身份证号码*,性别,学习形式,学籍状态,备注
S1,王小明,11010519491231002X,女,全日制,在籍,
S2,李 四,110105194912310029,男,全日制,在籍,校验位错
S3,赵五,110105194912310011,女,非全日制,在籍,

"""

@Test func validateWritesCleanedRowsAndRejectsMaskedUnlessUnmask() throws {
    let folder = try ScratchFolder(prefix: "zizhu-cli-xlsx")
    defer { folder.cleanUp() }
    let file = try folder.write("roster.csv", Array(roster.utf8))
    for unmask in [false, true] {
        let out = folder.url.appendingPathComponent(unmask ? "whole" : "masked")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", file, "--out", out.path, "--quiet"] + (unmask ? ["--unmask"] : []))
        #expect(result.status == 1)
        let cleaned = try CSVTable.read(out.appendingPathComponent("cleaned.csv"))
        #expect(cleaned.count == 2, "the two accepted rows")
        let first = try #require(cleaned.first)
        #expect(first["学籍号"] == "S1" && first["姓名"] == "王小明")
        #expect(first["身份证号"] == (unmask ? "11010519491231002X" : "110105********002X"), "\(first)")
        let book = try parts(out.appendingPathComponent("cleaned.xlsx"))
        let workbook = try #require(book["xl/workbook.xml"])
        #expect(workbook.contains("<sheet name=\"cleaned\"") && workbook.contains("<sheet name=\"rejects\""))
        let rows = try #require(book["xl/worksheets/sheet1.xml"])
        #expect(rows.contains(unmask ? "<t>11010519491231002X</t>" : "<t>110105********002X</t>"))
        let rejects = try #require(book["xl/worksheets/sheet2.xml"])
        #expect(rejects.contains("<t>ID_CHECKSUM</t>") && rejects.contains("<t>110105********0029</t>"),
                "the reject and its reason, masked as in rejects.csv")
        #expect(!rejects.contains("110105194912310029"))
    }
}
