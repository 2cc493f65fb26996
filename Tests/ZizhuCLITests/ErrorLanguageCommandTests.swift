import Foundation
import Testing
import ZizhuTestSupport

/// Issue 15, "Chinese first" for errors: each area's errors and hints are Chinese by default and
/// the same English words as before with --lang en / ZIZHU_LANG=en; the exit status never changes
/// with the language.
@Suite struct ErrorLanguageCommandTests {
    /// The same command in both languages: (Chinese, English).
    private func both(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (zh: (status: Int32, out: String, err: String), en: (status: Int32, out: String, err: String)) {
        (try CLI.run(arguments, environment: environment), try CLI.runEnglish(arguments, environment: environment))
    }

    @Test func aDamagedZipIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-zip")
        defer { dir.cleanUp() }
        let zip = try dir.write("roster.zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00])
        let (zh, en) = try both(["validate", "--schema", "roster", zip, "--out", dir.file("out"), "--quiet"])
        #expect(zh.status == 3)
        #expect(zh.err.contains("不是可读的 zip 压缩包：文件太短"), "\(zh.err)")
        #expect(zh.err.contains("提示：压缩包已损坏或不是 zip；请重新制作"), "\(zh.err)")
        #expect(en.status == 3)
        #expect(en.err.contains("error[ARCHIVE]: not a readable zip archive: the file is too short"), "\(en.err)")
        #expect(en.err.contains("hint: the archive is damaged or not a zip; create it again"), "\(en.err)")
    }

    @Test func aPipelineFileWithAnUnknownKeyIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-yaml")
        defer { dir.cleanUp() }
        let yaml = try dir.write("p.yaml", Array("pipeline: p\nbogus: 1\n".utf8))
        let (zh, en) = try both(["run", yaml, "--out", dir.file("out"), "--quiet"])
        #expect(zh.status == 2)
        #expect(zh.err.contains("\(yaml):2:1：未知的键「bogus」"), "\(zh.err)")
        #expect(zh.err.contains("提示：此处可用的键：description, history, inputs"), "\(zh.err)")
        #expect(en.status == 2)
        #expect(en.err.contains("\(yaml):2:1: unknown key 'bogus'"), "\(en.err)")
        #expect(en.err.contains("hint: allowed here: description, history, inputs"), "\(en.err)")
    }

    @Test func aKeyNameWithASlashIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-keys")
        defer { dir.cleanUp() }
        let (zh, en) = try both(["keys", "new", "--out", dir.file("keys"), "--name", "a/b"])
        #expect(zh.status == 2)
        #expect(zh.err.contains("密钥名「a/b」含有路径分隔符"), "\(zh.err)")
        #expect(zh.err.contains("提示：使用简单的名称，如学校代码（--name 3701J001）"), "\(zh.err)")
        #expect(en.status == 2)
        #expect(en.err.contains("key name \"a/b\" contains a path separator"), "\(en.err)")
        #expect(en.err.contains("hint: use a plain name such as the school code (--name 3701J001)"), "\(en.err)")
    }

    @Test func aMissingTrustFolderIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-trust")
        defer { dir.cleanUp() }
        let missing = dir.file("no-keys")
        let (zh, en) = try both(["verify", dir.file("3701J001_2023-fall.zip"), "--trust", missing])
        #expect(zh.status == 2)
        #expect(zh.err.contains("信任目录 \(missing) 不存在或不是文件夹"), "\(zh.err)")
        #expect(en.status == 2)
        #expect(en.err.contains("the trust folder \(missing) does not exist or is not a folder"), "\(en.err)")
        #expect(en.err.contains("hint: give --trust the folder that holds the schools' <school_code>.pub files"), "\(en.err)")
    }

    @Test func aSchemaFileThatIsNotJSONIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-schema")
        defer { dir.cleanUp() }
        let schema = try dir.write("mine.json", Array("{".utf8))
        let csv = try dir.write("a.csv", Array("a\n1\n".utf8))
        let (zh, en) = try both(["validate", "--schema", schema, csv, "--out", dir.file("out"), "--quiet"])
        #expect(zh.status == 2)
        #expect(zh.err.contains("提示：表结构必须是符合 Table Schema 格式的有效 JSON"), "\(zh.err)")
        #expect(en.status == 2)
        #expect(en.err.contains("hint: the schema must be valid JSON in the Table Schema shape"), "\(en.err)")
    }

    @Test func aHistoryCommandWithoutAHistoryIsToldInChineseAndInEnglish() throws {
        let (zh, en) = try both(["history", "runs"], environment: ["ZIZHU_HISTORY": ""])
        #expect(zh.status == 2)
        #expect(zh.err.contains("错误[USAGE]：没有给出历史库"), "\(zh.err)")
        #expect(zh.err.contains("提示：请给出 --history 文件.db，或设置 ZIZHU_HISTORY"), "\(zh.err)")
        #expect(en.status == 2)
        #expect(en.err.contains("error[USAGE]: no history given"), "\(en.err)")
        #expect(en.err.contains("hint: pass --history FILE.db or set ZIZHU_HISTORY"), "\(en.err)")
    }

    @Test func aMergeInputThatDoesNotExistIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-merge")
        defer { dir.cleanUp() }
        let missing = dir.file("3701J001_2023-fall.zip")
        let (zh, en) = try both(["merge", "--term", "2023-fall", "--out", dir.file("out"), "--quiet", missing])
        #expect(zh.status == 3)
        #expect(zh.err.contains("\(missing): 错误[IO]：没有这个文件或文件夹"), "\(zh.err)")
        #expect(zh.err.contains("提示：给出学校申报包（{school_code}_{term}.zip）、市级汇总包或存放它们的文件夹"), "\(zh.err)")
        #expect(en.status == 3)
        #expect(en.err.contains("\(missing): error[IO]: no such file or folder"), "\(en.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")))
    }

    @Test func aSampleTooSmallIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-lang-sample")
        defer { dir.cleanUp() }
        let (zh, en) = try both(["sample", "--out", dir.file("out"), "--students", "1", "--quiet"])
        #expect(zh.status == 2)
        #expect(zh.err.contains("样例数据至少需要"), "\(zh.err)")
        #expect(zh.err.contains("（给出的是 1）"), "\(zh.err)")
        #expect(en.status == 2)
        #expect(en.err.contains("a sample needs at least"), "\(en.err)")
        #expect(en.err.contains("students (got 1)"), "\(en.err)")
    }
}
