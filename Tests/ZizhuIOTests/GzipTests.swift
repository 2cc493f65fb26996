import Foundation
import Testing
import ZizhuCore
import ZizhuIO
import ZizhuTestSupport

@Suite struct GzipTests {
    @Test func compressIsDeterministicAndRoundTrips() throws {
        let text = sampleText(bytes: 200_000)
        let first = try Gzip.compress(text)
        let second = try Gzip.compress(text)
        #expect(first == second)
        #expect(first.count < text.count / 2)
        #expect(try Gzip.decompress(first) == text)
        // Header: magic, deflate, no flags (no name), mtime 0, OS 255.
        #expect(Array(first[0..<4]) == [0x1F, 0x8B, 0x08, 0x00])
        #expect(Array(first[4..<8]) == [0, 0, 0, 0])
        #expect(first[9] == 255)
    }

    @Test func emptyDataRoundTrips() throws {
        let packed = try Gzip.compress([])
        #expect(try Gzip.decompress(packed) == [])
    }

    @Test func gzipFileWriterIsDeterministicAndReadable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let text = sampleText(bytes: 300_000)
        var outputs: [[UInt8]] = []
        for name in ["a.csv.gz", "b.csv.gz"] {
            let writer = try GzipFileWriter(path: dir.file(name))
            var offset = 0
            while offset < text.count {
                let end = min(text.count, offset + 7_777)
                try writer.write(Array(text[offset..<end]))
                offset = end
            }
            try writer.close()
            outputs.append(try readBytes(dir.file(name)))
        }
        #expect(outputs[0] == outputs[1])
        #expect(Array(outputs[0][4..<8]) == [0, 0, 0, 0])
        let opened = try InputOpener.open(dir.file("a.csv.gz"))
        #expect(try drain(opened.inputs[0]).bytes == text)
    }

    @Test func multiMemberGzipIsReadWhole() throws {
        let a = Array("学号,姓名\n".utf8)
        let b = Array("001,张三\n".utf8)
        let c = Array("002,李四\n".utf8)
        let joined = try Gzip.compress(a) + Gzip.compress(b) + Gzip.compress(c)
        #expect(try Gzip.decompress(joined) == a + b + c)
    }

    @Test func pumpGivesTheSameBytesAtEveryChunkSize() throws {
        let text = sampleText(bytes: 900)
        let joined = try Gzip.compress(Array(text[0..<300])) + Gzip.compress(Array(text[300...]))
        for size in Array(1...(joined.count + 1)) + [4096] {
            let (bytes, largest) = try drain(ByteInput.memory(joined, name: "x.gz"), chunkSize: size)
            try #require(bytes == text, "chunk size \(size)")
            try #require(largest <= size)
        }
    }

    @Test func truncatedGzipIsReportedWithAnOffsetAtEveryCut() throws {
        let text = sampleText(bytes: 5_000)
        let packed = try Gzip.compress(text)
        for cut in 2..<packed.count {
            let error = #expect(throws: ZizhuError.self) { _ = try drain(ByteInput.memory(Array(packed[0..<cut]), name: "cut.csv.gz")) }
            try #require(error?.code == .truncated, "cut at \(cut): \(String(describing: error))")
            try #require(error?.position?.byteOffset != nil)
            try #require(error?.position?.file == "cut.csv.gz")
        }
    }

    @Test func truncatedGzipFileOnDiskNamesTheDecompressedOffset() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let text = sampleText(bytes: 400_000)
        let packed = try Gzip.compress(text)
        let path = try dir.write("roster.csv.gz", Array(packed[0..<(packed.count / 2)]))
        var delivered = 0
        let error = #expect(throws: ZizhuError.self) {
            try InputOpener.open(path).inputs[0].pump(chunkSize: 65_536) { delivered += $0.count }
        }
        #expect(error?.code == .truncated)
        #expect(error?.position?.byteOffset == Int64(delivered))
        #expect(delivered > 0 && delivered < text.count)
    }

    @Test func crcMismatchIsAnArchiveError() throws {
        var packed = try Gzip.compress(sampleText(bytes: 2_000))
        packed[packed.count - 8] ^= 0xFF
        let error = #expect(throws: ZizhuError.self) { _ = try Gzip.decompress(packed) }
        #expect(error?.code == .archive)
    }

    @Test func trailingZerosAreIgnoredButGarbageIsNot() throws {
        let text = Array("a,b\n".utf8)
        let packed = try Gzip.compress(text)
        #expect(try Gzip.decompress(packed + [0, 0, 0, 0]) == text)
        let error = #expect(throws: ZizhuError.self) { _ = try Gzip.decompress(packed + Array("junk".utf8)) }
        #expect(error?.code == .archive)
    }

    @Test func gzipIsDetectedByMagicNotByName() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let text = Array("学号,姓名\n001,张三\n".utf8)
        let path = try dir.write("roster.csv", try Gzip.compress(text))
        #expect(try drain(InputOpener.open(path).inputs[0]).bytes == text)
        let plain = try dir.write("plain.csv.gz", text)
        #expect(try drain(InputOpener.open(plain).inputs[0]).bytes == text)
    }

    @Test func gzipBombStopsAtTheRatioLimit() throws {
        let zeros = [UInt8](repeating: 0x30, count: 4 << 20)
        let packed = try Gzip.compress(zeros, level: 9)
        var limits = ArchiveLimits.default
        limits.maxRatio = 100
        var delivered = 0
        let error = #expect(throws: ZizhuError.self) {
            _ = try Gzip.decompress(packed, limits: limits)
        }
        #expect(error?.code == .limitExceeded)
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = try dir.write("bomb.csv.gz", packed)
        let fromFile = #expect(throws: ZizhuError.self) {
            try InputOpener.open(path, limits: limits).inputs[0].pump { delivered += $0.count }
        }
        #expect(fromFile?.code == .limitExceeded)
        #expect(delivered < 2 << 20)
    }

    @Test func gzipEntrySizeLimitHolds() throws {
        var limits = ArchiveLimits.default
        limits.maxEntryBytes = 10_000
        let packed = try Gzip.compress(sampleText(bytes: 10_001))
        let error = #expect(throws: ZizhuError.self) { _ = try Gzip.decompress(packed, limits: limits) }
        #expect(error?.code == .limitExceeded)
        #expect(try Gzip.decompress(try Gzip.compress(sampleText(bytes: 10_000)), limits: limits).count == 10_000)
    }
}
