import Foundation

/// The tests' own reader for the CSV files zizhu writes (UTF-8, optional BOM, quoted cells with
/// doubled quotes and line breaks): rows as dictionaries keyed by the header.
enum CSVTable {
    static func read(_ url: URL) throws -> [[String: String]] {
        var text = try String(contentsOf: url, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var records = parse(text)
        guard !records.isEmpty else { return [] }
        let header = records.removeFirst()
        return records.map { cells in
            Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0 < cells.count ? cells[$0] : "") })
        }
    }

    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(cell); cell = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                record.append(cell); cell = ""
                records.append(record); record = []
            } else {
                cell.append(c)
            }
        }
        if !cell.isEmpty || !record.isEmpty { record.append(cell); records.append(record) }
        return records
    }
}
