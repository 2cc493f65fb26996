import Foundation
import Testing
import ZizhuTestSupport

/// The repository's root (holding sample-data/), found from this file.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Test func reconcileOnTheSampleFindsExactlyThePlantedRFindings() throws {
    let finance = root.appendingPathComponent("sample-data/finance")
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-rec-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let ledgers = try FileManager.default.contentsOfDirectory(atPath: finance.path).filter { $0.hasPrefix("ledger") }.sorted()
    #expect(ledgers.count >= 2)
    let result = try CLI.runEnglish(["reconcile", "--term", "2023-fall",
                              "--approved", finance.appendingPathComponent("approved.csv").path,
                              "--ledger"] + ledgers.map { finance.appendingPathComponent($0).path } + [
                              "--roster", finance.appendingPathComponent("roster.csv.gz").path,
                              "--allocations", finance.appendingPathComponent("allocations.csv").path,
                              "--out", out.path, "--quiet"])
    #expect(result.status == 1, "the sample plants error findings")
    let planted = try CSVTable.read(root.appendingPathComponent("sample-data/planted.csv"))
        .filter { ($0["code"] ?? "").range(of: #"^R\d\d$"#, options: .regularExpression) != nil }
    let found = try CSVTable.read(out.appendingPathComponent("discrepancies.csv"))
    let plantedKeys = Set(planted.map { "\($0["code"] ?? "") \($0["student_no"] ?? "")" })
    let foundKeys = Set(found.map { "\($0["code"] ?? "") \($0["student_no"] ?? "")" })
    #expect(plantedKeys == foundKeys)
    #expect(Set(found.compactMap { $0["code"] }).count == 14, "every R-code R01–R14 fires on the sample")
    for name in ["ledger.csv", "settlement.json", "summary.json", "report.html", "manifest.json", "rejects.csv"] {
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
    }
    let ledger = try CSVTable.read(out.appendingPathComponent("ledger.csv"))
    #expect(!ledger.isEmpty)
    #expect(ledger.allSatisfy { ($0["学生签名"] ?? "x").isEmpty }, "the signature column is left empty")
    #expect(ledger.allSatisfy { ($0["身份证号"] ?? "").contains("********") }, "ids are masked without --unmask")
}

@Test func reconcileNeedsATermAndTheLedger() throws {
    let finance = root.appendingPathComponent("sample-data/finance")
    let approved = finance.appendingPathComponent("approved.csv").path
    #expect(try CLI.runEnglish(["reconcile", "--term", "2023-fall", "--approved", approved, "--out", "/tmp/x-\(UUID())", "--quiet"]).status == 2)
    #expect(try CLI.runEnglish(["reconcile", "--term", "sometime", "--approved", approved, "--ledger", approved, "--out", "/tmp/x-\(UUID())", "--quiet"]).status == 2)
}
