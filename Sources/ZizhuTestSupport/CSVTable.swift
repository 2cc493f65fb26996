import Foundation

/// The tests' own reader for CSV (RFC 4180 as zizhu and the sample generator write it): UTF-8,
/// an optional BOM, quoted cells with doubled quotes, delimiters and line breaks inside. A quote
/// opens a quoted cell only at the start of a cell; elsewhere it is an ordinary character.
public enum CSVTable {
    /// The data rows of the CSV file at `url` as dictionaries keyed by the header; a short row
    /// reads as empty cells.
    public static func read(_ url: URL, delimiter: Character = ",") throws -> [[String: String]] {
        try rows(String(contentsOf: url, encoding: .utf8), delimiter: delimiter)
    }

    /// The data rows of CSV `text` as dictionaries keyed by the header.
    public static func rows(_ text: String, delimiter: Character = ",") -> [[String: String]] {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var records = parse(text, delimiter: delimiter)
        guard !records.isEmpty else { return [] }
        let header = records.removeFirst()
        return records.map { cells in
            var row: [String: String] = [:]
            for (i, name) in header.enumerated() where row[name] == nil { row[name] = i < cells.count ? cells[i] : "" }
            return row
        }
    }

    /// CSV `text` as records of cells. A line break is `\n`, `\r\n` or `\r`; the last record
    /// needs none.
    public static func parse(_ text: String, delimiter: Character = ",") -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var quoted = false
        var startOfCell = true
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    cell.append(c)
                }
                continue
            }
            if c == "\"" && startOfCell {
                quoted = true
                startOfCell = false
            } else if c == delimiter {
                record.append(cell); cell = ""
                startOfCell = true
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                record.append(cell); cell = ""
                records.append(record); record = []
                startOfCell = true
            } else {
                cell.append(c)
                startOfCell = false
            }
        }
        if quoted || !cell.isEmpty || !record.isEmpty { record.append(cell); records.append(record) }
        return records
    }
}
