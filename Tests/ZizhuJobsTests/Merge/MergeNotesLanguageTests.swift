import Foundation
import Testing
import ZizhuCore
import ZizhuJobs
import ZizhuTestSupport

/// Issue 15: the merge's notes on its inputs in both languages (Chinese by default).
@Suite struct MergeNotesLanguageTests {
    @Test func aFolderWithoutPackagesIsNotedInChineseByDefaultAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-merge-notes")
        defer { dir.cleanUp() }
        let inbox = dir.file("inbox")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        #expect(try PackageCollector.collect([inbox]).notes == ["\(inbox)：文件夹中没有 .zip 文件"])
        #expect(try PackageCollector.collect([inbox], language: .en).notes == ["\(inbox): no .zip file in the folder"])
    }
}
