import Foundation
import Testing
import ZizhuCore
import ZizhuSchema
import ZizhuTestSupport

@Suite struct ReferenceCalendarTests {
    let calendar = WorkingDayCalendar.shared

    private func day(_ year: Int, _ month: Int, _ day: Int) throws -> CalendarDate {
        try #require(CalendarDate(year: year, month: month, day: day))
    }

    @Test func shipsTwentyTwentyThreeToTwentyTwentySix() {
        #expect(calendar.loadError == nil)
        #expect(calendar.years == 2023...2026)
        #expect(calendar.notice(forYear: 2023) == "国办发明电〔2022〕16号")
        #expect(calendar.notice(forYear: 2024) == "国办发明电〔2023〕7号")
        #expect(calendar.notice(forYear: 2025) == "国办发明电〔2024〕12号")
        #expect(calendar.notice(forYear: 2026) == "国办发明电〔2025〕7号")
        #expect(calendar.notice(forYear: 2022) == nil)
    }

    @Test func twentyTwentyThreeMatchesTheContract() throws {
        // Contract §2: off 01-02, 01-21..01-27, 04-05, 04-29..05-03, 06-22..06-24, 09-29..10-06;
        // make-up working days 01-28, 01-29, 04-23, 05-06, 06-25, 10-07, 10-08.
        let off: [(Int, Int)] = [(1, 2), (4, 5)] + (21...27).map { (1, $0) } + [(4, 29), (4, 30)] + (1...3).map { (5, $0) }
            + (22...24).map { (6, $0) } + [(9, 29), (9, 30)] + (1...6).map { (10, $0) }
        let makeUp: [(Int, Int)] = [(1, 28), (1, 29), (4, 23), (5, 6), (6, 25), (10, 7), (10, 8)]
        var expectedOffWeekdays = Set<CalendarDate>()
        for (month, dayOfMonth) in off { expectedOffWeekdays.insert(try day(2023, month, dayOfMonth)) }
        for (month, dayOfMonth) in makeUp { #expect(try calendar.isWorkingDay(try day(2023, month, dayOfMonth))) }
        // Every Monday–Friday of 2023 is a working day unless the contract lists it as off.
        var date = try day(2023, 1, 1)
        while date.year == 2023 {
            if date.weekday <= 5 {
                #expect(try calendar.isWorkingDay(date) == !expectedOffWeekdays.contains(date), "\(date)")
            } else if !makeUp.contains(where: { (try? day(2023, $0.0, $0.1)) == date }) {
                #expect(try calendar.isWorkingDay(date) == false, "\(date)")
            }
            date = date.adding(days: 1)
        }
    }

    @Test func countsAcrossNationalDayAndItsMakeUpDays() throws {
        let change = try day(2023, 9, 28)   // Thursday
        // 09-29 (Fri, 中秋) and 09-30 … 10-06 are off; 10-07 (Sat) and 10-08 (Sun) are make-up
        // working days: 1, 2; then 10-09 Mon … 10-13 Fri: 3, 4, 5, 6, 7.
        #expect(try calendar.workingDays(after: change, through: try day(2023, 10, 13)) == 7)
        // 10-14/10-15 weekend; 10-16 Mon is the 8th.
        #expect(try calendar.workingDays(after: change, through: try day(2023, 10, 16)) == 8)
        // 10-17 Tue 9th, 10-18 Wed 10th (still on time), 10-19 Thu 11th (late).
        #expect(try calendar.workingDays(after: change, through: try day(2023, 10, 18)) == 10)
        #expect(try calendar.workingDays(after: change, through: try day(2023, 10, 19)) == 11)
        // Without the holiday calendar 10-13 would already be the 11th working day.
        #expect(try calendar.workingDays(after: change, through: try day(2023, 9, 29)) == 0)
    }

    @Test func weekendsAloneCountNothing() throws {
        let friday = try day(2023, 11, 3)
        #expect(try calendar.workingDays(after: friday, through: try day(2023, 11, 5)) == 0)
        #expect(try calendar.workingDays(after: friday, through: try day(2023, 11, 6)) == 1)
        #expect(try calendar.workingDays(after: try day(2023, 11, 4), through: try day(2023, 11, 6)) == 1)
    }

    @Test func emptyAndBackwardSpansCountZero() throws {
        let day1 = try day(2023, 11, 6)
        #expect(try calendar.workingDays(after: day1, through: day1) == 0)
        #expect(try calendar.workingDays(after: day1, through: try day(2023, 11, 1)) == 0)
    }

    @Test func laterYearsFollowTheirNotices() throws {
        #expect(try calendar.isWorkingDay(try day(2024, 2, 4)))          // Sunday make-up
        #expect(try !calendar.isWorkingDay(try day(2024, 2, 16)))        // 春节, Friday
        #expect(try !calendar.isWorkingDay(try day(2025, 10, 8)))        // 国庆+中秋, Wednesday
        #expect(try calendar.isWorkingDay(try day(2025, 10, 11)))        // Saturday make-up
        #expect(try calendar.isWorkingDay(try day(2026, 1, 4)))          // Sunday make-up
        #expect(try !calendar.isWorkingDay(try day(2026, 2, 23)))        // 春节, Monday
        #expect(try calendar.isWorkingDay(try day(2026, 2, 24)))
        // Across a year boundary: 2024-12-31 Tue → 2025-01-02 Thu; 01-01 is off.
        #expect(try calendar.workingDays(after: try day(2024, 12, 31), through: try day(2025, 1, 2)) == 1)
    }

    @Test func aYearNotShippedThrows() throws {
        let error = #expect(throws: ValueError.self, "2022 is not shipped") { _ = try calendar.isWorkingDay(try day(2022, 12, 30)) }
        #expect(error?.rule == "CALENDAR_YEAR_MISSING")
        #expect(error?.hint?.contains("2022") == true)
        #expect(throws: ValueError.self) {
            try calendar.workingDays(after: try day(2026, 12, 30), through: try day(2027, 1, 4))
        }
    }

    @Test func loadingRejectsBrokenFiles() throws {
        let scratch = try ScratchFolder(prefix: "calendars")
        defer { scratch.cleanUp() }
        let folder = scratch.url
        func load(_ files: [String: String]) throws -> WorkingDayCalendar {
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
            }
            for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
            return try WorkingDayCalendar.load(from: folder)
        }
        let good = #"{"year":2030,"notice":"X","holidays":["2030-01-01"],"workdays":["2030-01-05"]}"#
        let loaded = try load(["2030.json": good, "notes.txt": "ignored"])
        #expect(loaded.years == 2030...2030)
        #expect(try !loaded.isWorkingDay(try day(2030, 1, 1)))
        #expect(try loaded.isWorkingDay(try day(2030, 1, 5)))     // a Saturday made a working day
        #expect(try loaded.isWorkingDay(try day(2030, 1, 2)))

        let broken = [
            ["a.json": "{"],
            ["a.json": #"{"year":2030,"notice":"X","holidays":["2031-01-01"],"workdays":[]}"#],
            ["a.json": #"{"year":2030,"notice":"X","holidays":["2030-01-01"],"workdays":["2030-01-01"]}"#],
            ["a.json": good, "b.json": good],
            ["a.json": #"{"year":2030,"notice":"X","holidays":["2030-02-30"],"workdays":[]}"#],
            [:],
        ]
        for files in broken {
            #expect(throws: ZizhuError.self, "\(files)") { try load(files) }
        }
    }
}
