import Foundation
import Testing
import ZizhuCore
import ZizhuReport
@testable import ZizhuPipeline

/// A roster of `rows` rows (every one valid in shape; ids repeat, which is only a finding).
private func rosterBytes(rows: Int) -> Data {
    var text = "学籍号,姓名,身份证号码,性别,学习形式,学籍状态\n"
    for i in 0..<rows { text += "S\(i),王小明,11010519491231002X,女,全日制,在籍\n" }
    return Data(text.utf8)
}

private func scratch(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func json(_ url: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

/// Writes `data` into a FIFO on a thread of its own (opening blocks until the run opens it).
private final class FIFOWriter: @unchecked Sendable {
    let thread: Thread
    private let done = DispatchSemaphore(value: 0)

    init(path: String, data: Data) {
        let signal = done
        thread = Thread {
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.write(data)
                try? handle.close()
            }
            signal.signal()
        }
        thread.start()
    }

    func wait() { done.wait() }
}

@Test func everyRowOfANamedPipeIsReadAndTheManifestHashesTheBytesRead() throws {
    let folder = try scratch("fifo")
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("roster.csv").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let data = rosterBytes(rows: 20_000)
    let writer = FIFOWriter(path: fifo, data: data)
    let out = folder.appendingPathComponent("out")
    var options = RunOptions()
    options.quiet = true
    _ = try Jobs.validate(schema: "roster", files: [fifo], out: out.path, options: options)
    writer.wait()

    let summary = try json(out.appendingPathComponent("summary.json"))
    let totals = try #require(summary["totals"] as? [String: Any])
    #expect(totals["rows_read"] as? Int == 20_000)
    let manifest = try json(out.appendingPathComponent("manifest.json"))
    let inputs = try #require(manifest["inputs"] as? [[String: Any]])
    #expect(inputs.count == 1)
    #expect(inputs.first?["path"] as? String == fifo)
    #expect(inputs.first?["bytes"] as? Int == data.count)
    #expect(inputs.first?["sha256"] as? String == FileDigest.sha256(data))
}

@Test func aRegularFileIsStillHashedWhole() throws {
    let folder = try scratch("regular")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("roster.csv")
    let data = rosterBytes(rows: 50)
    try data.write(to: file)
    let out = folder.appendingPathComponent("out")
    var options = RunOptions()
    options.quiet = true
    _ = try Jobs.validate(schema: "roster", files: [file.path], out: out.path, options: options)
    let inputs = try #require(try json(out.appendingPathComponent("manifest.json"))["inputs"] as? [[String: Any]])
    #expect(inputs.first?["sha256"] as? String == FileDigest.sha256(data))
}

// MARK: - A file that changes while it is read

@Test func aFileStampCheckRejectsEveryChange() throws {
    let before = FileStamp(size: 100, modifiedSeconds: 10, modifiedNanoseconds: 5, inode: 7)
    try before.check(after: before, bytesRead: 100, path: "f.csv")
    try before.check(after: before, bytesRead: nil, path: "f.csv")
    var grown = before
    grown.size = 120
    var touched = before
    touched.modifiedNanoseconds = 6
    var replaced = before
    replaced.inode = 8
    for after in [grown, touched, replaced] {
        let error = try #require(throws: ZizhuError.self) { try before.check(after: after, bytesRead: 100, path: "f.csv") }
        #expect(error.message.hasPrefix("the file changed while it was read"))
        #expect(error.code.exitStatus == 3)
        #expect(error.position?.file == "f.csv")
    }
    #expect(throws: ZizhuError.self) { try before.check(after: nil, bytesRead: 100, path: "f.csv") }
    // Same size and time, but fewer bytes came than the file holds.
    let short = try #require(throws: ZizhuError.self) { try before.check(after: before, bytesRead: 60, path: "f.csv") }
    #expect(short.message.contains("60 bytes were read of its 100"))
}

/// Runs validate over a roster of more than one read chunk, calling `change` with the file's path
/// once, after the first chunk was read.
private func runChangingTheFileMidRead(_ name: String, _ change: @escaping @Sendable (String) -> Void) throws -> (ZizhuError?, URL) {
    let folder = try scratch(name)
    let file = folder.appendingPathComponent("roster.csv")
    try bigRoster.write(to: file)
    let out = folder.appendingPathComponent("out")
    var options = RunOptions()
    options.quiet = true
    let once = OnceFlag()
    options.onInputChunk = { path in if once.first() { change(path) } }
    do {
        _ = try Jobs.validate(schema: "roster", files: [file.path], out: out.path, options: options)
        return (nil, folder)
    } catch let error as ZizhuError {
        return (error, folder)
    }
}

private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    func first() -> Bool { lock.withLock { defer { fired = true }; return !fired } }
}

/// ~2.7 MB: three read chunks of 1 MiB.
private let bigRoster = rosterBytes(rows: 60_000)

@Test func aFileTruncatedWhileItIsReadFailsTheRunWithExit3AndNoOutput() throws {
    // Cut at the first row's end after the first chunk, so that what was read is whole rows.
    let cut = try #require(bigRoster[(1 << 20)...].firstIndex(of: 0x0A)) + 1
    let (error, folder) = try runChangingTheFileMidRead("truncated") { path in truncate(path, off_t(cut)) }
    defer { try? FileManager.default.removeItem(at: folder) }
    let failure = try #require(error)
    #expect(failure.message.hasPrefix("the file changed while it was read"))
    #expect(failure.code.exitStatus == 3)
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
}

@Test func aFileAppendedToWhileItIsReadFailsTheRun() throws {
    let (error, folder) = try runChangingTheFileMidRead("appended") { path in
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data("S9,王小明,11010519491231002X,女,全日制,在籍\n".utf8))
            try? handle.close()
        }
    }
    defer { try? FileManager.default.removeItem(at: folder) }
    let failure = try #require(error)
    #expect(failure.message.hasPrefix("the file changed while it was read"))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
}

@Test func aFileLeftAloneWhileItIsReadPasses() throws {
    let (error, folder) = try runChangingTheFileMidRead("untouched") { _ in }
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(error == nil)
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/manifest.json").path))
}
