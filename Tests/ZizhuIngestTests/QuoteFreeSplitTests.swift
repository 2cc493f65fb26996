import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO
import ZizhuTestSupport

/// Whole lines without a quote are split by our own loop (`CSVOptions.splitsQuoteFreeLines`);
/// everything else goes through libcsv. The two must agree byte for byte: same records, lines,
/// offsets, counts and errors, at every chunk size and with either separator.
@Suite struct QuoteFreeSplitTests {
    /// Blank-heavy text without quotes (so almost every line takes the split path), with a few
    /// quoted lines among them (which must go to libcsv and leave it in the right state).
    static func blankHeavyCSV(seed: UInt64, records: Int, separator: Character, quotedShare: Int) -> String {
        var random = SeededRandom(state: seed)
        let pieces = ["a", "7", "中", "😀", " ", "  ", "\t", String(separator), "x y", "é", "\u{3000}"]
        let breaks = ["\n", "\r\n", "\r"]
        var text = ""
        for _ in 0..<records {
            switch random.below(12) {
            case 0: text += breaks[random.below(3)]                       // an empty line
            case 1: text += [" ", "\t", "  \t "][random.below(3)] + breaks[random.below(3)]   // only blanks
            default: break
            }
            var line = ""
            for _ in 0..<random.below(9) { line += pieces[random.below(pieces.count)] }
            if quotedShare > 0 && random.below(quotedShare) == 0 {
                line += String(separator) + "\"q\(separator)\r\n\"\"x\"\"\"" + (random.below(2) == 0 ? "  " : "")
            }
            text += line + breaks[random.below(3)]
        }
        if random.below(2) == 0 { text += "last\(separator) end " }   // a last line without a break
        return text
    }

    static func read(_ text: String, separator: UInt8, split: Bool, chunk: Int, batchRecords: Int = 8192) throws -> ReadResult {
        var options = CSVOptions()
        options.delimiter = separator
        options.splitsQuoteFreeLines = split
        options.chunkSize = chunk
        options.batchRecords = batchRecords
        return try readAll(Array(text.utf8), options: options)
    }

    static func expectSame(_ text: String, separator: UInt8) throws {
        let libcsv = try read(text, separator: separator, split: false, chunk: 1 << 20)
        for chunk in [1, 2, 3, 5, 17, 64, 4096, 1 << 20] {
            let fast = try read(text, separator: separator, split: true, chunk: chunk, batchRecords: chunk == 17 ? 3 : 8192)
            try #require(fast.records == libcsv.records, "records differ at chunk \(chunk)")
            try #require(fast.lines == libcsv.lines, "lines differ at chunk \(chunk)")
            try #require(fast.offsets == libcsv.offsets, "offsets differ at chunk \(chunk)")
            try #require(fast.stats?.physicalLines == libcsv.stats?.physicalLines)
            try #require(fast.stats?.records == libcsv.stats?.records)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func agreesWithLibcsvWithCommas(seed: UInt64) throws {
        try Self.expectSame(Self.blankHeavyCSV(seed: seed, records: 60, separator: ",", quotedShare: seed % 2 == 0 ? 5 : 0),
                            separator: 0x2C)
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func agreesWithLibcsvWithTabs(seed: UInt64) throws {
        try Self.expectSame(Self.blankHeavyCSV(seed: seed, records: 60, separator: "\t", quotedShare: seed % 2 == 0 ? 5 : 0),
                            separator: 0x09)
    }

    @Test func agreesWithTheReferenceParser() throws {
        for seed in UInt64(21)...24 {
            let text = Self.blankHeavyCSV(seed: seed, records: 50, separator: ",", quotedShare: 4)
            let reference = ReferenceCSV.parse(Array(text.utf8))
            let fast = try Self.read(text, separator: 0x2C, split: true, chunk: 1 << 20)
            #expect(fast.records == reference.records.map(\.fields), "seed \(seed)")
            #expect(fast.lines == reference.records.map(\.line), "seed \(seed)")
        }
    }

    @Test(arguments: [UInt8(0x2C), 0x09])
    func aSeparatorIsFoundAtEveryPositionOfAWord(separator: UInt8) throws {
        // Fields of 0…19 bytes (ASCII and 中), so a separator falls at every offset of the
        // eight-byte scan and past its last whole word; the line's last field has none after it.
        let sep = String(UnicodeScalar(separator))
        var text = ""
        for length in 0..<20 {
            let ascii = String(repeating: "a", count: length)
            let wide = String(repeating: "中", count: length / 3)
            text += [ascii, wide, ascii + " ", "b"].joined(separator: sep) + "\n"
            text += ascii + sep + "\n"
        }
        try Self.expectSame(text, separator: separator)
        let result = try Self.read(text, separator: separator, split: true, chunk: 1 << 20)
        #expect(result.records.count == 40)
        #expect(result.records[2 * 13] == [String(repeating: "a", count: 13), "中中中中", String(repeating: "a", count: 13), "b"])
        #expect(result.records[2 * 13 + 1] == [String(repeating: "a", count: 13), ""])
    }

    @Test func trimsBlanksAndKeepsEmptyFields() throws {
        let text = " a , b\t,,c \n   \n\t\n,\n x y ,中 文\r\n"
        let result = try Self.read(text, separator: 0x2C, split: true, chunk: 1 << 20)
        #expect(result.records == [["a", "b", "", "c"], ["", ""], ["x y", "中 文"]])
        #expect(result.lines == [1, 4, 5])
        #expect(result.stats?.physicalLines == 5)
    }

    @Test func aTabSeparatorIsNeverTrimmed() throws {
        let text = "a\t\tb \n\t\n  \n"
        let result = try Self.read(text, separator: 0x09, split: true, chunk: 1 << 20)
        // "\t" alone is two empty fields; a line of spaces is no record.
        #expect(result.records == [["a", "", "b"], ["", ""]])
        #expect(result.lines == [1, 2])
    }

    @Test func aFieldOverTheLimitIsReportedTheSameWay() throws {
        let text = "ok,1\n" + String(repeating: "x", count: 40) + ",2\n"
        for split in [true, false] {
            var options = CSVOptions()
            options.splitsQuoteFreeLines = split
            options.maxFieldBytes = 32
            let error = #expect(throws: ZizhuError.self) { _ = try readAll(Array(text.utf8), options: options) }
            #expect(error?.code == .limitExceeded, "split \(split)")
            #expect(error?.position?.line == 2, "split \(split)")
        }
    }
}
