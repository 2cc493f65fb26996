import Foundation
import Testing
import ZizhuIO
import ZizhuTestSupport

/// Issue 15: the package verifier's M02/M04/M06 lines — `zizhu verify` and the merge's M02 detail —
/// are Chinese by default and the same English as before with --lang en; codes and entry names stay.
/// A zip named like a package holding one stray file: no entry of a package is there.
func notAPackage(in dir: ScratchFolder) throws -> String {
    let path = dir.file("3701J001_2023-fall.zip")
    try ZipWriter.write(entries: [ZipEntryData(name: "x.txt", bytes: Array("学籍号\n".utf8))], to: path)
    return path
}

@Suite struct VerifyLanguageCommandTests {
    @Test func verifyPrintsItsProblemsInChineseByDefaultAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-verify-lang")
        defer { dir.cleanUp() }
        let zip = try notAPackage(in: dir)
        let zh = try CLI.run(["verify", zip])
        #expect(zh.status == 1)
        #expect(zh.out.contains("M02 x.txt：多余的条目：申报包只含 "), "\(zh.out)")
        #expect(zh.out.contains("M02 manifest.json：申报包中缺少该文件"), "\(zh.out)")
        let en = try CLI.runEnglish(["verify", zip])
        #expect(en.status == 1)
        #expect(en.out.contains("M02 x.txt: unexpected entry: a package holds only "), "\(en.out)")
        #expect(en.out.contains("M02 manifest.json: missing from the package"), "\(en.out)")
    }

    @Test func theMergesM02DetailIsChineseByDefaultAndEnglishWithLangEn() throws {
        let dir = try ScratchFolder(prefix: "zizhu-verify-lang")
        defer { dir.cleanUp() }
        let zip = try notAPackage(in: dir)
        for (english, folder) in [(false, "zh"), (true, "en")] {
            let arguments = ["merge", "--term", "2023-fall", "--out", dir.file(folder), "--quiet", zip]
            let result = try english ? CLI.runEnglish(arguments) : CLI.run(arguments)
            #expect(result.status == 1, "\(result.err)")
            let rows = try CSVTable.read(URL(fileURLWithPath: dir.file(folder + "/discrepancies.csv")))
            let m02 = try #require(rows.first { $0["code"] == "M02" })
            let detail = m02["detail"] ?? ""
            if english {
                #expect(detail.contains("manifest.json: missing from the package; "), "\(detail)")
            } else {
                #expect(detail.contains("manifest.json：申报包中缺少该文件；"), "\(detail)")
            }
        }
    }
}
