import CFreeXL
import Foundation
import ZizhuCore

/// The child side of reading an .xls: FreeXL runs here, in a process of its own (`zizhu xls-cells`),
/// never in the process that asked. FreeXL 1.0.6 (Debian 12's libfreexl1) reads damaged files out
/// of bounds in several places — a directory entry's name length (stack buffer, Fuzz/known/), BIFF
/// strings in BOUNDSHEET records and the SST (heap buffers); a fuzzer finds a new one within minutes
/// once the first is patched. A structure check in front of it would have to re-parse all of BIFF8,
/// so the library is kept at arm's length instead: a crash ends the child only, and the parent
/// (`XLSWorkbook`) turns it into a clear `ZizhuError`.
///
/// The child writes a byte stream on standard output (little-endian), one record per tag:
/// `N` sheet (name, has-data byte); `C` cell (row u32, column u16, text); `R` end of row (row u32);
/// `F` failure (stage u8, FreeXL status i32, row u32, column u16); `Z` the end. Text is a u32 length
/// and UTF-8 bytes. A stream without `Z` means the child died.
public enum XLSHelper {
    /// The hidden subcommand of `zizhu` that runs this side.
    public static let commandName = "xls-cells"

    /// `sheets PATH` lists the sheets; `read PATH SHEET` streams a sheet's cells. Returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        var out = XLSStreamWriter()
        switch (arguments.first, arguments.count) {
        case ("sheets", 2):
            listSheets(arguments[1], &out)
        case ("read", 3):
            readSheet(arguments[1], sheet: arguments[2], &out)
        default:
            return 2
        }
        out.tag(.end)
        return out.flush() ? 0 : 3
    }

    private static func listSheets(_ path: String, _ out: inout XLSStreamWriter) {
        guard let handle = open(path, &out) else { return }
        defer { freexl_close(handle) }
        guard let names = sheetNames(handle, &out) else { return }
        for (index, name) in names.enumerated() {
            var hasData = false
            if freexl_select_active_worksheet(handle, UInt16(index)) == FREEXL_OK {
                var rows: UInt32 = 0
                var columns: UInt16 = 0
                hasData = freexl_worksheet_dimensions(handle, &rows, &columns) == FREEXL_OK && rows > 0 && columns > 0
            }
            out.tag(.sheet)
            out.text(name)
            out.byte(hasData ? 1 : 0)
        }
    }

    private static func readSheet(_ path: String, sheet: String, _ out: inout XLSStreamWriter) {
        guard let handle = open(path, &out) else { return }
        defer { freexl_close(handle) }
        guard let names = sheetNames(handle, &out) else { return }
        guard let index = names.firstIndex(of: sheet.isEmpty ? names.first ?? "" : sheet) else {
            return out.failure(.noSheets)
        }
        guard freexl_select_active_worksheet(handle, UInt16(index)) == FREEXL_OK else { return out.failure(.select) }
        // FreeXL converts date cells itself, in the workbook's date mode (1900 or 1904).
        var rows: UInt32 = 0
        var columns: UInt16 = 0
        guard freexl_worksheet_dimensions(handle, &rows, &columns) == FREEXL_OK else { return out.failure(.dimensions) }
        // Formula results and error values, which FreeXL does not give (see XLSFormulaCells).
        let formulaCells = XLSFormulaCells.cells(path: path, sheetIndex: index)
        var value = FreeXL_CellValue()
        for row in 0..<rows {
            for column in 0..<columns {
                let status = freexl_get_cell_value(handle, row, column, &value)
                guard status == FREEXL_OK else { return out.failure(.cell, status: status, row: row, column: column) }
                let text: String?
                if let formula = formulaCells[XLSFormulaCells.Cell(row: row, column: column)] {
                    text = formula
                } else {
                    switch Int32(value.type) {
                    case FREEXL_CELL_INT:
                        text = String(value.value.int_value)
                    case FREEXL_CELL_DOUBLE:
                        text = CellText.number(value.value.double_value)
                    case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_TIME:
                        text = value.value.text_value.map { String(cString: $0) }
                    case FREEXL_CELL_DATE, FREEXL_CELL_DATETIME:
                        text = value.value.text_value.map { String(String(cString: $0).prefix(10)) }
                    default:
                        text = nil
                    }
                }
                if let text {
                    out.tag(.cell)
                    out.u32(row)
                    out.u16(column)
                    out.text(text)
                }
            }
            out.tag(.rowEnd)
            out.u32(row)
            if !out.flushIfFull() { return }
        }
    }

    private static func open(_ path: String, _ out: inout XLSStreamWriter) -> UnsafeRawPointer? {
        var handle: UnsafeRawPointer?
        let status = freexl_open(path, &handle)
        guard status == FREEXL_OK, let handle else {
            if let handle { freexl_close(handle) }
            out.failure(.open, status: status)
            return nil
        }
        return handle
    }

    private static func sheetNames(_ handle: UnsafeRawPointer, _ out: inout XLSStreamWriter) -> [String]? {
        var count: UInt32 = 0
        guard freexl_get_info(handle, UInt16(FREEXL_BIFF_SHEET_COUNT), &count) == FREEXL_OK else {
            out.failure(.list)
            return nil
        }
        var names: [String] = []
        for index in 0..<min(count, 4096) {
            var name: UnsafePointer<CChar>?
            if freexl_get_worksheet_name(handle, UInt16(index), &name) == FREEXL_OK, let name {
                names.append(String(cString: name))
            } else {
                names.append("Sheet\(index + 1)")
            }
        }
        return names
    }
}

/// The tags and failure stages of the stream between `XLSHelper` and `XLSWorkbook`.
enum XLSStream {
    enum Tag: UInt8 {
        case sheet = 0x4E, cell = 0x43, rowEnd = 0x52, failure = 0x46, end = 0x5A
    }
    enum Stage: UInt8 {
        case open = 1, list, noSheets, select, dimensions, cell
    }
}

/// Buffers the child's stream and writes it to standard output in large pieces.
struct XLSStreamWriter {
    private var buffer: [UInt8] = []
    private var failed = false

    mutating func tag(_ tag: XLSStream.Tag) { buffer.append(tag.rawValue) }
    mutating func byte(_ value: UInt8) { buffer.append(value) }
    mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func text(_ text: String) {
        let bytes = Array(text.utf8)
        u32(UInt32(truncatingIfNeeded: bytes.count))
        buffer.append(contentsOf: bytes)
    }
    mutating func failure(_ stage: XLSStream.Stage, status: Int32 = 0, row: UInt32 = 0, column: UInt16 = 0) {
        tag(.failure)
        byte(stage.rawValue)
        u32(UInt32(bitPattern: status))
        u32(row)
        u16(column)
    }

    /// Writes the buffer once it holds 1 MiB; false when standard output is gone.
    mutating func flushIfFull() -> Bool {
        buffer.count < 1 << 20 ? !failed : flush()
    }

    /// Writes what is buffered; false when standard output is gone (the parent stopped reading).
    mutating func flush() -> Bool {
        guard !failed else { return false }
        do {
            try FileHandle.standardOutput.write(contentsOf: buffer)
        } catch {
            failed = true
        }
        buffer.removeAll(keepingCapacity: true)
        return !failed
    }
}
