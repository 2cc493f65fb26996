import Foundation
import Testing
import ZizhuIO
import ZizhuTestSupport

/// `--lang` on the commands that run no pipeline (sample, verify, keys new, history, findings, serve,
/// users): it
/// wins over the environment as on validate/reconcile/submit, and an unknown one is bad usage.
@Suite struct LanguageOptionCommandTests {
    @Test func verifyTakesLangAndItWinsOverTheEnvironment() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-option")
        defer { dir.cleanUp() }
        let zip = try notAPackage(in: dir)
        let en = try CLI.run(["verify", zip, "--lang", "en"])
        #expect(en.status == 1)
        #expect(en.out.contains("M02 manifest.json: missing from the package"), "\(en.out)")
        let zh = try CLI.runEnglish(["verify", zip, "--lang", "zh"])
        #expect(zh.status == 1)
        #expect(zh.out.contains("M02 manifest.json：申报包中缺少该文件"), "\(zh.out)")
    }

    @Test func anUnknownLangIsBadUsageOnEveryCommandWithoutAPipeline() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-option")
        defer { dir.cleanUp() }
        let zip = try notAPackage(in: dir)
        let commands: [[String]] = [
            ["verify", zip],
            ["keys", "new", "--out", dir.file("keys")],
            ["sample", "--out", dir.file("sample"), "--students", "10", "--quiet"],
            ["history", "runs", "--history", dir.file("h.db")],
            ["findings", "list", "--history", dir.file("h.db")],
            // The server's commands: refused before a server starts or an account is made.
            ["serve", "--data", dir.file("data"), "--listen", "127.0.0.1:1"],
            ["users", "add", "--data", dir.file("data"), "--role", "admin", "--name", "a", "--password-stdin"],
            ["users", "token", "--data", dir.file("data"), "--name", "a"],
            ["users", "trust-export", dir.file("trust"), "--data", dir.file("data")],
        ]
        for command in commands {
            let result = try CLI.run(command + ["--lang", "fr"])
            #expect(result.status == 2, "\(command): \(result.err)")
            #expect(result.err.contains("fr"), "\(command): \(result.err)")
            #expect(result.out.isEmpty, "\(command) did its work: \(result.out)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("keys")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("sample")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("data")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("trust")))
    }

    @Test func keysAndHistoryErrorsFollowLang() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-option")
        defer { dir.cleanUp() }
        let keysZh = try CLI.runEnglish(["keys", "new", "--lang", "zh"])
        let keysEn = try CLI.run(["keys", "new", "--lang", "en"])
        #expect(keysZh.status == 2 && keysEn.status == 2)
        #expect(keysZh.err != keysEn.err)
        #expect(keysZh.err.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(keysZh.err)")
        #expect(!keysEn.err.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(keysEn.err)")
        let missing = dir.file("none.db")
        let historyZh = try CLI.runEnglish(["history", "runs", "--history", missing, "--lang", "zh"])
        let historyEn = try CLI.run(["history", "runs", "--history", missing, "--lang", "en"])
        #expect(historyZh.status == 2 && historyEn.status == 2, "\(historyZh.err) \(historyEn.err)")
        #expect(historyZh.err.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(historyZh.err)")
        #expect(!historyEn.err.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(historyEn.err)")
    }
}
