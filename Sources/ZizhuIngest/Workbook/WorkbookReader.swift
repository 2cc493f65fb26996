import ZizhuCore
import ZizhuIO

/// Reads workbooks (.xlsx, .xls) as records, the way `RecordReader` reads CSV: every non-empty
/// row is a record whose line is the sheet's row number, so title lines, the header, a 合计 row
/// and the validation downstream work unchanged.
public enum WorkbookReader {
    /// For a workbook, the input with its sheet chosen: `sheet` by name or 1-based index, else the
    /// first visible sheet that holds a value. The position then names the sheet
    /// (`file.xlsx!Sheet1`). A CSV input is returned as it is. An unknown sheet is `.usage`.
    public static func selectSheet(_ input: ByteInput, sheet: String?) throws -> ByteInput {
        switch input.format {
        case .text:
            return input
        case .xlsx:
            guard input.sheet == nil else { return input }
            let workbook = try XLSXWorkbook(input: input)
            return input.selecting(sheet: try workbook.choose(sheet).name)
        case .xls:
            guard input.sheet == nil else { return input }
            return input.selecting(sheet: try XLSWorkbook.chooseSheet(input, sheet))
        }
    }

    /// Streams the chosen sheet (the first visible one with data when none was chosen).
    static func read(_ input: ByteInput, sourceIndex: Int, options: CSVOptions,
                     _ emit: @escaping (RecordBatch) throws -> Void) throws -> IngestStats {
        let chosen = try selectSheet(input, sheet: options.sheet)
        switch chosen.format {
        case .text:
            return try RecordReader(input: chosen, sourceIndex: sourceIndex, options: options).read(emit)
        case .xlsx:
            let workbook = try XLSXWorkbook(input: chosen)
            let sheet = try workbook.choose(chosen.sheet)
            return try workbook.read(sheet, input: chosen, sourceIndex: sourceIndex, options: options, emit)
        case .xls:
            return try XLSWorkbook.read(chosen, sourceIndex: sourceIndex, options: options, emit)
        }
    }
}
