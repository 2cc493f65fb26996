import Foundation
import ZizhuCore

/// Writes `discrepancies.csv` / `discrepancies.json` and `rejects.csv` in the contract's columns.
public enum FindingsWriter {
    /// The contract's column order (§6).
    public static let columns = ["code", "severity", "term", "school_code", "student_no", "name", "id_number",
                                 "expected", "actual", "detail", "sources"]

    /// Findings sorted by code, school_code, student_no; unless `unmask`, ids masked, and any id
    /// or account inside the cells a person reads (name, expected, actual, detail) masked too —
    /// a value in the wrong column is not trusted to be harmless (contract §9).
    public static func prepared(_ findings: [Discrepancy], unmask: Bool) -> [Discrepancy] {
        findings.sorted(by: Discrepancy.contractOrder).map { finding in
            unmask ? finding : masked(finding)
        }
    }

    /// `finding` with its id masked and every id or account run in its free-text cells masked.
    public static func masked(_ finding: Discrepancy) -> Discrepancy {
        var copy = finding
        if !copy.idNumber.isEmpty { copy.idNumber = Masking.id(copy.idNumber) }
        copy.name = Masking.text(copy.name)
        copy.expected = Masking.text(copy.expected)
        copy.actual = Masking.text(copy.actual)
        copy.detail = Masking.text(copy.detail)
        return copy
    }

    /// One row of `rejects.csv` / `warnings.csv`, always masked (these files are for people):
    /// the column, value, message and hint may hold an id or account that sits in the wrong place.
    public static func rejectCells(file: String, line: Int, column: String, value: String, rule: String,
                                   message: String, hint: String?) -> [String] {
        [file, String(line), Masking.text(column), Masking.text(value), rule, Masking.text(message),
         Masking.text(hint ?? "")]
    }

    public static func writeCSV(_ findings: [Discrepancy], history: [HistoryCells]? = nil, to url: URL) throws {
        let writer = try CSVWriter(url: url, header: history == nil ? columns : columns + historyColumns)
        if let history {
            for (f, h) in zip(findings, history) { try writer.writeRow(csvCells(f) + h.cells) }
        } else {
            for f in findings { try writer.writeRow(csvCells(f)) }
        }
        try writer.close()
    }

    /// With a run history (issue 16): the columns after the contract's, in every findings file.
    public static let historyColumns = ["status", "first_seen", "note"]

    /// One finding's history: its status (new, open, reopened, explained, accepted), when it was
    /// first seen (ISO 8601 UTC) and the officer's note (masked).
    public struct HistoryCells: Sendable, Hashable, Encodable {
        public var status: String
        public var firstSeen: String
        public var note: String
        public init(status: String, firstSeen: String, note: String) {
            self.status = status
            self.firstSeen = firstSeen
            self.note = Masking.text(note)
        }
        public var cells: [String] { [status, firstSeen, note] }
    }

    /// A finding and its history, encoded as the finding's keys plus status, first_seen, note.
    struct AnnotatedFinding: Encodable {
        var finding: Discrepancy
        var history: HistoryCells
        func encode(to encoder: any Encoder) throws {
            try finding.encode(to: encoder)
            try history.encode(to: encoder)
        }
    }

    /// One finding's cells in `columns` order, as `discrepancies.csv` and `discrepancies.xlsx` hold them.
    public static func csvCells(_ f: Discrepancy) -> [String] {
        [f.code, f.severity.rawValue, f.term, f.schoolCode, f.studentNo, f.name, f.idNumber,
         f.expected, f.actual, f.detail, f.sources.joined(separator: ";")]
    }

    public static func writeJSON(_ findings: [Discrepancy], history: [HistoryCells]? = nil, to url: URL) throws {
        try FindingsJSON.encode(findings, history: history).write(to: url)
    }

    /// `discrepancies.json` through JSONEncoder: what `FindingsJSON` must equal byte for byte (tests).
    static func encodedJSON(_ findings: [Discrepancy], history: [HistoryCells]?) throws -> Data {
        if let history {
            return try JSONOutput.encode(zip(findings, history).map { AnnotatedFinding(finding: $0, history: $1) })
        }
        return try JSONOutput.encode(findings)
    }

    /// `rejects.csv` columns: file, line, column, value (masked if personal), rule, message, hint.
    public static let rejectColumns = ["file", "line", "column", "value", "rule", "message", "hint"]
}
