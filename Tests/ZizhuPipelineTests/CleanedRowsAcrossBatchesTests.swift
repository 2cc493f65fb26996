import Foundation
import Testing
import ZizhuCore
@testable import ZizhuPipeline
import ZizhuTestSupport

/// cleaned.csv's rows are encoded on the validation workers, batch by batch (8,192 records), and
/// written by the run's thread: every accepted row once, in the file's order, rejected rows left
/// out — across batch ends, around a 合计-looking row that turns out to be data, with cells that
/// need quoting or guarding.
@Suite struct CleanedRowsAcrossBatchesTests {
    @Test func everyAcceptedRowOnceInFileOrder() throws {
        let folder = try ScratchFolder(prefix: "zizhu-cleaned-batches")
        defer { folder.cleanUp() }
        var text = "学籍号,姓名,身份证号码,性别,学习形式,学籍状态,专业\n"
        var expected: [[String]] = []
        let rows = 30_000
        for i in 0..<rows {
            if i == 8_190 {
                // A total-looking line at a batch's end with rows after it: data, held across the
                // batch boundary and validated by the run's thread (an id it lacks rejects it).
                text += "合计,,,,,,\n"
            }
            if i % 997 == 5 {
                text += "S\(i),王小明,3.70102E+17,男,全日制,在籍,x\n"  // rejected: id in scientific notation
                continue
            }
            let major = i % 5 == 0 ? "数控,车工" : i % 7 == 0 ? "-钳工" : "机电\"一体\""
            text += "S\(i),王\(i % 10),11010519491231002X,女,全日制,在籍,\"\(major.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
            let shown = major.hasPrefix("-") ? "'" + major : major
            expected.append(["S\(i)", "王\(i % 10)", "110105********002X", shown])
        }
        let input = folder.file("roster.csv")
        try Data(text.utf8).write(to: URL(fileURLWithPath: input))
        var options = RunOptions()
        options.quiet = true
        let out = folder.file("out")
        _ = try Jobs.validate(schema: "roster", files: [input], out: out, options: options)
        let table = CSVTable.rows(try String(contentsOfFile: out + "/cleaned.csv", encoding: .utf8))
        #expect(table.count == expected.count, "accepted rows \(expected.count), cleaned rows \(table.count)")
        let got = table.map { [$0["学籍号"] ?? "?", $0["姓名"] ?? "?", $0["身份证号"] ?? $0["身份证号码"] ?? "?", $0["专业"] ?? "?"] }
        let firstDifference = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "row \(firstDifference?.offset ?? -1): \(String(describing: firstDifference?.element))")
    }
}
