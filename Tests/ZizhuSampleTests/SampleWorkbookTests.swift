import Foundation
import Testing
import ZizhuCore
import ZizhuPipeline
import ZizhuSample
import ZizhuTestSupport

/// The sample's workbooks (the first school's roster and applications, 建设银行's return file) are
/// their CSV files again: validated, each gives the same rows read, accepted and rejected.
@Suite("zizhu sample: workbooks")
struct SampleWorkbookTests {
    /// `files[0]` of a validate run's summary.json: rows read, accepted, rejected.
    static func counts(schema: String, file: String, out: String) throws -> [Int] {
        var options = RunOptions()
        options.quiet = true
        _ = try Jobs.validate(schema: schema, files: [file], out: out, options: options)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let first = (json?["files"] as? [[String: Any]])?.first ?? [:]
        return ["rows_read", "rows_accepted", "rows_rejected"].map { first[$0] as? Int ?? -1 }
    }

    @Test func eachWorkbookValidatesLikeItsCSV() throws {
        let (folder, report) = try SampleSupport.generate(students: 300, seed: 1)
        defer { SampleSupport.remove(folder) }
        let workbooks = try SampleSupport.fileList(folder, workbooks: true).filter { $0["encoding"] == "xlsx" }
        #expect(workbooks.map { $0["path"] ?? "" }.sorted() == [
            "city/370100/3701J001/applications.xlsx", "city/370100/3701J001/roster.xlsx", "finance/workbooks/ledger-ccb.xlsx",
        ])
        for entry in workbooks {
            let path = entry["path"] ?? ""
            let schema = entry["schema"] ?? ""
            #expect(report.files.contains(path))
            let csv = path.replacingOccurrences(of: "workbooks/", with: "").replacingOccurrences(of: ".xlsx", with: ".csv")
            let fromWorkbook = try Self.counts(schema: schema, file: folder + "/" + path, out: folder + "/out-xlsx-\(schema)")
            let fromCSV = try Self.counts(schema: schema, file: folder + "/" + csv, out: folder + "/out-csv-\(schema)")
            #expect(fromWorkbook == fromCSV, "\(path) against \(csv)")
            #expect(fromWorkbook[0] == Int(entry["data_rows"] ?? ""), "\(path): the data rows files.csv lists")
        }
    }

    @Test func theWorkbooksAreTheSameBytesForTheSameSeed() throws {
        let (first, _) = try SampleSupport.generate(students: 300, seed: 1, name: "a")
        defer { SampleSupport.remove(first) }
        let (second, _) = try SampleSupport.generate(students: 300, seed: 1, name: "b")
        defer { SampleSupport.remove(second) }
        for path in ["city/370100/3701J001/roster.xlsx", "finance/workbooks/ledger-ccb.xlsx"] {
            #expect(try SampleSupport.bytes(first + "/" + path) == SampleSupport.bytes(second + "/" + path), "\(path)")
        }
    }
}
