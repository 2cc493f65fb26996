import Foundation
import Testing
import ZIPFoundation
import ZizhuCore
import ZizhuIO
import ZizhuTestSupport

@Suite struct ZipTests {
    /// Writes a zip through ZIPFoundation directly (names ZipWriter refuses, directories).
    static func rawZip(_ path: String, _ entries: [(name: String, bytes: [UInt8]?)]) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for entry in entries {
            if let bytes = entry.bytes {
                try archive.addEntry(with: entry.name, type: .file, uncompressedSize: Int64(bytes.count),
                                     compressionMethod: .deflate) { position, size in
                    Data(bytes[Int(position)..<min(bytes.count, Int(position) + size)])
                }
            } else {
                try archive.addEntry(with: entry.name, type: .directory, uncompressedSize: Int64(0)) { (_: Int64, _: Int) in Data() }
            }
        }
    }

    @Test func twoCSVEntriesGiveTwoInputsInOrderAndOthersAreListed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let roster = Array("学号,姓名\n001,张三\n".utf8)
        let applications = Array("学号,金额\n001,1000\n".utf8)
        let path = dir.file("school.zip")
        try Self.rawZip(path, [
            ("data/", nil),
            ("data/roster.CSV", roster),
            ("说明.pdf", [1, 2, 3]),
            ("__MACOSX/data/._roster.CSV", [0, 1]),
            ("data/applications.csv.gz", try Gzip.compress(applications)),
        ])
        let opened = try InputOpener.open(path)
        #expect(opened.inputs.map(\.position.entry) == ["data/roster.CSV", "data/applications.csv.gz"])
        #expect(opened.inputs.map(\.position.file) == [path, path])
        #expect(opened.skipped.map(\.entry) == ["说明.pdf"])
        #expect(try drain(opened.inputs[0]).bytes == roster)
        #expect(try drain(opened.inputs[1]).bytes == applications)
        #expect(try drain(opened.inputs[1], chunkSize: 3).bytes == applications)
    }

    @Test func entryClimbingOutWithDotDotRefusesTheArchive() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("evil.zip")
        try Self.rawZip(path, [("ok.csv", Array("a\n".utf8)), ("../evil.csv", Array("b\n".utf8))])
        let error = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(path) }
        #expect(error?.code == .archive)
        #expect(error?.message.contains("../evil.csv") == true)
        #expect(error?.hint != nil)
    }

    @Test func absoluteEntryPathsRefuseTheArchive() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        for (index, name) in ["/etc/evil.csv", "C:\\evil.csv", "data\\..\\..\\evil.csv"].enumerated() {
            let path = dir.file("abs\(index).zip")
            try Self.rawZip(path, [(name, Array("a\n".utf8))])
            let thrown = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(path) }
            #expect(thrown?.code == .archive, "\(name)")
        }
        // A near miss: dots inside a name are fine.
        let path = dir.file("fine.zip")
        try Self.rawZip(path, [("v1..2/roster..csv", Array("a\n".utf8))])
        #expect(try InputOpener.open(path).inputs.count == 1)
    }

    @Test func zipBombIsRefusedBeforeInflating() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("bomb.zip")
        try Self.rawZip(path, [("zeros.csv", [UInt8](repeating: 0x30, count: 4 << 20))])
        #expect(try readBytes(path).count < 20_000)
        var limits = ArchiveLimits.default
        limits.maxRatio = 100
        let thrown = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(path, limits: limits) }
        #expect(thrown?.code == .limitExceeded)
        limits = .default
        limits.maxEntryBytes = 2 << 20
        let thrown2 = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(path, limits: limits) }
        #expect(thrown2?.code == .limitExceeded)
    }

    @Test func headerThatUnderstatesTheSizeIsCaughtWhileInflating() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let honest = dir.file("honest.zip")
        let content = [UInt8](repeating: 0x30, count: 2 << 20)
        try Self.rawZip(honest, [("zeros.csv", content)])
        var bytes = try readBytes(honest)
        // The central directory now claims 1000 bytes: the declared ratio looks harmless.
        let record = try #require(bytes.centralRecords.first)
        bytes.setLE32(1000, at: record + 24)
        let liar = try dir.write("liar.zip", bytes)
        let opened = try InputOpener.open(liar)
        var delivered = 0
        let error = #expect(throws: ZizhuError.self) { try opened.inputs[0].pump { delivered += $0.count } }
        #expect(error?.code == .limitExceeded)
        #expect(delivered <= 1000)
    }

    @Test func tooManyEntriesAndTooLargeATotalAreRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("many.zip")
        try ZipWriter.write(entries: (0..<3).map { ZipEntryData(name: "f\($0).csv", bytes: sampleText(bytes: 1_000)) }, to: path)
        var limits = ArchiveLimits.default
        limits.maxEntries = 2
        let thrown = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(path, limits: limits) }
        #expect(thrown?.code == .limitExceeded)
        limits = .default
        limits.maxTotalBytes = 2_500
        let thrown2 = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(path, limits: limits) }
        #expect(thrown2?.code == .limitExceeded)
        limits.maxTotalBytes = 3_000
        #expect(try InputOpener.open(path, limits: limits).inputs.count == 3)
    }

    @Test func overlappingEntriesAreRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("pair.zip")
        try ZipWriter.write(entries: [ZipEntryData(name: "a.csv", bytes: sampleText(bytes: 500)),
                                      ZipEntryData(name: "b.csv", bytes: sampleText(bytes: 500))], to: path)
        var bytes = try readBytes(path)
        let records = bytes.centralRecords
        try #require(records.count == 2)
        bytes.setLE32(0, at: records[1] + 42)  // b.csv now points at a.csv's data
        let overlapping = try dir.write("overlap.zip", bytes)
        let thrown = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(overlapping) }
        #expect(thrown?.code == .archive)
    }

    @Test func damagedEntryDataIsReported() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("one.zip")
        let text = sampleText(bytes: 20_000)
        try ZipWriter.write(entries: [ZipEntryData(name: "a.csv", bytes: text)], to: path)
        let original = try readBytes(path)
        let record = try #require(original.centralRecords.first)
        // A wrong CRC in the directory.
        var badCRC = original
        badCRC[record + 16] ^= 0xFF
        let crcPath = try dir.write("crc.zip", badCRC)
        let thrown = #expect(throws: ZizhuError.self) { _ = try drain(InputOpener.open(crcPath).inputs[0]) }
        #expect(thrown?.code == .archive)
        // A compressed size cut in half: the deflate stream never ends.
        var short = original
        short.setLE32(original.le32(at: record + 20) / 2, at: record + 20)
        let shortPath = try dir.write("short.zip", short)
        let thrown2 = #expect(throws: ZizhuError.self) { _ = try drain(InputOpener.open(shortPath).inputs[0]) }
        #expect(thrown2?.code == .truncated)
        // The file cut off before its end record.
        let cutPath = try dir.write("cut.zip", Array(original[0..<(original.count - 30)]))
        let thrown3 = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(cutPath) }
        #expect(thrown3?.code == .archive)
    }

    /// A deflate stream whose stored block claims 65535 bytes runs past the entry and the file.
    /// (ZIPFoundation 0.9.20's `extract` never returns on this file on Linux: it spins at end of
    /// file. That is why entries are read by `ZipEntryReader`.)
    @Test func deflateStreamRunningPastTheEntryIsRefusedNotSpunOn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("spin.zip")
        try Self.rawZip(path, [("a.csv", [UInt8](repeating: 0x41, count: 40))])
        var bytes = try readBytes(path)
        let data = 30 + bytes.le16(at: 26) + bytes.le16(at: 28)
        bytes.replaceSubrange(data..<(data + 5), with: [0x00, 0xFF, 0xFF, 0x00, 0x00])
        let patched = try dir.write("spin2.zip", bytes)
        let error = #expect(throws: ZizhuError.self) { _ = try drain(InputOpener.open(patched).inputs[0]) }
        #expect(error?.code == .truncated)
    }

    @Test func gbkEntryNameWithoutTheUTF8FlagIsDecoded() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("gbk.zip")
        try ZipWriter.write(entries: [ZipEntryData(name: "XX.csv", bytes: Array("a\n".utf8))], to: path)
        var bytes = try readBytes(path)
        let placeholder = Array("XX.csv".utf8)
        var from = 0
        while let at = bytes.firstIndex(of: placeholder, from: from) {
            bytes[at] = 0xD6  // 中 in GBK
            bytes[at + 1] = 0xD0
            from = at + 1
        }
        bytes.setLE16(bytes.le16(at: 6) & ~0x0800, at: 6)
        let record = try #require(bytes.centralRecords.first)
        bytes.setLE16(bytes.le16(at: record + 8) & ~0x0800, at: record + 8)
        let gbk = try dir.write("gbk2.zip", bytes)
        #expect(try InputOpener.open(gbk).inputs.map(\.position.entry) == ["中.csv"])
    }

    @Test func zipWriterIsDeterministicAndRoundTrips() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let entries = [ZipEntryData(name: "roster.csv.gz", bytes: try Gzip.compress(sampleText(bytes: 50_000))),
                       ZipEntryData(name: "manifest.json", bytes: Array("{\"rows\": 1}".utf8)),
                       ZipEntryData(name: "applications.csv", bytes: sampleText(bytes: 30_000, seed: 7)),
                       ZipEntryData(name: "empty.csv", bytes: [])]
        try ZipWriter.write(entries: entries, to: dir.file("a.zip"))
        try ZipWriter.write(entries: entries, to: dir.file("b.zip"))
        let first = try readBytes(dir.file("a.zip"))
        #expect(first == (try readBytes(dir.file("b.zip"))))
        // Every header carries 1980-01-01 00:00 (DOS time 0, date 0x21), never the clock.
        #expect(first.le16(at: 10) == 0)
        #expect(first.le16(at: 12) == 0x21)
        for record in first.centralRecords {
            #expect(first.le16(at: record + 12) == 0)
            #expect(first.le16(at: record + 14) == 0x21)
        }
        #expect(first.centralRecords.count == entries.count)
        // Writing over an existing file replaces it.
        try ZipWriter.write(entries: entries, to: dir.file("a.zip"))
        #expect(try readBytes(dir.file("a.zip")) == first)

        let opened = try InputOpener.open(dir.file("a.zip"))
        #expect(opened.inputs.map(\.position.entry) == ["roster.csv.gz", "applications.csv", "empty.csv"])
        #expect(opened.skipped == [SkippedEntry(entry: "manifest.json", reason: "not a CSV file or workbook (.csv .tsv .txt .csv.gz .xlsx .xls)")])
        #expect(try drain(opened.inputs[0]).bytes == sampleText(bytes: 50_000))
        #expect(try drain(opened.inputs[1]).bytes == entries[2].bytes)
        #expect(try drain(opened.inputs[2]).bytes == [])
    }

    @Test func zipWriterRefusesUnsafeOrDuplicateNames() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        for name in ["../x.csv", "/x.csv", "", "dir/"] {
            let thrown = #expect(throws: ZizhuError.self) { try ZipWriter.write(entries: [ZipEntryData(name: name, bytes: [])], to: dir.file("x.zip")) }
            #expect(thrown?.code == .output)
        }
        let twice = [ZipEntryData(name: "a.csv", bytes: []), ZipEntryData(name: "a.csv", bytes: [1])]
        let thrown2 = #expect(throws: ZizhuError.self) { try ZipWriter.write(entries: twice, to: dir.file("y.zip")) }
        #expect(thrown2?.code == .output)
    }
}
