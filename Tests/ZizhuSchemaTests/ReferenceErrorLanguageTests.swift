import Foundation
import Testing
import ZizhuCore
import ZizhuSchema
import ZizhuTestSupport

/// Issue 15: the working-day calendar's and region table's errors in both languages.
@Suite struct ReferenceErrorLanguageTests {
    @Test func aCalendarGivenTwiceIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-calendar-lang")
        defer { dir.cleanUp() }
        let year = #"{"year":2023,"notice":"国办发明电〔2022〕16号","holidays":["2023-01-02"],"workdays":["2023-01-28"]}"#
        _ = try dir.write("2023.json", Array(year.utf8))
        _ = try dir.write("2023b.json", Array(year.utf8))
        let error = try #require(throws: ZizhuError.self) { try WorkingDayCalendar.load(from: dir.url) }
        #expect(error.message(.zh) == "2023 年的日历给出了两次")
        #expect(error.message(.en) == "the calendar for 2023 is given twice")
        #expect(error.message == "the calendar for 2023 is given twice")
        #expect(error.code.exitStatus == 2)
    }

    @Test func aRegionTableWithABadCodeIsToldInChineseAndInEnglish() throws {
        let dir = try ScratchFolder(prefix: "zizhu-region-lang")
        defer { dir.cleanUp() }
        let path = try dir.write("regions.csv", Array("code,name,level\n37010,济南市,city\n".utf8))
        let error = try #require(throws: ZizhuError.self) { try RegionTable.load(from: URL(fileURLWithPath: path)) }
        #expect(error.message(.zh) == "行政区划表无效：代码必须是六位数字")
        #expect(error.message(.en) == "invalid region table: the code must have six digits")
        #expect(error.position?.line == 2)
    }
}
