import Foundation
import Testing
import ZizhuCore
@testable import ZizhuIO
import ZizhuTestSupport

/// A workbook or zip on standard input cannot be streamed: it is spooled to a private, already
/// unlinked file within the size limit and opened like a file, still named `-`.
@Suite struct StandardInputSpoolTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ZizhuIngestTests/Fixtures")

    /// Opens `path` as if it were standard input (a regular file read from its start, like `< path`).
    static func openAsStandardInput(_ path: String, limits: ArchiveLimits = .default) throws -> OpenedInput {
        try InputOpener.open(standardInput: ReadableFile(path: path, position: InputPosition(file: path)), limits: limits)
    }

    @Test(arguments: [("roster-small.xlsx", InputFormat.xlsx), ("roster-small.xls", InputFormat.xls)])
    func aWorkbookOnStandardInputIsSpooledAndKeepsTheNameDash(_ name: String, _ format: InputFormat) throws {
        let path = Self.fixtures.appendingPathComponent(name).path
        let opened = try Self.openAsStandardInput(path)
        #expect(opened.inputs.count == 1)
        #expect(opened.inputs[0].format == format)
        #expect(opened.inputs[0].position.file == "-")
        // The spooled copy is unlinked at once: only this process's descriptor holds it.
        guard case .file(let spooled) = opened.inputs[0].source else {
            Issue.record("not spooled to a file")
            return
        }
        #expect(spooled.hasPrefix("/dev/fd/"))
        #expect(try readBytes(spooled) == (try readBytes(path)))
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: spooled)
        #expect(target.hasSuffix("(deleted)"), "\(target)")
    }

    @Test func aWorkbookOnStandardInputPastTheLimitIsRefusedClearly() throws {
        let path = Self.fixtures.appendingPathComponent("roster-small.xlsx").path
        let size = try readBytes(path).count
        let error = #expect(throws: ZizhuError.self) {
            _ = try Self.openAsStandardInput(path, limits: ArchiveLimits(maxEntryBytes: Int64(size - 1)))
        }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message == "the workbook on standard input holds more than \(size - 1) bytes")
        #expect(error?.hint(.en) == "pass the file by its path instead of on standard input")
        #expect(error?.position?.file == "-")
        // Exactly the limit is still read.
        #expect(try Self.openAsStandardInput(path, limits: ArchiveLimits(maxEntryBytes: Int64(size))).inputs.count == 1)
    }

    @Test func aZipOfCSVFilesOnStandardInputIsOpenedLikeAZipFile() throws {
        let folder = try ScratchFolder(prefix: "zizhu-stdin-zip")
        defer { folder.cleanUp() }
        try ZipWriter.write(entries: [ZipEntryData(name: "a.csv", bytes: Array("学号\n1\n".utf8))], to: folder.file("in.zip"))
        let opened = try Self.openAsStandardInput(folder.file("in.zip"))
        #expect(opened.inputs.map(\.position.displayName) == ["-!a.csv"])
        #expect(try drain(opened.inputs[0]).bytes == Array("学号\n1\n".utf8))
    }

    @Test func aDamagedZipOnStandardInputIsNamedDashNotItsSpool() throws {
        let folder = try ScratchFolder(prefix: "zizhu-stdin-zip")
        defer { folder.cleanUp() }
        let path = try folder.write("bad.zip", [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 100))
        let error = #expect(throws: ZizhuError.self) { _ = try Self.openAsStandardInput(path) }
        #expect(error?.position?.file == "-")
    }
}
