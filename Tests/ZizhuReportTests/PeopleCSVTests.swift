import Testing
import ZizhuReport

/// CSV written for people (contract §8): a cell starting with = + - @ or a tab is guarded with `'`.
@Suite struct PeopleCSVTests {
    @Test func cellsAreGuardedAndQuoted() {
        func cell(_ text: String) -> String {
            var buffer: [UInt8] = []
            CSVWriter.appendCell(text, to: &buffer)
            return String(decoding: buffer, as: UTF8.self)
        }
        #expect(cell("王小明") == "王小明")
        #expect(cell("=SUM(A1)") == "'=SUM(A1)")
        #expect(cell("-12") == "'-12")
        #expect(cell("@x") == "'@x")
        #expect(cell("a,b") == "\"a,b\"")
        #expect(cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(cell("+1,2") == "\"'+1,2\"")
        #expect(cell("line\nbreak") == "\"line\nbreak\"")
        #expect(cell("") == "")
    }
}
