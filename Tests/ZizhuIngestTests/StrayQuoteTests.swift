import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO

/// A quote left open in a column that cannot hold a line break cuts only its own line; the lines
/// after it are records of their own — at every chunk size, batch size and on both parse paths.
@Suite struct StrayQuoteTests {
    /// The header starts with 学号; only 备注 may hold a line break.
    static let policy: @Sendable ([String]) -> [Bool]? = { cells in
        cells.first == "学号" ? cells.map { $0 == "备注" } : nil
    }

    struct Record: Equatable, CustomStringConvertible {
        var cells: [String]
        var line: Int
        var cut: Bool
        var description: String { "\(line)\(cut ? "!" : ""): \(cells)" }
    }

    static func read(_ text: String, chunk: Int, split: Bool, batch: Int, policy: (@Sendable ([String]) -> [Bool]?)? = Self.policy) throws -> [Record] {
        var options = CSVOptions()
        options.chunkSize = chunk
        options.splitsQuoteFreeLines = split
        options.batchRecords = batch
        options.lineBreakColumns = policy
        var records: [Record] = []
        _ = try RecordReader(input: ByteInput.memory(Array(text.utf8), name: "t.csv"), sourceIndex: 0, options: options).read { b in
            for r in 0..<b.count { records.append(Record(cells: b.strings(r), line: b.line(r), cut: b.hasUnclosedQuote(r))) }
        }
        return records
    }

    static let text = "名册\n学号,姓名,备注\n1,张三,ok\n2,\"李四,x\n3,王五,y\n4,赵六,\"多\n行\"\n5,孙七,\"z\"\n"

    static let expected = [
        Record(cells: ["名册"], line: 1, cut: false),
        Record(cells: ["学号", "姓名", "备注"], line: 2, cut: false),
        Record(cells: ["1", "张三", "ok"], line: 3, cut: false),
        Record(cells: ["2", "李四,x"], line: 4, cut: true),
        Record(cells: ["3", "王五", "y"], line: 5, cut: false),
        Record(cells: ["4", "赵六", "多\n行"], line: 6, cut: false),
        Record(cells: ["5", "孙七", "z"], line: 8, cut: false),
    ]

    @Test func onlyTheLineWithTheStrayQuoteIsCut() throws {
        for chunk in 1...Self.text.utf8.count {
            for split in [true, false] {
                for batch in [1, 2, 8192] {
                    let records = try Self.read(Self.text, chunk: chunk, split: split, batch: batch)
                    #expect(records == Self.expected, "chunk \(chunk) split \(split) batch \(batch)")
                }
            }
        }
    }

    @Test func crlfLinesAreCutTheSame() throws {
        let text = Self.text.replacingOccurrences(of: "\n", with: "\r\n")
        var expected = Self.expected
        expected[5].cells[2] = "多\r\n行"
        for chunk in 1...text.utf8.count {
            for split in [true, false] {
                #expect(try Self.read(text, chunk: chunk, split: split, batch: 3) == expected, "chunk \(chunk) split \(split)")
            }
        }
    }

    @Test func loneCRLinesAreCutTheSame() throws {
        let text = Self.text.replacingOccurrences(of: "\n", with: "\r")
        var expected = Self.expected
        expected[5].cells[2] = "多\r行"
        for chunk in 1...text.utf8.count {
            for split in [true, false] {
                #expect(try Self.read(text, chunk: chunk, split: split, batch: 2) == expected, "chunk \(chunk) split \(split)")
            }
        }
    }

    @Test func aStrayQuoteOnALastLineWithoutABreakCutsThatLine() throws {
        for chunk in [1, 4, 64] {
            let records = try Self.read("学号,姓名,备注\n1,\"张三,x", chunk: chunk, split: true, batch: 8)
            #expect(records == [Record(cells: ["学号", "姓名", "备注"], line: 1, cut: false),
                                Record(cells: ["1", "张三,x"], line: 2, cut: true)], "chunk \(chunk)")
        }
        // In a column that may hold a line break it is still the unclosed-quote error.
        let error = #expect(throws: ZizhuError.self) { _ = try Self.read("学号,姓名,备注\n1,张三,\"x", chunk: 4, split: true, batch: 8) }
        #expect(error?.code == .csvSyntax)
        #expect(error?.position?.line == 2)
    }

    @Test func withoutTheSchemasSayAQuoteRunsOnAsInPlainCSV() throws {
        let records = try Self.read(Self.text, chunk: 1 << 20, split: true, batch: 8192, policy: nil)
        #expect(records.count < Self.expected.count, "plain CSV lets the quote run on: \(records)")
        #expect(!records.contains { $0.cut })
    }

    @Test func aQuoteBeforeTheHeaderIsNotCut() throws {
        let text = "\"标题\n第二行\"\n学号,姓名,备注\n1,张三,ok\n"
        let records = try Self.read(text, chunk: 3, split: true, batch: 8192)
        #expect(records.map(\.cut) == [false, false, false])
        #expect(records.first?.cells == ["标题\n第二行"])
    }
}
