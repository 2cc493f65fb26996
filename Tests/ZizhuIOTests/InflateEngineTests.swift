import Foundation
import Testing
@testable import ZizhuIO
import ZizhuTestSupport

/// ISA-L's inflate against zlib's: the same bytes, the same member ends, the same verdict on
/// damaged data, at every chunk split — ISA-L is only a faster way to the same answer.
@Suite struct InflateEngineTests {
    /// What one engine made of a byte stream fed in chunks: the output, where each gzip member
    /// ended (absolute offsets), and whether it failed.
    struct Outcome: Equatable, CustomStringConvertible {
        var output: [UInt8] = []
        var memberEnds: [Int] = []
        var failed = false
        var description: String { "\(output.count) bytes out, members end at \(memberEnds), failed: \(failed)" }
    }

    /// Feeds `stream` to a new inflater `chunk` bytes at a time, as GzipSniffer does: after a
    /// member's end the inflater is reset and the rest goes on, until the input runs out or
    /// `stopAfterMembers` members ended (what follows is then not deflate data).
    static func run(_ engine: InflateEngine, _ wrapper: DeflateWrapper, _ stream: [UInt8], chunk: Int,
                    stopAfterMembers: Int = .max) -> Outcome {
        var outcome = Outcome()
        do {
            let inflater = try InflateStream(wrapper, engine: engine)
            #expect(inflater.usedEngine == engine)
            let output = AlignedBuffer(capacity: 4096)
            try stream.withUnsafeBytes { all in
                var chunkStart = 0
                while chunkStart < all.count && outcome.memberEnds.count < stopAfterMembers {
                    let chunkEnd = min(all.count, chunkStart + chunk)
                    var from = chunkStart
                    while from < chunkEnd && outcome.memberEnds.count < stopAfterMembers {
                        let progress = try inflater.inflate(UnsafeRawBufferPointer(rebasing: all[from..<chunkEnd]),
                                                            into: output.mutableBytes) {
                            outcome.output.append(contentsOf: $0)
                        }
                        switch progress {
                        case .needsInput:
                            from = chunkEnd
                        case .streamEnd(let consumed):
                            from += consumed
                            outcome.memberEnds.append(from)
                            inflater.reset()
                        }
                    }
                    chunkStart = chunkEnd
                }
            }
        } catch {
            outcome.failed = true
        }
        return outcome
    }

    /// A gzip member built by hand around zlib's raw deflate, with the optional header fields.
    static func member(_ data: [UInt8], level: Int32 = 6, extra: [UInt8]? = nil, name: String? = nil,
                       comment: String? = nil, headerCRC: Bool = false) throws -> [UInt8] {
        var flags: UInt8 = 0
        if headerCRC { flags |= 0x02 }
        if extra != nil { flags |= 0x04 }
        if name != nil { flags |= 0x08 }
        if comment != nil { flags |= 0x10 }
        var header: [UInt8] = [0x1F, 0x8B, 8, flags, 1, 2, 3, 4, 0, 3]
        if let extra {
            header += [UInt8(extra.count & 0xFF), UInt8(extra.count >> 8)] + extra
        }
        if let name { header += Array(name.utf8) + [0] }
        if let comment { header += Array(comment.utf8) + [0] }
        if headerCRC {
            let crc = header.withUnsafeBytes { crc32Update(0, $0, engine: .zlib) }
            header += [UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF)]
        }
        let deflater = try DeflateStream(.raw, level: level)
        var body: [UInt8] = []
        let output = AlignedBuffer(capacity: 1 << 16)
        try data.withUnsafeBytes { input in
            try deflater.deflate(input, finish: true, into: output.mutableBytes) { body.append(contentsOf: $0) }
        }
        let crc = data.withUnsafeBytes { crc32Update(0, $0, engine: .zlib) }
        let size = UInt32(truncatingIfNeeded: data.count)
        let trailer = [crc, size].flatMap { value in (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        return header + body + trailer
    }

    static func raw(_ data: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        let deflater = try DeflateStream(.raw, level: level)
        var body: [UInt8] = []
        let output = AlignedBuffer(capacity: 1 << 16)
        try data.withUnsafeBytes { input in
            try deflater.deflate(input, finish: true, into: output.mutableBytes) { body.append(contentsOf: $0) }
        }
        return body
    }

    /// Every split the tests use: bytes one at a time, a few odd sizes, and all at once.
    static func chunks(for count: Int) -> [Int] {
        count <= 30_000 ? [1, 2, 3, 7, 64, 4096, count] : [7, 64, 4096, 65_537, count]
    }

    @Test func isaLIsUsedWhereTheLibraryIsInstalled() {
        // The project's set-up installs libisal; a build that silently fell back to zlib (header
        // not found at build time, library not loadable) would lose the speed without a word.
        let installed = ["/usr/lib/x86_64-linux-gnu/libisal.so.2", "/usr/lib/aarch64-linux-gnu/libisal.so.2"]
            .contains { FileManager.default.fileExists(atPath: $0) }
        let forcedZlib = ProcessInfo.processInfo.environment["ZIZHU_INFLATE"] == "zlib"
        if installed && !forcedZlib {
            #expect(InflateEngine.preferred == .isal)
        } else {
            #expect(InflateEngine.preferred == .zlib)
        }
    }

    @Test(.enabled(if: InflateEngine.preferred == .isal))
    func gzipMembersInflateAlikeAtEveryChunkSplit() throws {
        let text = sampleText(bytes: 200_000)
        var random = SeededRandom(state: 11)
        let noise = random.bytes(70_000)  // stored blocks: deflate cannot shrink it
        let cases: [(String, [UInt8])] = [
            ("one member of text", try Self.member(text)),
            ("level 1", try Self.member(text, level: 1)),
            ("level 9 of noise", try Self.member(noise, level: 9)),
            ("stored (level 0)", try Self.member(Array(text.prefix(100_000)), level: 0)),
            ("empty member", try Self.member([])),
            ("every optional header field", try Self.member(Array(text.prefix(20_000)), extra: Array(repeating: 7, count: 300),
                                                            name: "名册.csv", comment: "from the bank", headerCRC: true)),
            ("three members and zero padding", try Self.member(Array(text.prefix(9_000))) + Self.member([])
                + Self.member(Array(noise.prefix(5_000)), extra: [], name: "") + [0, 0, 0, 0]),
        ]
        for (name, stream) in cases {
            let expectedEnds = try Self.memberEndsOf(name: name, stream)
            for chunk in Self.chunks(for: stream.count) {
                let zlib = Self.run(.zlib, .gzip, stream, chunk: chunk, stopAfterMembers: expectedEnds.count)
                let isal = Self.run(.isal, .gzip, stream, chunk: chunk, stopAfterMembers: expectedEnds.count)
                #expect(!zlib.failed, "\(name), chunk \(chunk): zlib \(zlib)")
                #expect(isal == zlib, "\(name), chunk \(chunk): ISA-L \(isal) vs zlib \(zlib)")
                #expect(isal.memberEnds == expectedEnds, "\(name), chunk \(chunk)")
            }
        }
    }

    /// Where the members of the test streams end, known from how they were built.
    static func memberEndsOf(name: String, _ stream: [UInt8]) throws -> [Int] {
        let text = sampleText(bytes: 200_000)
        var random = SeededRandom(state: 11)
        let noise = random.bytes(70_000)
        if name == "three members and zero padding" {
            let first = try member(Array(text.prefix(9_000))).count
            let second = try member([]).count
            let third = try member(Array(noise.prefix(5_000)), extra: [], name: "").count
            return [first, first + second, first + second + third]
        }
        return [stream.count]
    }

    @Test(.enabled(if: InflateEngine.preferred == .isal))
    func aMemberEndsExactlyWhereTheNextBytesBegin() throws {
        // What follows a member must be seen by the reader untouched (the next member, zero
        // padding, or garbage it reports), wherever a chunk boundary falls near the trailer.
        let first = try Self.member(Array(sampleText(bytes: 3_000)))
        let garbage: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02]
        let stream = first + garbage
        for chunk in 1...40 {
            let zlib = Self.run(.zlib, .gzip, stream, chunk: chunk, stopAfterMembers: 1)
            let isal = Self.run(.isal, .gzip, stream, chunk: chunk, stopAfterMembers: 1)
            #expect(isal == zlib, "chunk \(chunk): ISA-L \(isal) vs zlib \(zlib)")
            #expect(isal.memberEnds == [first.count], "chunk \(chunk)")
        }
        // Every split point of the member's last 40 bytes, as two chunks.
        for cut in (first.count - 40)...(first.count + garbage.count) {
            for engine in [InflateEngine.zlib, .isal] {
                let outcome = Self.runSplit(engine, stream, at: cut)
                #expect(outcome.memberEnds == [first.count], "\(engine) split at \(cut): \(outcome)")
                #expect(!outcome.failed, "\(engine) split at \(cut)")
            }
        }
    }

    @Test(.enabled(if: InflateEngine.preferred == .isal))
    func whatFollowsAMemberIsJudgedAsZlibJudgesIt() throws {
        // After a member, the reader starts the next one: a bad byte is refused as soon as it is
        // seen (as zlib does), a cut header waits for more, whatever the chunk size.
        let first = try Self.member(Array(sampleText(bytes: 500)))
        let tails: [[UInt8]] = [
            Array("junk".utf8), Array("j".utf8), [0x1F], [0x1F, 0x8B], [0x1F, 0x8B, 7], [0x1F, 0x8B, 8, 0xE0],
            [0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3, 0x41], [0x1F, 0x8C, 8, 0],
        ]
        for tail in tails {
            for chunk in [1, 2, 5, first.count + tail.count] {
                let zlib = Self.run(.zlib, .gzip, first + tail, chunk: chunk)
                let isal = Self.run(.isal, .gzip, first + tail, chunk: chunk)
                #expect(isal == zlib, "tail \(tail), chunk \(chunk): ISA-L \(isal) vs zlib \(zlib)")
            }
        }
    }

    static func runSplit(_ engine: InflateEngine, _ stream: [UInt8], at cut: Int) -> Outcome {
        var outcome = Outcome()
        do {
            let inflater = try InflateStream(.gzip, engine: engine)
            let output = AlignedBuffer(capacity: 1 << 16)
            for (start, end) in [(0, cut), (cut, stream.count)] where outcome.memberEnds.isEmpty && start < end {
                let progress = try Array(stream[start..<end]).withUnsafeBytes { piece in
                    try inflater.inflate(piece, into: output.mutableBytes) { outcome.output.append(contentsOf: $0) }
                }
                if case .streamEnd(let consumed) = progress { outcome.memberEnds.append(start + consumed) }
            }
        } catch {
            outcome.failed = true
        }
        return outcome
    }

    @Test(.enabled(if: InflateEngine.preferred == .isal))
    func damagedMembersAreRefusedByBoth() throws {
        // One byte changed anywhere in a member: both engines refuse it, or (a byte neither checks,
        // such as the header's time) both read it whole. Never one output from ISA-L and another
        // from zlib.
        let original = Array(sampleText(bytes: 6_000))
        let clean = try Self.member(original, name: "a.csv", headerCRC: false)
        var random = SeededRandom(state: 5)
        var refused = 0
        for trial in 0..<400 {
            var damaged = clean
            let at = trial < clean.count ? trial % clean.count : random.below(clean.count)
            damaged[at] ^= UInt8(1 + random.below(255))
            for chunk in [13, damaged.count] {
                let zlib = Self.run(.zlib, .gzip, damaged, chunk: chunk, stopAfterMembers: 1)
                let isal = Self.run(.isal, .gzip, damaged, chunk: chunk, stopAfterMembers: 1)
                #expect(isal.failed == zlib.failed, "byte \(at), chunk \(chunk): ISA-L \(isal) vs zlib \(zlib)")
                if !isal.failed && !zlib.failed {
                    #expect(isal.output == original && zlib.output == original, "byte \(at)")
                }
                if isal.failed { refused += 1 }
            }
        }
        #expect(refused > 600, "the damage should be seen nearly always; refused \(refused) of 800")
        // A member cut short is never finished.
        let cut = Self.run(.isal, .gzip, Array(clean.dropLast(3)), chunk: 100)
        #expect(cut.memberEnds.isEmpty && !cut.failed)
    }

    @Test(.enabled(if: InflateEngine.preferred == .isal))
    func rawDeflateInflatesAlikeAndEndsWhereZlibSays() throws {
        let text = sampleText(bytes: 120_000)
        var random = SeededRandom(state: 3)
        for data in [text, random.bytes(40_000), [], Array(text.prefix(10))] {
            for level: Int32 in [0, 1, 6, 9] {
                let stream = try Self.raw(data, level: level)
                for chunk in Self.chunks(for: stream.count) {
                    let zlib = Self.run(.zlib, .raw, stream, chunk: chunk, stopAfterMembers: 1)
                    let isal = Self.run(.isal, .raw, stream, chunk: chunk, stopAfterMembers: 1)
                    #expect(zlib.output == data && zlib.memberEnds == [stream.count])
                    #expect(isal == zlib, "level \(level), \(data.count) bytes, chunk \(chunk): ISA-L \(isal) vs zlib \(zlib)")
                }
            }
        }
    }

    @Test(.enabled(if: InflateEngine.preferred == .isal))
    func crc32IsZlibsOnEveryLengthAndWhenChained() {
        var random = SeededRandom(state: 9)
        let bytes = random.bytes(70_000)
        bytes.withUnsafeBytes { all in
            for length in Array(0...300) + [4_095, 4_096, 4_097, 65_536, 70_000] {
                let piece = UnsafeRawBufferPointer(rebasing: all[0..<length])
                #expect(crc32Update(0, piece, engine: .isal) == crc32Update(0, piece, engine: .zlib), "length \(length)")
            }
            var isal: UInt32 = 0
            var zlib: UInt32 = 0
            var offset = 0
            while offset < all.count {
                let end = min(all.count, offset + 1 + random.below(5_000))
                let piece = UnsafeRawBufferPointer(rebasing: all[offset..<end])
                isal = crc32Update(isal, piece, engine: .isal)
                zlib = crc32Update(zlib, piece, engine: .zlib)
                offset = end
            }
            #expect(isal == zlib)
        }
    }
}
