import Testing
import ZizhuReport

/// A long table (cleaned.xlsx, discrepancies.xlsx) holds any number of rows: past Excel's
/// 1,048,576 rows a sheet (header included) the rows go on in the next sheet, under its own header.
@Suite struct SheetPlacementTests {
    @Test func rowsFillASheetBelowItsHeaderThenTheNext() {
        // A sheet of 4 rows: the header and 3 data rows.
        #expect(XlsxWorkbook.place(0, sheetRows: 4) == (0, 1))
        #expect(XlsxWorkbook.place(2, sheetRows: 4) == (0, 3))
        #expect(XlsxWorkbook.place(3, sheetRows: 4) == (1, 1))
        #expect(XlsxWorkbook.place(7, sheetRows: 4) == (2, 2))
    }

    @Test func excelsLimitIsTheDefault() {
        #expect(XlsxWorkbook.place(1_048_574) == (0, 1_048_575), "the last row Excel shows")
        #expect(XlsxWorkbook.place(1_048_575) == (1, 1), "the next goes to the second sheet")
    }
}
