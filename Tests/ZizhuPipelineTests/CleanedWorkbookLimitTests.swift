import Foundation
import Testing
import ZizhuCore
@testable import ZizhuPipeline

/// `validate --out` writes `cleaned.xlsx` only for runs of at most `cleanedWorkbookRows` rows
/// (accepted and rejected together): beyond that, `cleaned.csv` alone, and the summary says so.
@Suite struct CleanedWorkbookLimitTests {
    /// A roster of `rows` valid rows and one rejected row (an id in scientific notation).
    static func roster(rows: Int, in folder: URL) throws -> String {
        var text = "学籍号,姓名,身份证号码,性别,学习形式,学籍状态\n"
        for i in 0..<rows { text += "S\(i),王小明,11010519491231002X,女,全日制,在籍\n" }
        text += "S\(rows),李四,3.70102E+17,男,全日制,在籍\n"
        let file = folder.appendingPathComponent("roster.csv")
        try Data(text.utf8).write(to: file)
        return file.path
    }

    static func run(rows: Int, limit: Int, withOut: Bool = true) throws -> (out: URL, lines: [String], folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-cleaned-limit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var options = RunOptions()
        options.quiet = true
        options.cleanedWorkbookRows = limit
        let out = folder.appendingPathComponent("out")
        let result = try Jobs.validate(schema: "roster", files: [try roster(rows: rows, in: folder)], out: withOut ? out.path : nil, options: options)
        return (out, result.lines, folder)
    }

    @Test func aRunWithinTheLimitGetsItsWorkbook() throws {
        let (out, lines, folder) = try Self.run(rows: 9, limit: 10)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("cleaned.xlsx").path))
        #expect(!lines.contains { $0.contains("cleaned.xlsx") }, "\(lines)")
    }

    @Test func aRunPastTheLimitWritesTheCSVAloneAndSaysSo() throws {
        let (out, lines, folder) = try Self.run(rows: 10, limit: 10)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("cleaned.xlsx").path))
        let csv = try String(contentsOf: out.appendingPathComponent("cleaned.csv"), encoding: .utf8)
        #expect(csv.split(whereSeparator: \.isNewline).count == 11, "the header and every accepted row: \(csv)")
        #expect(lines.contains { $0.contains("cleaned.xlsx") && $0.contains("10") }, "\(lines)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
        let notes = summary?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("cleaned.xlsx") }, "\(notes)")
        // What is not in the workbook is not missing from the run: the manifest lists what was written.
        let manifest = try String(contentsOf: out.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(!manifest.contains("cleaned.xlsx"))
    }

    @Test func withoutAnOutFolderNoCleanedFileIsMadeOrMentioned() throws {
        // validate without --out is a check: its files go to a scratch folder nobody sees, so the
        // cleaned rows are not written, and the summary does not speak of a workbook left out.
        let (out, lines, folder) = try Self.run(rows: 10, limit: 10, withOut: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(!lines.contains { $0.contains("cleaned.xlsx") || $0.contains("cleaned.csv") }, "\(lines)")
        #expect(lines.contains { $0.contains("11") }, "the rows are still counted: \(lines)")
    }

    /// A check's manifest lies in the scratch folder with its reports: the input is not hashed for
    /// it (a fifth of a large check's CPU). A history records the inputs' hashes, so with one it is.
    @Test(arguments: [false, true])
    func aRunThatKeepsNoFilesDoesNotHashItsInputUnlessAHistoryRecordsIt(_ withHistory: Bool) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-check-hash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.roster(rows: 3, in: folder)
        var options = RunOptions()
        options.quiet = true
        options.hashesFiles = false
        options.writesCleaned = false
        options.output = folder.appendingPathComponent("out").path
        if withHistory { options.history = folder.appendingPathComponent("history.db").path }
        let definition = try PipelineDefinition.load("validate", variables: ["schema": .string("roster"), "files": .list([input])])
        _ = try PipelineRunner.run(try CompiledPipeline.compile(definition), options: options)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/manifest.json"))) as? [String: Any]
        let inputs = manifest?["inputs"] as? [[String: Any]] ?? []
        #expect(inputs.contains { ($0["sha256"] as? String)?.count == 64 } == withHistory, "\(inputs)")
    }
}
