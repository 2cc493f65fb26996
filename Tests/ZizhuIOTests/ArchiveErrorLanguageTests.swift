import Foundation
import Testing
import ZizhuCore
import ZizhuIO
import ZizhuTestSupport

/// Issue 15: gzip and zip-writing errors in both languages, the English as it always was.
@Suite struct ArchiveErrorLanguageTests {
    @Test func dataThatIsNotGzipIsToldInChineseAndInEnglish() throws {
        let error = try #require(throws: ZizhuError.self) { try Gzip.decompress(Array("学籍号".utf8)) }
        #expect(error.message(.zh) == "数据不是 gzip 格式（开头没有 1f 8b）")
        #expect(error.message(.en) == "the data is not gzip (no 1f 8b magic)")
        #expect(error.code.name == "ARCHIVE")
    }

    @Test func aZipEntryNamedTwiceIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-zipwriter-lang")
        defer { dir.cleanUp() }
        let entries = [ZipEntryData(name: "roster.csv", bytes: [0x31]), ZipEntryData(name: "roster.csv", bytes: [0x32])]
        let error = try #require(throws: ZizhuError.self) { try ZipWriter.write(entries: entries, to: dir.file("out.zip")) }
        #expect(error.message(.zh) == "zip 条目名「roster.csv」出现了两次")
        #expect(error.message(.en) == "zip entry name \"roster.csv\" appears twice")
    }

    @Test func anAbsoluteEntryNameIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-zipwriter-lang")
        defer { dir.cleanUp() }
        let error = try #require(throws: ZizhuError.self) {
            try ZipWriter.write(entries: [ZipEntryData(name: "/etc/x.csv", bytes: [0x31])], to: dir.file("out.zip"))
        }
        #expect(error.message(.zh) == "zip 条目名「/etc/x.csv」是绝对路径")
        #expect(error.message(.en) == "zip entry name \"/etc/x.csv\" is an absolute path")
    }
}
