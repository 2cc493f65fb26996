import Foundation
import Testing
import ZizhuCore
import ZizhuIO
import ZizhuTestSupport

/// The public zip reader in ZizhuIO, as the package verifier and merge use it.
@Suite struct ZipArchiveTests {
    /// Replaces every occurrence of `old` in `bytes` with `new` (same length): renames an entry
    /// in both its local header and the central directory, to make names ZipWriter refuses.
    static func patchName(_ bytes: [UInt8], _ old: String, _ new: String) -> [UInt8] {
        let from = Array(old.utf8)
        let to = Array(new.utf8)
        precondition(from.count == to.count)
        var result = bytes
        var index = 0
        while index + from.count <= result.count {
            if Array(result[index..<(index + from.count)]) == from {
                result.replaceSubrange(index..<(index + from.count), with: to)
                index += from.count
            } else {
                index += 1
            }
        }
        return result
    }

    @Test func entriesReadAsStoredFromAFileAndFromMemoryAlike() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let gzip = try Gzip.compress(Array("a,b\n1,2\n".utf8))
        let text = Array(String(repeating: "数据,", count: 5000).utf8)
        let path = scratch.file("a.zip")
        try ZipWriter.write(entries: [ZipEntryData(name: "x.csv.gz", bytes: gzip), ZipEntryData(name: "dir/y.txt", bytes: text)],
                            to: path)
        let fromFile = try ZipArchive(path: path)
        let fromMemory = try ZipArchive(bytes: try readBytes(path), name: "in-memory.zip")
        for archive in [fromFile, fromMemory] {
            #expect(archive.entries.map(\.name) == ["x.csv.gz", "dir/y.txt"])
            let first = try #require(archive.entry(named: "x.csv.gz"))
            #expect(try archive.read(first) == gzip, "a .gz entry is given as stored, not gunzipped")
            #expect(try archive.read(try #require(archive.entry(named: "dir/y.txt"))) == text)
            var chunks = 0
            var streamed: [UInt8] = []
            try archive.pump(try #require(archive.entry(named: "dir/y.txt")), chunkSize: 1000) {
                chunks += 1
                streamed.append(contentsOf: $0)
            }
            #expect(streamed == text)
            #expect(chunks >= text.count / 1000)
            // As a ByteInput the entry is gunzipped like any input.
            var csv: [UInt8] = []
            try archive.input(for: first).pump { csv.append(contentsOf: $0) }
            #expect(csv == Array("a,b\n1,2\n".utf8))
        }
        #expect(fromMemory.name == "in-memory.zip")
        #expect(fromFile.entry(named: "nothing") == nil)
    }

    @Test func anEntryClimbingOutRefusesTheArchive() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = scratch.file("evil.zip")
        try ZipWriter.write(entries: [ZipEntryData(name: "ok.csv", bytes: [1]), ZipEntryData(name: "xx/evil.csv", bytes: [2])],
                            to: path)
        let evil = Self.patchName(try readBytes(path), "xx/evil.csv", "../evil.csv")
        let error = #expect(throws: ZizhuError.self) { _ = try ZipArchive(bytes: evil, name: "evil.zip") }
        #expect(error?.code == .archive)
        #expect(error?.message == "entry \"../evil.csv\" climbs out of the archive with `..`; the archive is refused")
        let absolute = Self.patchName(try readBytes(path), "xx/evil.csv", "/x/evil.csv")
        let thrown = #expect(throws: ZizhuError.self) { _ = try ZipArchive(bytes: absolute, name: "abs.zip") }
        #expect(thrown?.message.contains("absolute path") == true)
    }

    @Test func damagedArchivesAreErrorsNotCrashesOrHangs() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = scratch.file("a.zip")
        let payload = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }
        try ZipWriter.write(entries: [ZipEntryData(name: "a.bin", bytes: payload)], to: path)
        let bytes = try readBytes(path)
        // Cut anywhere: the end record is gone, or the directory lies outside the file.
        for length in [0, 10, 22, bytes.count / 2, bytes.count - 1] {
            let error = #expect(throws: ZizhuError.self) { _ = try ZipArchive(bytes: Array(bytes[0..<length]), name: "cut.zip") }
            #expect(error?.code == .archive, "cut to \(length)")
        }
        // Flip a byte inside the compressed data: the read fails (corrupt deflate or CRC), it does not crash.
        var damaged = bytes
        damaged[60] ^= 0xFF
        let archive = try ZipArchive(bytes: damaged, name: "damaged.zip")
        let error = #expect(throws: ZizhuError.self) { _ = try archive.read(archive.entries[0]) }
        #expect(error != nil)
        #expect(error?.position?.entry == "a.bin")
    }

    @Test func limitsHoldForEntriesRead() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = scratch.file("a.zip")
        try ZipWriter.write(entries: [ZipEntryData(name: "a", bytes: [UInt8](repeating: 0, count: 10_000)),
                                      ZipEntryData(name: "b", bytes: [UInt8](repeating: 1, count: 10_000))], to: path)
        let small = ArchiveLimits(maxEntryBytes: 5_000)
        let archive = try ZipArchive(path: path, limits: small)
        let thrown = #expect(throws: ZizhuError.self) { _ = try archive.read(archive.entries[0]) }
        #expect(thrown?.code == .limitExceeded)
        let tooMuch = #expect(throws: ZizhuError.self) { _ = try ZipArchive(path: path, limits: ArchiveLimits(maxTotalBytes: 15_000)) }
        #expect(tooMuch?.code == .limitExceeded)
        let thrown2 = #expect(throws: ZizhuError.self) { _ = try ZipArchive(path: scratch.file("missing.zip")) }
        #expect(thrown2?.code == .ioFailure)
    }
}
