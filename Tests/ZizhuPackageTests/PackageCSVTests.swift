import Foundation
import Testing
import ZizhuCore
import ZizhuTestSupport
@testable import ZizhuPackage

@Suite struct PackageCSVTests {
    @Test func quotedFieldsKeepCommasDoubledQuotesAndLineFeeds() throws {
        let table = try PackageCSV.parse(sampleRoster, name: "roster.csv")
        #expect(table.header == ["student_no", "name", "id_number", "study_mode", "status", "major"])
        #expect(table.rows.count == 4)
        #expect(table.rows[0][5] == "数控技术,加工")
        #expect(table.rows[1][5] == "汽车\"维修\"")
        #expect(table.rows[2][5] == "多行\n专业")
        #expect(table.rows[3] == ["S004", "赵六", "370102200504041234", "全日制", "休学", "电工"])
        #expect(table.column("status") == 4)
        #expect(table.column("tier") == nil)
    }

    @Test func rowLinesArePhysicalLinesAcrossEmbeddedLineFeeds() throws {
        var lines: [Int] = []
        try PackageCSV.forEachRow(in: sampleRoster, name: "roster.csv") { _, line in lines.append(line) }
        #expect(lines == [2, 3, 4, 6], "S003's field spans lines 4–5, so S004 starts on line 6")
    }

    @Test func rowCountAgreesWithParsingAndIgnoresTheFinalLineFeed() throws {
        for text in ["a,b\n", "a,b", "a,b\n1,2", "a,b\n1,2\n", "a,b\n\"1\n\n\",2\n", "a\n\n", "a,b\n\"\",\"\"\n"] {
            let bytes = Array(text.utf8)
            #expect(try PackageCSV.countRows(bytes, name: "t") == PackageCSV.parse(bytes, name: "t").rows.count, "\(text)")
        }
        #expect(try PackageCSV.countRows(Array("a,b\n1,2\n3,4".utf8), name: "t") == 2)
        #expect(try PackageCSV.countRows(Array("a\n\n".utf8), name: "t") == 1, "one column: a blank line is one empty value")
        #expect(try PackageCSV.parse(Array("a,b\n,\n".utf8), name: "t").rows == [["", ""]])
        #expect(try PackageCSV.parse(Array("\u{FEFF}a,b\n1,2\n".utf8), name: "t").header == ["a", "b"])
        #expect(try PackageCSV.parse(Array("a,b\r\n1,2\r\n".utf8), name: "t").rows == [["1", "2\r"]],
                "CR is data in the LF-only package format")
    }

    @Test func malformedCSVIsAnErrorNamingFileAndLine() {
        func failure(_ text: String) -> ZizhuError? {
            #expect(throws: ZizhuError.self) { _ = try PackageCSV.countRows(Array(text.utf8), name: "roster.csv") }
        }
        let unterminated = failure("a,b\n1,\"open\n2,3\n")
        #expect(unterminated?.code == .csvSyntax)
        #expect(unterminated?.position?.line == 2)
        #expect(unterminated?.message.contains("never closed") == true)

        let stray = failure("a,b\n1,x\"y\n")
        #expect(stray?.code == .csvSyntax)
        #expect(stray?.message.contains("quote inside a field") == true)

        let trailing = failure("a,b\n\"1\"x,2\n")
        #expect(trailing?.message.contains("closing quote is followed") == true)

        let width = failure("a,b\n1,2\n1,2,3\n")
        #expect(width?.code == .csvSyntax)
        #expect(width?.position?.line == 3)
        #expect(width?.message == "the row has 3 fields, the header has 2")

        let blank = failure("a,b\n1,2\n\n3,4\n")
        #expect(blank?.position?.line == 3, "a blank line is a record of one field")

        #expect(failure("")?.code == .noHeader)

        var invalid = Array("a,b\n1,".utf8)
        invalid.append(contentsOf: [0xE4, 0xB8])  // a cut-off 3-byte sequence
        invalid.append(contentsOf: Array("\n".utf8))
        let encoding = #expect(throws: ZizhuError.self) { _ = try PackageCSV.parse(invalid, name: "roster.csv") }
        #expect(encoding?.code == .invalidEncoding)
        #expect(encoding?.position?.line == 2)
        let thrown = #expect(throws: ZizhuError.self) { _ = try PackageCSV.parse([0xED, 0xA0, 0x80], name: "t") }
        #expect(thrown?.code == .invalidEncoding,
                "UTF-16 surrogates encoded as UTF-8 are not UTF-8")
    }

    @Test func utf8ValidatorAgreesWithTheStandardLibraryOnEveryPrefix() {
        let samples: [[UInt8]] = [sampleRoster, sampleApplications, Array("😀€¢a".utf8),
                                  [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xE0, 0x80, 0x80], [0x80]]
        for sample in samples {
            for end in 0...sample.count {
                let prefix = Array(sample[0..<end])
                let ours = prefix.withUnsafeBufferPointer { PackageCSV.firstInvalidUTF8($0) } == nil
                #expect(ours == (String(validating: prefix, as: UTF8.self) != nil), "\(prefix)")
            }
        }
    }

    @Test func countsFollowTheDeclarationRules() throws {
        let counts = try DeclarationCounts.compute(roster: sampleRoster, applications: sampleApplications)
        #expect(counts == sampleCounts)
    }

    @Test func grantAmountIsSummedExactlyInFen() throws {
        // 0.10 added 1000 times is 100.00 in fen; a Double sum would drift to 99.9999999999986.
        var text = "aid_type,tier,amount,approval_status\n"
        for _ in 0..<1000 { text += "国家助学金,三档,0.10,已审批\n" }
        text += "国家助学金,一档,1250.5,已审批\n"
        let counts = try DeclarationCounts.compute(roster: Array("study_mode,status\n".utf8), applications: Array(text.utf8))
        #expect(counts.grantAmount == "1350.50")
        #expect(counts.grantApplicationsByTier == ["三档": 1000, "一档": 1])
        #expect(counts.rosterRows == 0)
        #expect(counts.fullTimeEnrolled == 0)
    }

    @Test func aMissingColumnOrAnAmountThatIsNotMoneyIsAClearError() {
        let missing = #expect(throws: ZizhuError.self) {
            _ = try DeclarationCounts.compute(roster: Array("student_no,status\nS1,在籍\n".utf8), applications: sampleApplications)
        }
        #expect(missing?.code == .noHeader)
        #expect(missing?.position?.file == "roster.csv.gz")
        #expect(missing?.message.contains("no column study_mode") == true)

        let noTier = #expect(throws: ZizhuError.self) {
            _ = try DeclarationCounts.compute(roster: sampleRoster,
                                              applications: Array("aid_type,amount,approval_status\n".utf8))
        }
        #expect(noTier?.message.contains("no column tier") == true)

        let badAmount = #expect(throws: ZizhuError.self) {
            _ = try DeclarationCounts.compute(
                roster: sampleRoster,
                applications: Array("aid_type,tier,amount,approval_status\n免学费,,x,已审批\n国家助学金,一档,12.5.0,已审批\n".utf8))
        }
        #expect(badAmount?.code == .csvSyntax)
        #expect(badAmount?.position?.line == 3, "免学费 amounts are not summed; the grant row's is")
        #expect(badAmount?.position?.column == "amount")

        // A 退回 grant row is not counted, so its amount is not read.
        #expect(throws: Never.self) {
            _ = try DeclarationCounts.compute(
                roster: sampleRoster, applications: Array("aid_type,tier,amount,approval_status\n国家助学金,一档,,退回\n".utf8))
        }
    }
}


/// The word-at-a-time UTF-8 check against the byte-at-a-time one it replaced.
@Suite struct PackageCSVUTF8FastPathTests {
    private static func both(_ bytes: [UInt8]) -> (fast: (Int, Int)?, slow: (Int, Int)?) {
        bytes.withUnsafeBufferPointer { buffer in
            (PackageCSV.firstInvalidUTF8(buffer).map { ($0.offset, $0.line) },
             PackageCSV.firstInvalidUTF8Bytewise(buffer).map { ($0.offset, $0.line) })
        }
    }

    @Test func agreesWithTheBytewiseCheckOnMixedText() {
        var random = SeededRandom(state: 7)
        let pieces: [[UInt8]] = [
            Array("110101200001011234,张三,在籍\n".utf8), Array("abcdefgh".utf8), Array("\n".utf8),
            Array("é".utf8), Array("𠀀".utf8), Array("国家助学金".utf8),
            [0x80], [0xC0, 0xAF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE4, 0xB8],
        ]
        var invalidSeen = 0
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(12) {
                // Mostly valid pieces; now and then an invalid one, at every alignment.
                let piece = random.below(10) < 8 ? pieces[random.below(6)] : pieces[random.below(pieces.count)]
                bytes += piece
                bytes += [UInt8](repeating: UInt8(ascii: "x"), count: random.below(9))
            }
            if random.below(4) == 0, !bytes.isEmpty { bytes.removeLast(random.below(min(3, bytes.count) + 1)) }
            let (fast, slow) = Self.both(bytes)
            #expect(fast?.0 == slow?.0 && fast?.1 == slow?.1, "\(bytes)")
            if slow != nil { invalidSeen += 1 }
        }
        // The generator must have made both kinds, or the comparison proves little.
        #expect(invalidSeen > 300 && invalidSeen < 2700)
    }

    @Test func findsAnInvalidByteAtEachAlignmentWithItsLine() {
        for offset in 0..<24 {
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 24)
            bytes[3] = 0x0A
            bytes[offset] = 0xFF
            let (fast, slow) = Self.both(bytes)
            #expect(fast?.0 == offset)
            #expect(fast?.1 == (offset > 3 ? 2 : 1))
            #expect(fast?.1 == slow?.1)
        }
        #expect(Self.both(Array("完全合法的文本 valid text\n".utf8)).fast == nil)
        #expect(Self.both([]).fast == nil)
    }
}
