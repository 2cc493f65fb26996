import Foundation
import Testing
import ZizhuTestSupport
import ZizhuIO

// The trust defects of issue 13 seen from the command line: a broken signature fails `verify`
// without --trust (M06), and a submission holding another school's rows writes no package (S12).

private func scratch(_ tag: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-trust-\(tag)-\(UUID().uuidString)")
}

private let rosterHeader = "学籍号,姓名,身份证号码,学校代码,学习形式,年级,学籍状态,注册日期"
private let applicationsHeader = "学期,学籍号,姓名,身份证号,学校代码,资助类型,资助档次,金额,申报日期,审批状态"

/// Writes a two-student submission whose second roster row names `otherSchool` (nil: the same school).
private func writeSubmission(in dir: URL, otherSchool: String?) throws -> (roster: String, applications: String) {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let roster = dir.appendingPathComponent("roster.csv"), applications = dir.appendingPathComponent("applications.csv")
    try ([rosterHeader,
          "S1,王小明,370102200501011233,3701J001,全日制,1,在籍,2023-09-05",
          "S2,李华,370102200602022345,\(otherSchool ?? "3701J001"),全日制,1,在籍,2023-09-05"].joined(separator: "\n") + "\n")
        .write(to: roster, atomically: true, encoding: .utf8)
    try ([applicationsHeader,
          "2023-fall,S1,王小明,370102200501011233,3701J001,国家助学金,一档,1250.00,2023-10-10,已审批"].joined(separator: "\n") + "\n")
        .write(to: applications, atomically: true, encoding: .utf8)
    return (roster.path, applications.path)
}

private func submit(_ files: (roster: String, applications: String), out: URL, extra: [String] = []) throws -> (status: Int32, out: String, err: String) {
    try CLI.runEnglish(["submit", "--term", "2023-fall", "--school-code", "3701J001", "--school-city", "370100",
                 "--roster", files.roster, "--applications", files.applications, "--out", out.path, "--quiet"] + extra,
                environment: ["SOURCE_DATE_EPOCH": "1698627600"])
}

@Test func aSubmissionHoldingAnotherSchoolsRowIsS12AndWritesNoPackage() throws {
    let dir = scratch("s12")
    defer { try? FileManager.default.removeItem(at: dir) }
    let mixed = try writeSubmission(in: dir.appendingPathComponent("mixed"), otherSchool: "3702J001")
    let out = dir.appendingPathComponent("out-mixed")
    let run = try submit(mixed, out: out)
    #expect(run.status == 1, "\(run.out) \(run.err)")
    #expect(run.out.contains("S12"), "\(run.out)")
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("3701J001_2023-fall.zip").path))
    let discrepancies = try String(contentsOf: out.appendingPathComponent("discrepancies.csv"), encoding: .utf8)
    #expect(discrepancies.contains("S12"))

    // Near-miss: the same rows, all of this school, give a package.
    let clean = try writeSubmission(in: dir.appendingPathComponent("clean"), otherSchool: nil)
    let cleanOut = dir.appendingPathComponent("out-clean")
    let cleanRun = try submit(clean, out: cleanOut)
    #expect(cleanRun.status == 0, "\(cleanRun.out) \(cleanRun.err)")
    #expect(FileManager.default.fileExists(atPath: cleanOut.appendingPathComponent("3701J001_2023-fall.zip").path))
}

@Test func verifyOfAPackageWhoseSignatureDoesNotVerifyFailsWithoutTrust() throws {
    let dir = scratch("verify")
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = try writeSubmission(in: dir.appendingPathComponent("in"), otherSchool: nil)
    #expect(try CLI.runEnglish(["keys", "new", "--out", dir.appendingPathComponent("keys").path, "--name", "3701J001"]).status == 0)
    let out = dir.appendingPathComponent("out")
    let run = try submit(files, out: out, extra: ["--sign-key", dir.appendingPathComponent("keys/3701J001.key").path])
    try #require(run.status == 0, "\(run.out) \(run.err)")
    let zip = out.appendingPathComponent("3701J001_2023-fall.zip")
    #expect(try CLI.runEnglish(["verify", zip.path]).status == 0, "signed and sound")

    // One character of the signature value changed.
    let archive = try ZipArchive(path: zip.path)
    var entries: [ZipEntryData] = []
    for info in archive.entries {
        var bytes = try archive.read(info)
        if info.name == "declaration.json" {
            var text = String(decoding: bytes, as: UTF8.self)
            let range = try #require(text.range(of: #""value" : ""#))
            let at = range.upperBound
            let replacement: Character = text[at] == "A" ? "B" : "A"
            text.replaceSubrange(at...at, with: String(replacement))
            bytes = Array(text.utf8)
        }
        entries.append(ZipEntryData(name: info.name, bytes: bytes))
    }
    let broken = dir.appendingPathComponent("broken.zip")
    try ZipWriter.write(entries: entries, to: broken.path)
    let result = try CLI.runEnglish(["verify", broken.path])
    #expect(result.status == 1, "\(result.out)")
    #expect(result.out.contains("M06 declaration signature: "), "\(result.out)")
}
