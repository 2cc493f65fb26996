import Foundation
import Testing
import ZizhuReport
import ZizhuTestSupport

/// A CSV staged through `CSVWriter(in:name:…)` is hashed as it is written: the manifest takes that
/// digest, which must be the file's own — and a file changed after it was written is read again.
@Suite struct WrittenDigestTests {
    @Test func theWritersDigestIsTheFilesDigest() throws {
        let folder = try ScratchFolder(prefix: "zizhu-written-digest")
        defer { folder.cleanUp() }
        let output = try OutputDirectory(path: folder.file("out"))
        defer { output.discard() }
        let writer = try CSVWriter(in: output, name: "rows.csv", header: ["学籍号", "备注"])
        // More than the writer's 64 KB buffer, with rows handed over encoded as well.
        for i in 0..<5_000 { try writer.writeRow(["S\(i)", i % 3 == 0 ? "a,b" : "=\(i)"]) }
        var encoded: [UInt8] = []
        for i in 0..<20_000 { CSVWriter.appendRow(["T\(i)", "x"], to: &encoded) }
        try writer.writeEncoded(encoded)
        try writer.close()
        let file = output.staging.appendingPathComponent("rows.csv")
        let recorded = try output.digest(of: "rows.csv")
        #expect(recorded == (try FileDigest.of(file, as: "rows.csv")))
        #expect(recorded.bytes > 1 << 17)
    }

    @Test func aFileChangedAfterWritingIsReadAgain() throws {
        let folder = try ScratchFolder(prefix: "zizhu-written-digest")
        defer { folder.cleanUp() }
        let output = try OutputDirectory(path: folder.file("out"))
        defer { output.discard() }
        let writer = try CSVWriter(in: output, name: "rows.csv", header: ["a"])
        try writer.writeRow(["1"])
        try writer.close()
        let file = output.staging.appendingPathComponent("rows.csv")
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2\r\n".utf8))
        try handle.close()
        #expect(try output.digest(of: "rows.csv") == (try FileDigest.of(file, as: "rows.csv")))
    }
}
