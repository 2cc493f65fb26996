import Testing
@testable import ZizhuPipeline

/// cleaned.xlsx holds any number of rows: past Excel's 1,048,576 rows a sheet (header included)
/// the rows go on in the next sheet, under its own header.
@Suite struct CleanedOutputPlacementTests {
    @Test func rowsFillASheetBelowItsHeaderThenTheNext() {
        // A sheet of 4 rows: the header and 3 data rows.
        #expect(CleanedOutput.place(0, sheetRows: 4) == (0, 1))
        #expect(CleanedOutput.place(2, sheetRows: 4) == (0, 3))
        #expect(CleanedOutput.place(3, sheetRows: 4) == (1, 1))
        #expect(CleanedOutput.place(7, sheetRows: 4) == (2, 2))
    }

    @Test func excelsLimitIsTheDefault() {
        #expect(CleanedOutput.place(1_048_574) == (0, 1_048_575), "the last row Excel shows")
        #expect(CleanedOutput.place(1_048_575) == (1, 1), "the next goes to the second sheet")
    }
}
