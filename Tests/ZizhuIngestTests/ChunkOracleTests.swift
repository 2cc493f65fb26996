import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO

/// The same input fed in every chunk size from 1 byte to its whole length (and larger): the
/// records, their lines and offsets never depend on where a chunk ends.
@Suite struct ChunkOracleTests {
    /// Source bytes for `text` in `encoding`, and the byte-order mark length.
    static func encode(_ text: String, as encoding: TextEncoding) throws -> (bytes: [UInt8], bom: Int) {
        let utf8 = Array(text.utf8)
        switch encoding {
        case .utf8: return (utf8, 0)
        case .utf8BOM: return ([0xEF, 0xBB, 0xBF] + utf8, 3)
        case .gb18030: return (try IconvConverter.convert(utf8, from: "UTF-8", to: "GB18030"), 0)
        case .utf16LE: return ([0xFF, 0xFE] + (try IconvConverter.convert(utf8, from: "UTF-8", to: "UTF-16LE")), 2)
        case .utf16BE: return ([0xFE, 0xFF] + (try IconvConverter.convert(utf8, from: "UTF-8", to: "UTF-16BE")), 2)
        }
    }

    /// Where each reference record's line starts in the source bytes.
    static func sourceOffsets(_ records: [ReferenceRecord], text: [UInt8], encoding: TextEncoding, bom: Int) throws -> [Int64] {
        try records.map { record in
            let prefix = Array(text[0..<record.textOffset])
            switch encoding {
            case .utf8, .utf8BOM: return Int64(bom + prefix.count)
            default:
                let target = encoding == .gb18030 ? "GB18030" : encoding.rawValue
                return Int64(bom + (try IconvConverter.convert(prefix, from: "UTF-8", to: target)).count)
            }
        }
    }

    static func chunkSizes(for count: Int) -> [Int] {
        Array(1...count) + [count + 1, 4096, 1 << 20]
    }

    static func checkEveryChunkSize(_ text: String, encoding: TextEncoding, gzipMembers: Int = 0,
                                    batchRecords: Int = 8192) throws {
        let (source, bom) = try encode(text, as: encoding)
        var bytes = source
        if gzipMembers > 0 {
            // Split into members at arbitrary points (possibly inside a character: gzip does not care).
            var members: [UInt8] = []
            let step = max(1, source.count / gzipMembers)
            var start = 0
            while start < source.count {
                let end = min(source.count, start + step)
                members += try Gzip.compress(Array(source[start..<end]))
                start = end
            }
            bytes = members
        }
        let utf8 = Array(text.utf8)
        let reference = ReferenceCSV.parse(utf8)
        let expectedOffsets = try sourceOffsets(reference.records, text: utf8, encoding: encoding, bom: bom)
        let expectedEncoding: TextEncoding = encoding
        for size in chunkSizes(for: bytes.count) {
            var options = CSVOptions()
            options.chunkSize = size
            options.batchRecords = batchRecords
            let result = try readAll(ByteInput.memory(bytes, name: "oracle.csv"), options: options)
            try #require(result.records == reference.records.map(\.fields), "records differ at chunk size \(size)")
            try #require(result.lines == reference.records.map(\.line), "lines differ at chunk size \(size)")
            try #require(result.offsets == expectedOffsets, "offsets differ at chunk size \(size)")
            try #require(result.stats?.physicalLines == reference.lines, "line count differs at chunk size \(size)")
            try #require(result.stats?.encoding == expectedEncoding, "encoding differs at chunk size \(size)")
            try #require(result.stats?.delimiter == ",")
            try #require(result.stats?.sourceBytes == Int64(source.count))
            try #require(result.stats?.records == reference.records.count)
        }
    }

    @Test func referenceParserAgreesWithTheGenerator() {
        let text = "t,,\n\na,\"b,\"\"c\"\"\r\nd\",e\r\n  f , g\t,\"h\"\rlast,1"
        let parsed = ReferenceCSV.parse(Array(text.utf8))
        #expect(parsed.records.map(\.fields) == [["t", "", ""], ["a", "b,\"c\"\r\nd", "e"], ["f", "g", "h"], ["last", "1"]])
        #expect(parsed.records.map(\.line) == [1, 3, 5, 6])
        #expect(parsed.lines == 6)
    }

    @Test func plainUTF8IsChunkIndependent() throws {
        try Self.checkEveryChunkSize(generateAwkwardCSV(seed: 1, records: 24), encoding: .utf8)
    }

    @Test func crlfUTF8WithSmallBatchesIsChunkIndependent() throws {
        try Self.checkEveryChunkSize(generateAwkwardCSV(seed: 2, records: 24, lineBreak: "\r\n"), encoding: .utf8,
                                     batchRecords: 3)
    }

    @Test func utf8WithBOMIsChunkIndependent() throws {
        try Self.checkEveryChunkSize(generateAwkwardCSV(seed: 3, records: 20), encoding: .utf8BOM)
    }

    @Test func gb18030IsChunkIndependent() throws {
        let text = generateAwkwardCSV(seed: 4, records: 24, lineBreak: "\r\n")
        let (bytes, _) = try Self.encode(text, as: .gb18030)
        // The input must really hold 2-byte (中 = D6 D0) and 4-byte (¥ = 81 30 84 36) sequences.
        #expect(bytes.contains(subsequence: [0xD6, 0xD0]))
        #expect(bytes.contains(subsequence: [0x81, 0x30, 0x84, 0x36]) || bytes.contains(subsequence: [0x94, 0x39, 0xFC, 0x36]))
        try Self.checkEveryChunkSize(text, encoding: .gb18030)
    }

    @Test func utf16LittleEndianIsChunkIndependent() throws {
        try Self.checkEveryChunkSize(generateAwkwardCSV(seed: 5, records: 16), encoding: .utf16LE)
    }

    @Test func utf16BigEndianIsChunkIndependent() throws {
        try Self.checkEveryChunkSize(generateAwkwardCSV(seed: 6, records: 16, lineBreak: "\r\n"), encoding: .utf16BE)
    }

    @Test func multiMemberGzipIsChunkIndependent() throws {
        try Self.checkEveryChunkSize(generateAwkwardCSV(seed: 7, records: 20), encoding: .utf8, gzipMembers: 3)
    }

    @Test func gzippedGB18030IsChunkIndependent() throws {
        try Self.checkEveryChunkSize(generateAwkwardCSV(seed: 8, records: 12), encoding: .gb18030, gzipMembers: 2)
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        for start in 0...(count - subsequence.count) where self[start..<(start + subsequence.count)].elementsEqual(subsequence) {
            return true
        }
        return false
    }
}
