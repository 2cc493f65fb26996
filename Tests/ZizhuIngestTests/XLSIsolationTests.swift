import Foundation
import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO
import ZizhuTestSupport

/// FreeXL 1.0.6 reads damaged .xls files out of bounds; it runs in a child process (`zizhu xls-cells`),
/// so such a file is a clear error and never takes the reading process down.
@Suite struct XLSIsolationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let known = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/known")

    /// Reads `path` the way every command does; returns the error it ends with, if any.
    static func readError(_ path: String) -> ZizhuError? {
        do {
            let opened = try InputOpener.open(path)
            for input in opened.inputs { _ = try readRecords(try WorkbookReader.selectSheet(input, sheet: nil)) }
            return nil
        } catch let error as ZizhuError {
            return error
        } catch {
            Issue.record("not a ZizhuError: \(error)")
            return nil
        }
    }

    @Test func anXLSThatMakesFreeXLSegfaultIsAnArchiveErrorNamingTheSignal() throws {
        // A mutation of the sample's bank .xls whose SST record sends FreeXL's parse_SST to a wild
        // address: SIGSEGV with the system library, in-process before the child existed.
        let error = try #require(Self.readError(Self.fixtures.appendingPathComponent("freexl-sst-segv.xls").path))
        #expect(error.code == .archive)
        #expect(error.message == "the .xls reader stopped on this file (signal 11): the file is damaged or crafted")
        #expect(error.message(.zh).contains("读取程序在此文件上中止"))
        #expect(error.position?.file.hasSuffix("freexl-sst-segv.xls") == true)
    }

    /// Every FreeXL finding kept in Fuzz/known (two selector bytes, then the .xls) is replayed as a
    /// regression test: an error with a message, never a crash.
    @Test func theFuzzFindingsInFreeXLGiveClearErrors() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.known.path)
            .filter { $0.hasPrefix("workbook-freexl-") }.sorted()
        #expect(names.count >= 3)
        let folder = try ScratchFolder(prefix: "zizhu-xls-known")
        defer { folder.cleanUp() }
        for name in names {
            let bytes = try readBytes(Self.known.appendingPathComponent(name).path)
            let path = try folder.write(name + ".xls", Array(bytes.dropFirst(2)))
            let error = Self.readError(path)
            #expect(error != nil, "\(name) was read without an error")
            #expect(error?.message.isEmpty == false)
        }
    }

    @Test func aGoodXLSStillReadsThroughTheChild() throws {
        #expect(Self.readError(Self.fixtures.appendingPathComponent("roster-small.xls").path) == nil)
    }
}
