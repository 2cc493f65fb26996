import CFreeXL
import ZizhuCore
import ZizhuIO

/// An .xls (BIFF8) workbook read through FreeXL, with the cell rules of .xlsx: text as typed,
/// numbers in their shortest form (an id that lost digits in scientific notation), dates as
/// `YYYY-MM-DD`. FreeXL reads the file whole (an .xls holds at most 65,536 rows).
enum XLSWorkbook {
    /// The name of the sheet `choice` names (name, else 1-based index), or of the first sheet
    /// with data, else the first sheet.
    static func chooseSheet(_ input: ByteInput, _ choice: String?) throws -> String {
        try input.withLocalFile { path in
            let handle = try open(path, position: input.position)
            defer { freexl_close(handle) }
            let names = try sheetNames(handle, position: input.position)
            if let choice {
                if names.contains(choice) { return choice }
                if let index = Int(choice), index >= 1, index <= names.count { return names[index - 1] }
                throw ZizhuError(.usage, "the workbook has no sheet \"\(choice)\"", at: input.position,
                                 hint: "its sheets are: " + names.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: ", "))
            }
            for (index, name) in names.enumerated() {
                guard freexl_select_active_worksheet(handle, UInt16(index)) == FREEXL_OK else { continue }
                var rows: UInt32 = 0
                var columns: UInt16 = 0
                if freexl_worksheet_dimensions(handle, &rows, &columns) == FREEXL_OK, rows > 0, columns > 0 { return name }
            }
            guard let first = names.first else {
                throw ZizhuError(.archive, "the workbook lists no sheets", at: input.position,
                                 hint: "open it in a spreadsheet program and save it again")
            }
            return first
        }
    }

    /// Reads the chosen sheet (`input.sheet`) as records.
    static func read(_ input: ByteInput, sourceIndex: Int, options: CSVOptions,
                     _ emit: (RecordBatch) throws -> Void) throws -> IngestStats {
        try input.withLocalFile { path in
            let position = InputPosition(file: input.position.file, entry: input.position.entry)
            let handle = try open(path, position: position)
            defer { freexl_close(handle) }
            let names = try sheetNames(handle, position: position)
            guard let index = names.firstIndex(of: input.sheet ?? names.first ?? "") else {
                throw ZizhuError(.archive, "the workbook has no sheets", at: position,
                                 hint: "open it in a spreadsheet program and save it again")
            }
            guard freexl_select_active_worksheet(handle, UInt16(index)) == FREEXL_OK else {
                throw ZizhuError(.archive, "sheet \"\(names[index])\" cannot be selected", at: position,
                                 hint: "the workbook is damaged; open it in a spreadsheet program and save it again")
            }
            // FreeXL converts date cells itself, in the workbook's date mode (1900 or 1904).
            var rows: UInt32 = 0
            var columns: UInt16 = 0
            guard freexl_worksheet_dimensions(handle, &rows, &columns) == FREEXL_OK else {
                throw ZizhuError(.archive, "the size of sheet \"\(names[index])\" cannot be read", at: position,
                                 hint: "the workbook is damaged; open it in a spreadsheet program and save it again")
            }
            var records = SheetRecords(sourceIndex: sourceIndex, options: options, maxColumns: 16_384)
            var value = FreeXL_CellValue()
            for row in 0..<rows {
                for column in 0..<columns {
                    func cellPosition() -> InputPosition {
                        InputPosition(file: position.file, entry: position.entry, line: Int(row) + 1,
                                      column: XLSXSheet.columnName(Int(column)) + String(row + 1))
                    }
                    guard freexl_get_cell_value(handle, row, column, &value) == FREEXL_OK else {
                        throw ZizhuError(.archive, "a cell cannot be read", at: cellPosition(),
                                         hint: "the workbook is damaged; open it in a spreadsheet program and save it again")
                    }
                    switch Int32(value.type) {
                    case FREEXL_CELL_INT:
                        try records.setCell(Int(column), String(value.value.int_value), position: cellPosition())
                    case FREEXL_CELL_DOUBLE:
                        try records.setCell(Int(column), CellText.number(value.value.double_value), position: cellPosition())
                    case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_TIME:
                        if let text = value.value.text_value {
                            try records.setCell(Int(column), String(cString: text), position: cellPosition())
                        }
                    case FREEXL_CELL_DATE, FREEXL_CELL_DATETIME:
                        if let text = value.value.text_value {
                            let full = String(cString: text)
                            try records.setCell(Int(column), String(full.prefix(10)), position: cellPosition())
                        }
                    default:
                        break
                    }
                }
                try records.endRow(Int(row) + 1, offset: Int64(row), emit)
            }
            try records.flush(emit)
            return IngestStats(encoding: .utf8, delimiter: ",", sourceBytes: 0, physicalLines: records.lastRow,
                               records: records.records)
        }
    }

    private static func open(_ path: String, position: InputPosition) throws -> UnsafeRawPointer {
        var handle: UnsafeRawPointer?
        let status = freexl_open(path, &handle)
        guard status == FREEXL_OK, let handle else {
            if let handle { freexl_close(handle) }
            throw ZizhuError(.archive, "the .xls workbook cannot be read (FreeXL error \(status))", at: position,
                             hint: "the file is damaged, password-protected or not BIFF8; open it in a spreadsheet program and save it as .xlsx")
        }
        return handle
    }

    private static func sheetNames(_ handle: UnsafeRawPointer, position: InputPosition) throws -> [String] {
        var count: UInt32 = 0
        guard freexl_get_info(handle, UInt16(FREEXL_BIFF_SHEET_COUNT), &count) == FREEXL_OK else {
            throw ZizhuError(.archive, "the workbook's sheets cannot be listed", at: position,
                             hint: "the workbook is damaged; open it in a spreadsheet program and save it again")
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
