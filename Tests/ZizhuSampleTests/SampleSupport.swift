import Foundation
import ZizhuCore
import ZizhuIO
import ZizhuSample
import ZizhuTestSupport

/// Generates samples into temporary folders for the Sample* tests, and reads them back.
enum SampleSupport {
    /// A fresh, empty temporary folder.
    static func temporaryFolder(_ name: String) throws -> String {
        try ScratchFolder(prefix: "zizhu-sample-tests-\(name)").path
    }

    static func generate(students: Int, seed: UInt64, name: String = "run",
                         term: Term = Term(year: 2023, season: .fall),
                         grantShare: Int? = nil) throws -> (String, SampleReport) {
        let folder = try temporaryFolder(name)
        var options = SampleOptions()
        options.students = students
        options.seed = seed
        options.term = term
        options.grantShare = grantShare
        let report = try SampleGenerator.write(to: folder, options: options)
        return (folder, report)
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func bytes(_ path: String) throws -> [UInt8] { try readBytes(path) }

    /// The decoded UTF-8 text of a sample file, whatever its declared encoding and packing
    /// (`archive.zip!entry.csv` names a zip entry). Throws when the bytes are not valid in the
    /// declared encoding.
    static func text(folder: String, path: String, encoding: String) throws -> String {
        var raw: [UInt8]
        if let bang = path.firstIndex(of: "!") {
            let archive = String(path[..<bang])
            let entry = String(path[path.index(after: bang)...])
            let opened = try InputOpener.open(folder + "/" + archive)
            guard let input = opened.inputs.first(where: { $0.position.entry == entry }) else {
                throw ZizhuError(.archive, "no entry \(entry) in \(archive)")
            }
            raw = []
            try input.pump { raw.append(contentsOf: $0) }
        } else if path.hasSuffix(".gz") {
            raw = try Gzip.decompress(bytes(folder + "/" + path))
        } else {
            raw = try bytes(folder + "/" + path)
        }
        switch encoding {
        case "GB18030":
            raw = try IconvConverter.convert(raw, from: "GB18030", to: "UTF-8")
        case "UTF-8 with BOM":
            guard raw.starts(with: [0xEF, 0xBB, 0xBF]) else { throw ZizhuError(.invalidEncoding, "\(path): no BOM") }
            raw.removeFirst(3)
        default:
            if raw.starts(with: [0xEF, 0xBB, 0xBF]) { throw ZizhuError(.invalidEncoding, "\(path): unexpected BOM") }
        }
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw ZizhuError(.invalidEncoding, "\(path) is not valid \(encoding)")
        }
        return text
    }

    /// Splits CSV text into rows of cells (quotes handled; the delimiter is `,` or a tab).
    static func parseCSV(_ text: String, delimiter: Character = ",") -> [[String]] {
        CSVTable.parse(text, delimiter: delimiter)
    }

    /// `files.csv` of a sample as dictionaries: the CSV inputs, and with `workbooks` the .xlsx copies
    /// of some of them too (encoding `xlsx`; the same rows again, see SampleWorkbookTests).
    static func fileList(_ folder: String, workbooks: Bool = false) throws -> [[String: String]] {
        CSVTable.rows(try text(folder: folder, path: "files.csv", encoding: "UTF-8")).filter { workbooks || $0["encoding"] != "xlsx" }
    }

    /// `planted.csv` of a sample as dictionaries.
    static func planted(_ folder: String) throws -> [[String: String]] {
        CSVTable.rows(try text(folder: folder, path: "planted.csv", encoding: "UTF-8"))
    }
}

/// One CSV input of a sample, decoded and split, with its header located by `files.csv`.
struct SampleTable {
    let path: String
    let header: [String]
    /// Data rows with their physical line numbers (title lines, header and 合计 row excluded).
    let rows: [(line: Int, cells: [String])]

    init(folder: String, entry: [String: String]) throws {
        path = entry["path"] ?? ""
        let text = try SampleSupport.text(folder: folder, path: path, encoding: entry["encoding"] ?? "")
        let delimiter: Character = entry["delimiter"] == "tab" ? "\t" : ","
        let titles = Int(entry["title_lines"] ?? "") ?? 0
        var parsed: [(Int, [String])] = []
        var line = 1
        for cells in SampleSupport.parseCSV(text, delimiter: delimiter) {
            parsed.append((line, cells))
            line += 1 + cells.reduce(0) { $0 + $1.filter { $0 == "\n" || $0 == "\r\n" }.count }
        }
        header = parsed.count > titles ? parsed[titles].1 : []
        var data = Array(parsed.dropFirst(titles + 1))
        if entry["total_row"] != "none", !data.isEmpty { data.removeLast() }
        rows = data.map { (line: $0.0, cells: $0.1) }
    }

    /// Index of the first column whose title (white space, `*` and a unit removed) is one of `aliases`.
    func column(_ aliases: [String]) -> Int? {
        header.firstIndex { title in
            let key = TextNormalizer.headerKey(title)
            return aliases.contains { TextNormalizer.headerKey($0) == key }
        }
    }

    func cell(_ row: [String], _ column: Int?) -> String {
        guard let column, column < row.count else { return "" }
        return row[column]
    }
}

import ZizhuCore

extension SampleSupport {
    static let idTitles = ["身份证号", "身份证号码", "身份证件号", "证件号码", "公民身份号码"]
    static let studentNoTitles = ["学籍号", "学号", "学生编号"]
}
