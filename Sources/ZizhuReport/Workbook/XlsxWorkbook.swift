import CXlsxWriter
import CXlsxZipLevel
import Foundation
import ZizhuCore

/// An .xlsx being written through libxlsxwriter — the one door to the C library.
///
/// Always in constant-memory mode: each worksheet's rows go to a temporary file as they are
/// written, so a sheet of a million rows costs one row of memory; rows must therefore be written
/// in order within a sheet (sheets may be interleaved). Strings are written inline (`inlineStr`),
/// never as numbers, so an id or an account stays text. The document's created time is fixed, so
/// the same cells give the same bytes.
public final class XlsxWorkbook {
    /// Rows an Excel sheet holds, its header included. A table longer than that goes on in further
    /// sheets, each under its own header.
    public static let sheetRows = 1_048_576

    /// The deflate level of a workbook's zip entries: 1, not libxlsxwriter's default 6 (which has no
    /// option for it; CXlsxZipLevel sets it under minizip's open call). At a million-row 发放台账.xlsx
    /// the default level's deflate was ~6 s of CPU, level 1 about a third of it, for a file ~25 %
    /// larger.
    public static var deflateLevel: Int { Int(zizhu_xlsx_deflate_level()) }

    /// Where the data row `index` (0-based) of a long table goes: which sheet (0 = the first) and
    /// which row in it (1-based, below the header).
    public static func place(_ index: Int, sheetRows: Int = XlsxWorkbook.sheetRows) -> (sheet: Int, row: Int) {
        let perSheet = max(1, sheetRows - 1)
        return (index / perSheet, index % perSheet + 1)
    }

    /// How a cell looks. Each distinct style becomes one libxlsxwriter format.
    public struct Style: Hashable, Sendable {
        public enum Align: Sendable { case general, left, center, right }
        public var bold = false
        public var size: Double = 0
        public var align: Align = .general
        public var verticalCenter = false
        public var wrap = false
        public var border = false
        /// An Excel number format such as `#,##0.00`; `@` marks a text cell.
        public var numberFormat: String?

        public init(bold: Bool = false, size: Double = 0, align: Align = .general, verticalCenter: Bool = false,
                    wrap: Bool = false, border: Bool = false, numberFormat: String? = nil) {
            self.bold = bold
            self.size = size
            self.align = align
            self.verticalCenter = verticalCenter
            self.wrap = wrap
            self.border = border
            self.numberFormat = numberFormat
        }

        public static let plain = Style()
    }

    /// The created time written into `docProps/core.xml`: fixed (2000-01-01T00:00:00Z) so the
    /// bytes depend on the cells only.
    public static let fixedCreated: time_t = 946_684_800

    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private let path: String
    private var formats: [Style: UnsafeMutablePointer<lxw_format>] = [:]
    private var sheetNames: Set<String> = []
    /// C strings the library keeps pointers to until the workbook is closed.
    private var retained: [UnsafeMutablePointer<CChar>] = []

    /// Creates the workbook file at `url` (written when `close()` is called).
    public init(url: URL) throws {
        path = url.path
        var options = lxw_workbook_options()
        options.constant_memory = UInt8(LXW_TRUE.rawValue)
        options.use_zip64 = UInt8(LXW_TRUE.rawValue)
        // Temporary row files beside the output (staging folder), not in a RAM-backed /tmp.
        let tmpdir = strdup(url.deletingLastPathComponent().path)
        if let tmpdir { retained.append(tmpdir) }
        options.tmpdir = tmpdir
        guard let workbook = workbook_new_opt(url.path, &options) else {
            for pointer in retained { free(pointer) }
            throw ZizhuError(.output, Message("error.xlsxOut.create"), at: InputPosition(file: url.path),
                             hint: WriteFailure.words(errno: errno, doing: "create the file"))
        }
        self.workbook = workbook
        var properties = lxw_doc_properties()
        let creator = strdup("zizhu")
        if let creator { retained.append(creator) }
        properties.author = creator
        properties.created = Self.fixedCreated
        workbook_set_properties(workbook, &properties)
    }

    deinit {
        if let workbook { _ = workbook_close(workbook) }
        for pointer in retained { free(pointer) }
    }

    /// A sheet name Excel accepts: `[]:*?/\` replaced by `_`, at most 31 characters, not empty,
    /// and unique in this workbook (a `~2`, `~3` … suffix when taken).
    public func sheetName(for wanted: String) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var base = String(wanted.map { forbidden.contains($0) ? "_" : $0 })
        if base.hasPrefix("'") || base.hasSuffix("'") { base = base.replacingOccurrences(of: "'", with: "_") }
        if base.isEmpty { base = "Sheet" }
        func clipped(_ s: String, _ limit: Int) -> String {
            var out = ""
            var units = 0
            for c in s {
                let n = c.utf16.count
                if units + n > limit { break }
                out.append(c)
                units += n
            }
            return out
        }
        var name = clipped(base, 31)
        var k = 2
        while sheetNames.contains(name.lowercased()) {
            let suffix = "~\(k)"
            name = clipped(base, 31 - suffix.count) + suffix
            k += 1
        }
        return name
    }

    /// Adds a sheet named `name` (made acceptable by `sheetName(for:)`).
    public func addSheet(_ name: String) throws -> XlsxSheet {
        guard let workbook else { throw closedError() }
        let name = sheetName(for: name)
        guard let sheet = workbook_add_worksheet(workbook, keep(name)) else {
            throw ZizhuError(.output, Message("error.xlsxOut.sheet", ["name": name]), at: InputPosition(file: path))
        }
        sheetNames.insert(name.lowercased())
        return XlsxSheet(sheet: sheet, book: self, name: name)
    }

    /// A style turned into the library's format once, for writers of many cells: passing it skips
    /// the per-cell lookup of the style.
    public struct Format {
        fileprivate let pointer: UnsafeMutablePointer<lxw_format>?
    }

    /// The format of `style` (made now if new: formats are numbered in the order first asked for).
    public func format(for style: Style) -> Format {
        Format(pointer: format(style))
    }

    /// The library's format for `style`, made once.
    fileprivate func format(_ style: Style) -> UnsafeMutablePointer<lxw_format>? {
        if style == .plain { return nil }
        if let made = formats[style] { return made }
        guard let workbook, let format = workbook_add_format(workbook) else { return nil }
        if style.bold { format_set_bold(format) }
        if style.size > 0 { format_set_font_size(format, style.size) }
        switch style.align {
        case .general: break
        case .left: format_set_align(format, UInt8(LXW_ALIGN_LEFT.rawValue))
        case .center: format_set_align(format, UInt8(LXW_ALIGN_CENTER.rawValue))
        case .right: format_set_align(format, UInt8(LXW_ALIGN_RIGHT.rawValue))
        }
        if style.verticalCenter { format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)) }
        if style.wrap { format_set_text_wrap(format) }
        if style.border { format_set_border(format, UInt8(LXW_BORDER_THIN.rawValue)) }
        if let numberFormat = style.numberFormat { format_set_num_format(format, numberFormat) }
        formats[style] = format
        return format
    }

    fileprivate func defineName(_ name: String, _ formula: String) throws {
        guard let workbook else { throw closedError() }
        try check(workbook_define_name(workbook, name, formula), Message("xlsxOut.doing.printTitles"))
    }

    /// Writes the file. The workbook cannot be used afterwards.
    public func close() throws {
        guard let workbook else { return }
        self.workbook = nil
        let result = workbook_close(workbook)
        for pointer in retained { free(pointer) }
        retained = []
        try check(result, Message("xlsxOut.doing.workbook"))
    }

    /// `doing` names the step (`xlsxOut.doing.*` in the catalogue).
    fileprivate func check(_ result: lxw_error, _ doing: @autoclosure () -> Message) throws {
        guard result != LXW_NO_ERROR else { return }
        let reason = lxw_strerror(result).map { String(cString: $0) } ?? "error \(result.rawValue)"
        throw ZizhuError(.output, Message("error.xlsxOut.failed", ["reason": reason], parts: ["doing": doing()]),
                         at: InputPosition(file: path), hint: Message("error.xlsxOut.failed.hint"))
    }

    fileprivate func keep(_ text: String) -> UnsafeMutablePointer<CChar>? {
        guard let copy = strdup(text) else { return nil }
        retained.append(copy)
        return copy
    }

    private func closedError() -> ZizhuError {
        ZizhuError(.output, Message("error.xlsxOut.closed"), at: InputPosition(file: path))
    }
}

/// One worksheet of an `XlsxWorkbook`; rows are written top to bottom (constant-memory mode).
public final class XlsxSheet {
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    private unowned let book: XlsxWorkbook
    public let name: String

    fileprivate init(sheet: UnsafeMutablePointer<lxw_worksheet>, book: XlsxWorkbook, name: String) {
        self.sheet = sheet
        self.book = book
        self.name = name
    }

    /// A text cell (`inlineStr`): never read as a number, whatever it holds. Empty text writes nothing
    /// unless the cell has a style (a bordered blank).
    public func text(_ row: Int, _ column: Int, _ value: String, _ style: XlsxWorkbook.Style = .plain) throws {
        if value.isEmpty {
            guard style != .plain else { return }
            try book.check(worksheet_write_blank(sheet, lxw_row_t(row), lxw_col_t(column), book.format(style)), Message("xlsxOut.doing.cell"))
            return
        }
        try book.check(worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), Self.fitted(value), book.format(style)),
                       Message("xlsxOut.doing.cell"))
    }

    /// A text cell in a format made beforehand (`XlsxWorkbook.format(for:)`): for tables of many
    /// rows, where looking the style up per cell cost more than writing it. Empty text writes a
    /// blank when the format is not the default one.
    public func text(_ row: Int, _ column: Int, _ value: String, _ format: XlsxWorkbook.Format) throws {
        if value.isEmpty {
            guard format.pointer != nil else { return }
            try book.check(worksheet_write_blank(sheet, lxw_row_t(row), lxw_col_t(column), format.pointer), Message("xlsxOut.doing.cell"))
            return
        }
        try book.check(worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), Self.fitted(value), format.pointer),
                       Message("xlsxOut.doing.cell"))
    }

    /// An amount in fen as a number of yuan, in a format made beforehand.
    public func money(_ row: Int, _ column: Int, _ value: Fen, _ format: XlsxWorkbook.Format) throws {
        try number(row, column, Double(value.value) / 100, format)
    }

    /// A cell holds at most 32,767 characters in Excel (libxlsxwriter counts code points and refuses
    /// more). A longer text — the `sources` of a finding that names thousands of rows — is cut, and the
    /// cut says where the whole text is.
    static let cellLimit = 32_767
    static let cutMark = " …（过长已截断，全文见 CSV / truncated, see the CSV）"

    static func fitted(_ value: String) -> String {
        // Code points ≤ UTF-8 bytes, and a native string knows its UTF-8 count: most cells end here.
        guard value.utf8.count > cellLimit else { return value }
        let scalars = value.unicodeScalars
        guard scalars.count > cellLimit else { return value }
        let keep = cellLimit - cutMark.unicodeScalars.count
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: scalars.prefix(keep))
        return String(cut) + cutMark
    }

    /// A text cell from a NUL-terminated UTF-8 string of `length` bytes (not counting the NUL), in
    /// a format made beforehand: the fast path for tables of many rows. Empty text writes nothing.
    public func text(_ row: Int, _ column: Int, cString: UnsafePointer<CChar>, length: Int, _ format: XlsxWorkbook.Format) throws {
        guard length > 0 else { return }
        if length > Self.cellLimit {
            // Rare: cut as `fitted` does (counting code points).
            return try book.check(worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), Self.fitted(String(cString: cString)),
                                                         format.pointer), Message("xlsxOut.doing.cell"))
        }
        try book.check(worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), cString, format.pointer), Message("xlsxOut.doing.cell"))
    }

    /// A number cell in a format made beforehand.
    public func number(_ row: Int, _ column: Int, _ value: Double, _ format: XlsxWorkbook.Format) throws {
        try book.check(worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), value, format.pointer), Message("xlsxOut.doing.cell"))
    }

    /// A number cell.
    public func number(_ row: Int, _ column: Int, _ value: Double, _ style: XlsxWorkbook.Style = .plain) throws {
        try book.check(worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), value, book.format(style)), Message("xlsxOut.doing.cell"))
    }

    /// An amount in fen as a number of yuan.
    public func money(_ row: Int, _ column: Int, _ value: Fen, _ style: XlsxWorkbook.Style) throws {
        try number(row, column, Double(value.value) / 100, style)
    }

    /// Merges `row`'s columns `first...last` into one cell holding `value`.
    public func merge(_ row: Int, _ first: Int, _ last: Int, _ value: String, _ style: XlsxWorkbook.Style = .plain) throws {
        try book.check(worksheet_merge_range(sheet, lxw_row_t(row), lxw_col_t(first), lxw_row_t(row), lxw_col_t(last),
                                             value, book.format(style)), Message("xlsxOut.doing.merge"))
    }

    /// Sets columns' width, and with `style` the format of their cells that hold nothing (what a
    /// clerk types into an empty cell takes it).
    public func columnWidth(_ first: Int, _ last: Int, _ width: Double, style: XlsxWorkbook.Style = .plain) throws {
        try book.check(worksheet_set_column(sheet, lxw_col_t(first), lxw_col_t(last), width, book.format(style)), Message("xlsxOut.doing.columnWidth"))
    }

    /// Sets a row's height (points); call before writing the row's cells.
    public func rowHeight(_ row: Int, _ height: Double) throws {
        try book.check(worksheet_set_row(sheet, lxw_row_t(row), height, nil), Message("xlsxOut.doing.rowHeight"))
    }

    /// Keeps the first `rows` rows in view while scrolling.
    public func freezeRows(_ rows: Int) {
        worksheet_freeze_panes(sheet, lxw_row_t(rows), 0)
    }

    public func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws {
        try book.check(worksheet_autofilter(sheet, lxw_row_t(firstRow), lxw_col_t(firstColumn),
                                            lxw_row_t(lastRow), lxw_col_t(lastColumn)), Message("xlsxOut.doing.autofilter"))
    }

    /// Printing: A4 landscape, `repeatRows` printed atop every page, `footer` (`&P`, `&N` …),
    /// fitted to one page wide (as many pages tall as it takes), centred.
    public func printSetup(repeatRows: ClosedRange<Int>?, footer: String?) throws {
        worksheet_set_landscape(sheet)
        worksheet_set_paper(sheet, 9)
        worksheet_set_margins(sheet, 0.4, 0.4, 0.6, 0.7)
        worksheet_center_horizontally(sheet)
        worksheet_fit_to_pages(sheet, 1, 0)
        if let repeatRows {
            // What `worksheet_repeat_rows` stores, but with the sheet name always quoted: libxlsxwriter
            // 1.1 leaves a name that starts with a digit (a school code, 3701J001) bare in
            // `_xlnm.Print_Titles`, and Excel reads only `'3701J001'!$3:$3` as a reference.
            let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
            try book.defineName("\(quoted)!_xlnm.Print_Titles",
                                "=\(quoted)!$\(repeatRows.lowerBound + 1):$\(repeatRows.upperBound + 1)")
        }
        if let footer {
            // The library keeps the pointer until the workbook is closed.
            try book.check(worksheet_set_footer(sheet, book.keep(footer)), Message("xlsxOut.doing.footer"))
        }
    }
}
