import Foundation
import ZizhuCore

/// What a finished job's output folder says, for the findings page: totals from `summary.json`,
/// the first rows of `rejects.csv` and `discrepancies.csv` (written masked; masked again here,
/// since a page is for people whatever the files hold).
struct FindingsView {
    var rowsRead = 0
    var rowsAccepted = 0
    var rowsRejected = 0
    var findingCount = 0
    var rejects: [[String: String]] = []
    var moreRejects = 0
    var findings: [[String: String]] = []
    var moreFindings = 0

    static let shown = 300

    init(outFolder: String) {
        if let data = FileManager.default.contents(atPath: "\(outFolder)/summary.json"),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let totals = object["totals"] as? [String: Any] {
            rowsRead = totals["rows_read"] as? Int ?? totals["rowsRead"] as? Int ?? 0
            rowsAccepted = totals["rows_accepted"] as? Int ?? totals["rowsAccepted"] as? Int ?? 0
            rowsRejected = totals["rows_rejected"] as? Int ?? totals["rowsRejected"] as? Int ?? 0
        }
        let rejectRows = SimpleCSV.rows(path: "\(outFolder)/rejects.csv")
        for row in rejectRows.prefix(Self.shown) {
            rejects.append([
                "file": Self.fileName(row["file"] ?? ""), "line": row["line"] ?? "", "column": Masking.text(row["column"] ?? ""),
                "value": Masking.text(row["value"] ?? ""), "rule": row["rule"] ?? "",
                "message": Masking.text(row["message"] ?? ""), "hint": Masking.text(row["hint"] ?? ""),
            ])
        }
        moreRejects = max(0, rejectRows.count - Self.shown)
        let findingRows = SimpleCSV.rows(path: "\(outFolder)/discrepancies.csv")
        findingCount = findingRows.count
        for row in findingRows.prefix(Self.shown) {
            let id = row["id_number"] ?? ""
            findings.append([
                "code": row["code"] ?? "", "severity": row["severity"] ?? "", "studentNo": row["student_no"] ?? "",
                "name": Masking.text(row["name"] ?? ""), "idNumber": id.isEmpty ? "" : Masking.id(id),
                "expected": Masking.text(row["expected"] ?? ""), "actual": Masking.text(row["actual"] ?? ""),
                "detail": Masking.text(row["detail"] ?? ""),
                "sources": (row["sources"] ?? "").split(separator: ";").map { Self.fileName(String($0)) }.joined(separator: "; "),
            ])
        }
        moreFindings = max(0, findingRows.count - Self.shown)
    }

    /// `…/jobs/7/in/roster-学籍.xlsx:12` → `学籍.xlsx:12`: the name the school sent, not the server's path.
    static func fileName(_ text: String) -> String {
        var name = text
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        for prefix in ["roster-", "applications-"] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        return name
    }
}

/// RFC 4180 CSV as the project's own writers produce it (header first, quotes doubled), for the pages.
enum SimpleCSV {
    static func rows(path: String) -> [[String: String]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let records = parse(String(decoding: data, as: UTF8.self))
        guard let header = records.first else { return [] }
        let names = header.map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }
        return records.dropFirst().map { cells in
            var row: [String: String] = [:]
            for (index, name) in names.enumerated() where index < cells.count { row[name] = cells[index] }
            return row
        }
    }

    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",": record.append(field); field = ""
            case "\r": continue
            case "\n": record.append(field); records.append(record); record = []; field = ""
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}
