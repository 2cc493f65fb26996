import Foundation
import Testing
import ZizhuCore
import ZizhuReport
@testable import ZizhuPipeline
import ZizhuSchema
import ZizhuTestSupport

/// cleaned.csv's cells are written as bytes straight from the validated batch; they must be the
/// bytes of the cell text the String path makes (`CleanedOutput.text`), masked and unmasked, for
/// every kind of value of every schema.
@Suite struct CleanedCellBytesTests {
    /// Spellings for a field of `type`: valid ones in several forms, and some that are refused
    /// (a refused row is simply not compared).
    static func spellings(for field: TableSchema.Field) -> [String] {
        switch field.type {
        case .string:
            return ["S001", "张三丰", "  ab  ", "=1+1", "-5", "a,b", "he said \"hi\"", "内含370102199001011234号",
                    "卡号6212 2637 1116 6533 298", "０１２３４５６７８９０１２３４５６７", "x", "", "370100"]
        case .personName:
            return ["王小明", "李 四", "阿卜杜·热合曼", "Ａｂ", "王370102199001011234"]
        case .code:
            let spellings = (field.codes ?? [:]).sorted { $0.key < $1.key }.flatMap { [$0.key] + $0.value.filter { !$0.hasSuffix("*") } }
            return spellings.isEmpty ? [""] : spellings + [""]
        case .residentID:
            return ["11010519491231002X", "110105194912310021", "11010519491231002x", " 11010519491231002X ", "E12345678"]
        case .date:
            return field.format == "month" ? ["2023-09", "2023年9月", "2023/9"] : ["2023-09-01", "2023/9/1", "20230901", "2023年9月1日", ""]
        case .region:
            return ["370102", "110000", "440100"]
        case .money:
            return ["1000", "1,000.50", "¥2000.00", "0.5", "-12.30", ""]
        case .term:
            return ["2023-fall", "2023秋", "2023-spring"]
        case .integer:
            return ["12", "0", "007"]
        case .grade:
            return ["2023", "2022级", "一年级"]
        case .bankAccount:
            return ["6212854012341234", "6212 2637 1116 6533 298", "****1234", "62128540123412345678"]
        }
    }

    static func batches(_ schemaName: String, seed: UInt64) throws -> (batches: [ValidatedBatch], validator: RowValidator?) {
        let schema = try TableSchema.named(schemaName)
        let table = TableValidator(schema: schema, matcher: try HeaderMatcher(schema: schema),
                                   input: InputPosition(file: "\(schemaName).csv"), sourceIndex: 0)
        var random = SeededRandom(state: seed)
        let header = schema.fields.map(\.displayTitle)
        let choices = schema.fields.map(spellings)
        var out: [ValidatedBatch] = []
        var line: UInt32 = 1
        for _ in 0..<8 {
            var batch = RecordBatch(sourceIndex: 0)
            if line == 1 { batch.appendRecord(header, line: line); line += 1 }
            for _ in 0..<150 {
                batch.appendRecord(choices.map { $0[random.below($0.count)] }, line: line)
                line += 1
            }
            out += try table.consume(batch)
        }
        _ = try table.finish()
        return (out, table.validator)
    }

    @Test(arguments: ["roster", "applications", "ledger", "allocations"])
    func bytesAreTheCellTextsBytes(_ schemaName: String) throws {
        let folder = try ScratchFolder(prefix: "zizhu-cleaned-bytes")
        defer { folder.cleanUp() }
        let (batches, validator) = try Self.batches(schemaName, seed: 17)
        let rowValidator = try #require(validator)
        var compared = 0
        var kinds = Set<String>()
        for unmask in [false, true] {
            let output = try OutputDirectory(path: folder.file("out-\(unmask)"))
            let cleaned = try CleanedOutput(output: output, unmask: unmask)
            let names = CleanedCells.CodeNames(rowValidator)
            for batch in batches {
                for row in 0..<batch.count {
                    for field in 0..<batch.fieldCount {
                        let value = batch.value(row, field)
                        var bytes: [UInt8] = [0x41]  // appended after what is there
                        cleaned.cells.appendText(value, batch: batch, field: field, names: names, to: &bytes)
                        let text = cleaned.cells.text(value, batch: batch, field: field, validator: rowValidator)
                        #expect(bytes == [0x41] + Array(text.utf8), "\(schemaName) \(value) unmask \(unmask): \(String(decoding: bytes, as: UTF8.self)) vs \(text)")
                        kinds.insert("\(value)".prefix { $0 != "(" }.description)
                        compared += 1
                    }
                }
            }
            output.discard()
        }
        #expect(compared > 500, "too few accepted rows to compare: \(compared)")
        #expect(kinds.count >= 3, "\(kinds)")
    }

    /// A batch's rows as the validation workers encode them for cleaned.csv are the rows the
    /// String path makes: each cell's `text`, guarded and quoted by `CSVWriter.appendRow`.
    @Test(arguments: ["roster", "applications", "ledger", "allocations"])
    func encodedRowsAreTheStringPathsRows(_ schemaName: String) throws {
        let (batches, validator) = try Self.batches(schemaName, seed: 23)
        let rowValidator = try #require(validator)
        var rows = 0
        var quotedOrGuarded = 0
        for unmask in [false, true] {
            let cells = CleanedCells(unmask: unmask)
            for batch in batches {
                var expected: [UInt8] = []
                for row in 0..<batch.count {
                    let texts = (0..<batch.fieldCount).map { cells.text(batch.value(row, $0), batch: batch, field: $0, validator: rowValidator) }
                    CSVWriter.appendRow(texts, to: &expected)
                    quotedOrGuarded += texts.filter { $0.contains(",") || $0.contains("\"") || $0.hasPrefix("-") || $0.hasPrefix("=") }.count
                    rows += 1
                }
                let encoded = cells.encodeRows(batch, validator: rowValidator)
                #expect(encoded == expected, "\(schemaName) unmask \(unmask)")
            }
        }
        #expect(rows > 500, "too few accepted rows: \(rows)")
        if schemaName != "allocations" { #expect(quotedOrGuarded > 0, "no cell needed quoting or guarding") }
    }
}
