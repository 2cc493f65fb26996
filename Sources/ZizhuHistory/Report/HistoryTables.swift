import Foundation

/// How the history commands print: an aligned table for a terminal, CSV or JSON for machines.
public enum HistoryFormat: String, Sendable, CaseIterable {
    case table, csv, json
}

/// Rows to print: the same columns as a table, CSV or (per record) JSON.
public struct HistoryTable: Sendable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Columns aligned by display width (a Chinese character is two columns wide).
    public func text() -> String {
        var widths = columns.map(Self.width)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Self.width(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                let flat = cell.replacingOccurrences(of: "\n", with: " ")
                out += i == cells.count - 1 ? flat : flat + String(repeating: " ", count: widths[i] - Self.width(flat) + 2)
            }
            return out
        }
        var lines = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV, UTF-8 without BOM (for pipes); a cell that a spreadsheet would run as a
    /// formula (`= + - @`, tab) gets a leading `'`, as in every CSV zizhu writes for people.
    public func csv() -> String {
        ([columns] + rows).map { $0.map(Self.csvCell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func csvCell(_ cell: String) -> String {
        var value = cell
        if let first = value.unicodeScalars.first, "=+-@\t".unicodeScalars.contains(first),
           Double(value) == nil {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { total, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return total + (wide ? 2 : 1)
        }
    }
}

/// The history's records as tables and JSON.
public enum HistoryTables {
    public static func runs(_ runs: [RunRecord]) -> HistoryTable {
        HistoryTable(
            columns: ["run", "job", "term", "scope", "started_at", "outcome", "exit", "findings", "new", "open", "reopened",
                      "resolved", "decided"],
            rows: runs.map { r in
                let total = HistoryLifecycle.jsonMap(r.counts).values.reduce(0, +)
                return [String(r.id), r.job, r.term, r.scope, r.startedAt, r.outcome, String(r.exitStatus), String(total),
                        String(r.newCount), String(r.openCount), String(r.reopenedCount), String(r.resolvedCount),
                        String(r.decidedCount)]
            })
    }

    public static func inputs(_ inputs: [InputRecord]) -> HistoryTable {
        HistoryTable(columns: ["input", "bytes", "sha256"], rows: inputs.map { [$0.name, String($0.bytes), $0.sha256] })
    }

    public static let occurrenceColumns = ["finding", "status", "code", "severity", "school_code", "student_no", "name",
                                           "id_number", "expected", "actual", "detail"]

    public static func occurrences(_ occurrences: [OccurrenceRecord]) -> HistoryTable {
        HistoryTable(columns: occurrenceColumns, rows: occurrences.map { o in
            let d = o.display
            return [o.findingID, o.status.rawValue, d.code, d.severity, d.schoolCode, d.studentNo, d.name, d.idMasked,
                    d.expected, d.actual, d.detail]
        })
    }

    public static func findings(_ findings: [FindingRecord]) -> HistoryTable {
        HistoryTable(
            columns: ["id", "status", "code", "severity", "term", "school_code", "student_no", "name", "id_number", "expected",
                      "actual", "first_seen", "last_seen_run", "note", "decided_by"],
            rows: findings.map { f in
                let d = f.display
                return [f.id, f.status.rawValue, f.code, d.severity, f.term, f.schoolCode, d.studentNo, d.name, d.idMasked,
                        d.expected, d.actual, f.firstSeenAt, String(f.lastSeenRun), f.note, f.decidedBy]
            })
    }

    /// One row per finding of either run: `change` is new, resolved, changed or unchanged.
    public static func diff(_ diff: HistoryDiff) -> HistoryTable {
        var rows: [[String]] = []
        func row(_ change: String, _ before: OccurrenceRecord?, _ after: OccurrenceRecord?) -> [String] {
            let d = (after ?? before)?.display
            return [change, (after ?? before)?.findingID ?? "", d?.code ?? "", d?.schoolCode ?? "", d?.studentNo ?? "",
                    d?.name ?? "", d?.idMasked ?? "", before?.display.expected ?? "", before?.display.actual ?? "",
                    after?.display.expected ?? "", after?.display.actual ?? ""]
        }
        rows += diff.new.map { row("new", nil, $0) }
        rows += diff.resolved.map { row("resolved", $0, nil) }
        rows += diff.changed.map { row("changed", $0.before, $0.after) }
        rows += diff.unchanged.map { row("unchanged", $0, $0) }
        return HistoryTable(columns: ["change", "finding", "code", "school_code", "student_no", "name", "id_number",
                                      "expected_before", "actual_before", "expected", "actual"], rows: rows)
    }

    /// The lines above a diff's table: the counts and the money moved.
    public static func diffSummary(_ diff: HistoryDiff) -> [String] {
        var lines = [
            "run \(diff.runA.id) (\(diff.runA.job) \(diff.runA.term), \(diff.runA.startedAt)) → run \(diff.runB.id) (\(diff.runB.job) \(diff.runB.term), \(diff.runB.startedAt))",
            "new \(diff.new.count), resolved \(diff.resolved.count), changed \(diff.changed.count), unchanged \(diff.unchanged.count)",
            "money in question: new \(yuan(diff.newAtStake)), resolved \(yuan(diff.resolvedAtStake))",
        ]
        for money in diff.money where money.moved != 0 {
            lines.append("money moved: \(money.key) \(yuan(money.before)) → \(yuan(money.after)) (\(money.moved > 0 ? "+" : "")\(yuan(money.moved)))")
        }
        return lines
    }

    /// Fen as yuan with two decimals.
    public static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        return "\(sign)\(magnitude / 100).\(String(format: "%02d", Int(magnitude % 100)))"
    }

    /// Pretty JSON, keys sorted and in snake_case.
    public static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
