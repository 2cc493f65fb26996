import Foundation
import ZizhuCore

/// Writes `discrepancies.csv` / `discrepancies.json` and `rejects.csv` in the contract's columns.
public enum FindingsWriter {
    /// The contract's column order (§6).
    public static let columns = ["code", "severity", "term", "school_code", "student_no", "name", "id_number",
                                 "expected", "actual", "detail", "sources"]

    /// Findings sorted by code, school_code, student_no, with ids masked unless `unmask`.
    public static func prepared(_ findings: [Discrepancy], unmask: Bool) -> [Discrepancy] {
        findings.sorted(by: Discrepancy.contractOrder).map { finding in
            var copy = finding
            if !unmask, !copy.idNumber.isEmpty { copy.idNumber = Masking.id(copy.idNumber) }
            return copy
        }
    }

    public static func writeCSV(_ findings: [Discrepancy], to url: URL) throws {
        let writer = try CSVWriter(url: url, header: columns)
        for f in findings {
            try writer.writeRow([f.code, f.severity.rawValue, f.term, f.schoolCode, f.studentNo, f.name, f.idNumber,
                                 f.expected, f.actual, f.detail, f.sources.joined(separator: ";")])
        }
        try writer.close()
    }

    public static func writeJSON(_ findings: [Discrepancy], to url: URL) throws {
        try JSONOutput.encode(findings).write(to: url)
    }

    /// `rejects.csv` columns: file, line, column, value (masked if personal), rule, message, hint.
    public static let rejectColumns = ["file", "line", "column", "value", "rule", "message", "hint"]
}
