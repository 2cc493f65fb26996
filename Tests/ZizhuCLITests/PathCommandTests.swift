import Foundation
import Testing
import ZizhuTestSupport

/// Nothing is ever written outside `--out` (contract §9), and no path is printed that is gone.
@Suite struct PathCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func allFiles(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }
    }

    @Test func aSchoolCodeThatIsAPathIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-paths-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("a/b/c/out")
        let school = Self.root.appendingPathComponent("sample-data/city/370100/3701J001")
        for code in ["../../../x", "/tmp/x", "a/b", ".."] {
            let result = try CLI.runEnglish(["submit", "--term", "2023-fall", "--school-code", code, "--school-city", "370100",
                                      "--roster", school.appendingPathComponent("roster.csv").path,
                                      "--applications", school.appendingPathComponent("applications.csv").path,
                                      "--out", out.path, "--quiet"])
            #expect(result.status == 2, "\(code): \(result.err)")
            #expect(result.err.contains("school code"), "\(code): \(result.err)")
            #expect(!Self.allFiles(under: dir).contains { $0.hasSuffix(".zip") }, "\(code): a package was written")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/x_2023-fall.zip"))
    }

    @Test func validateWithoutOutPrintsNoPathThatIsGoneAndLeavesNothing() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let roster = Self.root.appendingPathComponent("sample-data/city/370100/3701J001/roster.csv")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", roster.path, "--quiet"], environment: ["TMPDIR": tmp.path])
        #expect(result.status == 0 || result.status == 1, "\(result.err)")
        #expect(result.out.contains("rows read"))
        for line in result.out.split(separator: "\n") where line.hasPrefix("outputs: ") {
            let path = String(line.dropFirst("outputs: ".count))
            #expect(FileManager.default.fileExists(atPath: path), "printed \(path), which is gone")
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).isEmpty)
    }
}
