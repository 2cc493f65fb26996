import Foundation
import Testing
import ZizhuTestSupport
import ZizhuReport

/// The repository's root (holding pipelines/ and sample-data/), found from this file.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-cli-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Test func aMisspeltSettingInAConfigExitsWith2AtItsPlace() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let template = try String(contentsOf: root.appendingPathComponent("pipelines/finance-reconcile.yaml"), encoding: .utf8)
    // The template's commented-out window, written with a typo.
    let lines = template.components(separatedBy: "\n")
    let at = try #require(lines.firstIndex { $0.hasPrefix("  # window:") })
    var edited = lines
    edited[at] = "  windw: [2023-09-01, 2024-02-29]"
    let config = folder.appendingPathComponent("bank.yaml")
    try edited.joined(separator: "\n").write(to: config, atomically: true, encoding: .utf8)

    let finance = root.appendingPathComponent("sample-data/finance")
    let result = try CLI.runEnglish(["reconcile", "--term", "2023-fall", "--config", config.path,
                              "--approved", finance.appendingPathComponent("approved.csv").path,
                              "--ledger", finance.appendingPathComponent("ledger-ccb.csv").path,
                              "--out", folder.appendingPathComponent("out").path, "--quiet"])
    #expect(result.status == 2)
    #expect(result.err.contains("\(config.path):\(at + 1):3: unknown setting 'windw'"))
    #expect(result.err.contains("allowed_channels, term, tiers, window"))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
}

@Test func standardInputIsReadWholeAndHashedInTheManifest() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    var text = "学籍号,姓名,身份证号码,性别,学习形式,学籍状态\n"
    for i in 0..<20_000 { text += "S\(i),王小明,11010519491231002X,女,全日制,在籍\n" }
    let data = Data(text.utf8)
    let out = folder.appendingPathComponent("out")
    let result = try CLI.runEnglish(["validate", "--schema", "roster", "-", "--out", out.path, "--quiet"], stdin: data)
    #expect(result.status == 1)   // the repeated id is a finding
    #expect(result.out.contains("20000 rows read"))
    let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any])
    let inputs = try #require(manifest["inputs"] as? [[String: Any]])
    #expect(inputs.first?["path"] as? String == "-")
    #expect(inputs.first?["bytes"] as? Int == data.count)
    #expect(inputs.first?["sha256"] as? String == FileDigest.sha256(data))
}
