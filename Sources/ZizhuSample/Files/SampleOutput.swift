import Foundation
import ZizhuCore
import ZizhuIO

/// One file (or zip entry) of a sample, as listed in `files.csv` and the README.
struct FileEntry {
    /// Relative path; a zip entry is `archive.zip!entry.csv`, as the tool cites it.
    var path: String
    /// The schema to validate it with (`roster`, `applications`, `ledger`, `allocations`), or a
    /// description for the files that are not inputs.
    var schema: String
    var encoding: String
    var delimiter: String
    var lineEnd: String
    var titleLines: Int
    /// Data rows (not titles, header or total).
    var dataRows: Int
    var totalRow: String
    var note: String
}

/// The output folder of a sample: opens writers with the right sink chain and keeps the list of
/// what was written.
final class SampleOutput {
    let root: String
    private(set) var entries: [FileEntry] = []
    /// Relative paths of the files on disk, in the order written.
    private(set) var files: [String] = []
    /// gzip level: 6 for small sets, 1 for big ones (speed over size; same bytes per seed).
    let gzipLevel: Int32

    init(root: String, gzipLevel: Int32) throws {
        self.root = root
        self.gzipLevel = gzipLevel
        try makeDirectory(root)
    }

    func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ZizhuError(.output, Message("sample.folder", ["path": path]), cause: UnderlyingFailure(error))
        }
    }

    func absolute(_ relative: String) -> String { root + "/" + relative }

    /// A writer for `relative` in `style`'s encoding (a BOM first when the style has one),
    /// gzip-compressed when `gzip`.
    func writer(_ relative: String, style: FileStyle, gzip: Bool = false) throws -> CSVWriter {
        let path = absolute(relative)
        try makeDirectory((path as NSString).deletingLastPathComponent)
        let base: ByteSink = gzip ? try GzipSink(path: path, level: gzipLevel) : try FileSink(path: path)
        files.append(relative)
        return try wrap(base, style: style)
    }

    /// A writer into memory (a zip entry).
    func memoryWriter(style: FileStyle) throws -> (CSVWriter, MemorySink) {
        let memory = MemorySink()
        return (try wrap(memory, style: style), memory)
    }

    private func wrap(_ base: ByteSink, style: FileStyle) throws -> CSVWriter {
        if style.encoding == .utf8BOM { try base.write([0xEF, 0xBB, 0xBF]) }
        let sink: ByteSink = style.encoding == .gb18030 ? try GB18030Sink(next: base) : base
        return CSVWriter(sink: sink, delimiter: style.delimiter, crlf: style.crlf)
    }

    /// Writes a zip of `entries` to `relative`.
    func zip(_ relative: String, entries: [ZipEntryData]) throws {
        let path = absolute(relative)
        try makeDirectory((path as NSString).deletingLastPathComponent)
        try ZipWriter.write(entries: entries, to: path)
        files.append(relative)
    }

    /// The absolute path of a workbook to write at `relative` (its folder made), listed as written.
    func workbook(_ relative: String) throws -> String {
        let path = absolute(relative)
        try makeDirectory((path as NSString).deletingLastPathComponent)
        files.append(relative)
        return path
    }

    /// The `files.csv` entry for a workbook (`WorkbookTee`): encoding `xlsx`, no delimiter or line ends.
    func workbookEntry(_ path: String, schema: String, titleLines: Int, rows: Int, total: String = "none",
                       note: String) -> FileEntry {
        FileEntry(path: path, schema: schema, encoding: "xlsx", delimiter: "-", lineEnd: "-", titleLines: titleLines,
                  dataRows: rows, totalRow: total, note: note)
    }

    /// Writes a small text file (README, planted list) as UTF-8.
    func text(_ relative: String, _ content: String) throws {
        let sink = try FileSink(path: absolute(relative))
        try sink.write(Array(content.utf8))
        try sink.close()
        files.append(relative)
    }

    func list(_ entry: FileEntry) {
        entries.append(entry)
    }

    /// The `files.csv` entry for a CSV written in `style`.
    func entry(_ path: String, schema: String, style: FileStyle, rows: Int, total: String = "none",
               note: String) -> FileEntry {
        FileEntry(path: path, schema: schema, encoding: style.encoding.rawValue, delimiter: style.delimiterName,
                  lineEnd: style.crlf ? "CRLF" : "LF", titleLines: style.titleLines, dataRows: rows,
                  totalRow: total, note: note)
    }
}
