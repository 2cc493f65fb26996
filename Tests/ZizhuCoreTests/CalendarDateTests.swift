import Foundation
import Testing
import ZizhuCore

@Suite struct CalendarDateTests {
    @Test(arguments: [
        "2023-09-01", "2023/9/1", "2023.9.1", "20230901", "2023年9月1日", "2023年9月1号", "2023年09月01日",
        "2023年9月1", "2023-9-1", "2023/09/01", "45170", "45170.0", "45170.75", "2023/9/1 0:00",
        "2023-09-01 00:00:00", "2023-09-01T08:30:00", "2023-09-01T08:30:00Z", "2023-09-01 08:30:00.123",
        "2023-09-01T08:30:00+08:00", " 2023-09-01 ", "\u{3000}20230901", "2023/9/1  12:05",
    ])
    func parsesEveryFormOfTheFirstOfSeptember(text: String) {
        let parsed = withBytes(text) { CalendarDate.parse($0) }.value
        #expect(parsed?.date == date(2023, 9, 1))
        #expect(parsed?.precision == .day)
    }

    @Test func excelSerialsCountFromDecember30th1899() {
        #expect(CalendarDate.parse("1").value?.date == date(1899, 12, 31))
        #expect(CalendarDate.parse("61").value?.date == date(1900, 3, 1))
        #expect(CalendarDate.parse("45170").value?.date == date(2023, 9, 1))
        #expect(CalendarDate.parse("45351").value?.date == date(2024, 2, 29))
        #expect(CalendarDate.parse("2958465").value?.date == date(9999, 12, 31))
        #expect(CalendarDate.parse("2958466").error?.rule == "DATE_INVALID")
        #expect(CalendarDate.parse("0").error?.rule == "DATE_INVALID")
    }

    @Test func aYearAloneIsNotASerial() {
        #expect(CalendarDate.parse("2023").error?.rule == "DATE_INVALID")
        #expect(CalendarDate.parse("2023", allowMonthOnly: true).error?.rule == "DATE_INVALID")
        // A four-digit serial outside the year-like range still reads as a serial.
        #expect(CalendarDate.parse("3000").value?.date == date(1908, 3, 18))
    }

    @Test(arguments: ["2023-09", "2023/9", "2023.9", "202309", "2023年9月", "2023年09月", "2023-09 0:00"])
    func monthOnlyFormsNeedPermission(text: String) {
        let allowed = CalendarDate.parse(text, allowMonthOnly: true).value
        #expect(allowed?.date == date(2023, 9, 1))
        #expect(allowed?.precision == .month)
        let refused = CalendarDate.parse(text).error
        #expect(refused?.rule == "DATE_INVALID")
        #expect(refused?.message.contains("month") == true)
    }

    @Test func leapDaysAreCheckedAgainstTheCalendar() {
        #expect(CalendarDate.parse("2023-02-29").error?.rule == "DATE_INVALID")
        #expect(CalendarDate.parse("2024-02-29").value?.date == date(2024, 2, 29))
        #expect(CalendarDate.parse("1900-02-29").error?.rule == "DATE_INVALID")
        #expect(CalendarDate.parse("2000-02-29").value?.date == date(2000, 2, 29))
        #expect(CalendarDate.parse("20230229").error?.rule == "DATE_INVALID")
        #expect(CalendarDate.parse("2023年2月29日").error?.rule == "DATE_INVALID")
        #expect(CalendarDate.parse("2023-04-31").error?.rule == "DATE_INVALID")
        #expect(CalendarDate.parse("2023-13-01").error?.rule == "DATE_INVALID")
        #expect(CalendarDate.parse("2023-00-10").error?.rule == "DATE_INVALID")
        #expect(CalendarDate.parse("2023-13", allowMonthOnly: true).error?.rule == "DATE_INVALID")
    }

    @Test(arguments: ["", "abc", "2023-09-01x", "2023-09/01", "23-9-1", "9/1/2023", "2023-009-01", "2023-09-001",
                      "2023-09-01 25:00", "2023-09-01 8", "2023-09-01 8:7", "2023年9月1日x", "2023年13月1日",
                      "45170.", "45170.5.5", "-45170", "123456789", "2023--09-01", "0999-01-01", "2023-09-01T"])
    func rejectsWhatIsNoDate(text: String) {
        #expect(CalendarDate.parse(text, allowMonthOnly: true).error?.rule == "DATE_INVALID")
    }

    @Test func stringParseFoldsFullWidthDigits() {
        #expect(CalendarDate.parse("２０２３年９月１日").value?.date == date(2023, 9, 1))
        #expect(CalendarDate.parse("２０２３－０９－０１").value?.date == date(2023, 9, 1))
    }

    @Test func partsWeekdayAndEpoch() throws {
        let epoch = CalendarDate(daysSinceEpoch: 0)
        #expect(epoch.iso == "1970-01-01")
        #expect(epoch.weekday == 4)   // Thursday
        let day = try #require(date(2023, 9, 1))
        #expect(day.daysSinceEpoch == 19_601)
        #expect((day.year, day.month, day.day) == (2023, 9, 1))
        #expect(day.weekday == 5)   // Friday
        #expect(try #require(date(2023, 10, 8)).weekday == 7)   // Sunday
        #expect(try #require(date(2023, 10, 9)).weekday == 1)   // Monday
        #expect(CalendarDate(daysSinceEpoch: -1).iso == "1969-12-31")
        #expect(CalendarDate(daysSinceEpoch: -1).weekday == 3)
        #expect(date(1, 1, 1)?.iso == "0001-01-01")
        #expect(date(0, 1, 1) == nil)
        #expect(date(2023, 2, 29) == nil)
        #expect(date(2023, 12, 32) == nil)
    }

    @Test func addingDaysCrossesMonthsYearsAndLeapDays() throws {
        let day = try #require(date(2024, 2, 28))
        #expect(day.adding(days: 1).iso == "2024-02-29")
        #expect(day.adding(days: 2).iso == "2024-03-01")
        #expect(day.adding(days: -59).iso == "2023-12-31")
        #expect(day.adding(days: 366).iso == "2025-02-28")
        #expect(day.days(to: day.adding(days: 40)) == 40)
        #expect(CalendarDate(daysSinceEpoch: .max).adding(days: 10).daysSinceEpoch == .max)
        #expect(day.firstOfMonth.iso == "2024-02-01")
    }

    @Test func lastDayOfEachMonth() {
        #expect(CalendarDate.lastDay(ofMonth: 2, year: 2023) == 28)
        #expect(CalendarDate.lastDay(ofMonth: 2, year: 2024) == 29)
        #expect(CalendarDate.lastDay(ofMonth: 2, year: 2100) == 28)
        #expect(CalendarDate.lastDay(ofMonth: 2, year: 2000) == 29)
        #expect(CalendarDate.lastDay(ofMonth: 4, year: 2023) == 30)
        #expect(CalendarDate.lastDay(ofMonth: 12, year: 2023) == 31)
        #expect(CalendarDate.lastDay(ofMonth: 13, year: 2023) == 0)
    }

    @Test func codableAsISOString() throws {
        let day = try #require(date(2023, 9, 1))
        let data = try JSONEncoder().encode([day])
        #expect(String(decoding: data, as: UTF8.self) == #"["2023-09-01"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [day])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2023/9/1"]"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2023-02-29"]"#.utf8))
        }
    }

    @Test func ordersByDay() throws {
        let early = try #require(date(2023, 9, 1))
        let late = try #require(date(2023, 9, 2))
        #expect(early < late)
        #expect((early...late).contains(late))
        #expect(!(early...late).contains(late.adding(days: 1)))
    }
}
