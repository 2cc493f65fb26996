import Testing
import ZizhuCore
import ZizhuJobs
import ZizhuSchema

// S07 STATUS_CHANGE_LATE: a status change (学籍异动) recorded more than 10 working days after
// it happened — counting the working days after the change date up to and including the day it
// was recorded, on the shipped State Council calendar.
//
// 2023 around National Day (国办发明电〔2022〕16号): 09-29 (Fri) .. 10-06 (Fri) off, 10-07 (Sat)
// and 10-08 (Sun) make-up working days (调休上班). Across the holiday the calendar drops six
// weekdays (09-29, 10-02..10-06) and adds two weekend days, so naive Monday–Friday counting is
// wrong in both directions.

@Test func acrossNationalDayTheHolidayWeekIsNotCountedAgainstTheSchool() throws {
    // Change on Wed 2023-09-27.
    //   calendar: 09-28 (1), [09-29..10-06 off], 10-07 (2), 10-08 (3), 10-09..10-13 (4–8),
    //             10-16 (9), 10-17 (10), 10-18 (11)
    //   naive Mon–Fri: 09-28, 09-29, 10-02..10-06, 10-09..10-13, 10-16, 10-17 = 14 by 10-17.
    // Recorded 10-17: exactly 10 working days — on time, though naive counting says 14 (late).
    // Recorded 10-18: 11 — late.
    var c = SubmitCase()
    c.enrol(1, status: "退学", changed: "2023-09-27", recorded: "2023-10-17")
    c.enrol(2, status: "退学", changed: "2023-09-27", recorded: "2023-10-18")
    let outcome = try c.run()
    try #require(outcome.summary == ["S07 S2"])
    let s07 = try #require(outcome.codes("S07").first)
    #expect(s07.severity == .warning)
    #expect(s07.expected == "≤ 10 working days")
    #expect(s07.actual == "11 working days")
    #expect(s07.sources == ["roster.csv:3"])
    #expect(s07.term == "2023-fall")
    #expect(s07.schoolCode == "3701001")
    #expect(s07.detail.contains("退学 2023-09-27"))
}

@Test func acrossNationalDayTheMakeUpWeekendDaysCount() throws {
    // Change on Fri 2023-10-06 (itself a holiday).
    //   calendar: 10-07 Sat (1), 10-08 Sun (2), 10-09..10-13 (3–7), 10-16 (8), 10-17 (9),
    //             10-18 (10), 10-19 (11)
    //   naive Mon–Fri: 10-09..10-13 (5), 10-16..10-19 (4) = 9 by 10-19.
    // Recorded 10-19: 11 working days — late, though naive counting says 9 (on time).
    // Recorded 10-18: 10 — on time (naive 8).
    var c = SubmitCase()
    c.enrol(1, status: "休学", changed: "2023-10-06", recorded: "2023-10-19")
    c.enrol(2, status: "休学", changed: "2023-10-06", recorded: "2023-10-18")
    let outcome = try c.run()
    try #require(outcome.summary == ["S07 S1"])
    #expect(outcome.codes("S07").first?.actual == "11 working days")
}

@Test func tenWorkingDaysIsInTimeAndElevenIsLate() throws {
    // An ordinary fortnight: Wed 2023-03-01 → 03-02, 03-03, 03-06..03-10, 03-13..03-15 = 10.
    var c = SubmitCase()
    c.enrol(1, status: "转学", changed: "2023-03-01", recorded: "2023-03-15")
    c.enrol(2, status: "转学", changed: "2023-03-01", recorded: "2023-03-16")
    // Recorded the same day, or (a data error, not S07's business) before the change.
    c.enrol(3, status: "退学", changed: "2023-03-01", recorded: "2023-03-01")
    c.enrol(4, status: "退学", changed: "2023-03-20", recorded: "2023-03-01")
    // Either date missing: the rule is silent.
    c.enrol(5, status: "退学", changed: "2023-03-01", recorded: "")
    c.enrol(6, status: "退学", changed: "", recorded: "2023-09-01")
    let outcome = try c.run()
    try #require(outcome.summary == ["S07 S2"])
    #expect(outcome.codes("S07").first?.actual == "11 working days")
}

@Test func aResumptionRecordedLateIsS07Too() throws {
    // 复学 is a status change like the others; the student is enrolled, so no S03 either.
    var c = SubmitCase()
    c.enrol(1, status: "复学", changed: "2023-03-01", recorded: "2023-03-16")
    c.apply(1)
    let outcome = try c.run()
    try #require(outcome.summary == ["S07 S1"])
}

@Test func theWorkingDayLimitIsASetting() throws {
    // Wed 2023-03-01 → 03-09: 03-02, 03-03, 03-06, 03-07, 03-08, 03-09 = 6 working days.
    var c = SubmitCase()
    c.settings.statusChangeWorkingDays = 5
    c.enrol(1, status: "退学", changed: "2023-03-01", recorded: "2023-03-08")
    c.enrol(2, status: "退学", changed: "2023-03-01", recorded: "2023-03-09")
    let outcome = try c.run()
    try #require(outcome.summary == ["S07 S2"])
    #expect(outcome.codes("S07").first?.expected == "≤ 5 working days")
    #expect(outcome.codes("S07").first?.actual == "6 working days")
}

@Test func aStatusChangeInAYearWithoutAShippedCalendarStopsTheRunWithAClearError() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.enrol(2, status: "退学", changed: "2031-03-03", recorded: "2031-04-01")
    #expect {
        _ = try c.run()
    } throws: { error in
        guard let error = error as? ZizhuError else { return false }
        return error.code == .configuration
            && error.message.contains("roster.csv:3")
            && error.message.contains("no working-day calendar for 2031")
            && error.hint?.contains("2031.json") == true
    }
}

@Test func aChangeRecordedAcrossIntoAShippedYearStillNeedsTheEarlierYear() throws {
    // 2022 ships no calendar: the days of 2022 in the span cannot be judged.
    var c = SubmitCase()
    c.enrol(1, status: "退学", changed: "2022-12-20", recorded: "2023-01-10")
    #expect {
        _ = try c.run()
    } throws: { error in
        (error as? ZizhuError)?.message.contains("no working-day calendar for 2022") == true
    }
}

@Test func aShortSpanNeedsNoCalendar() throws {
    // Ten calendar days can never hold more than ten working days, whatever the year's calendar:
    // deciding "not late" here is arithmetic, not a guess.
    var c = SubmitCase()
    c.enrol(1, status: "退学", changed: "2031-03-03", recorded: "2031-03-13")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
}

@Test func aPipelineMayGiveItsOwnCalendar() throws {
    // A 2031 calendar with 03-05 (Wed) off and Sat 03-08 a make-up day.
    // Mon 2031-03-03 → 03-04 (1), 03-06 (2), 03-07 (3), 03-08 (4), 03-10..03-14 (5–9),
    // 03-17 (10), 03-18 (11).
    func day(_ m: Int, _ d: Int) -> CalendarDate { CalendarDate(year: 2031, month: m, day: d) ?? CalendarDate(daysSinceEpoch: 0) }
    var c = SubmitCase()
    c.settings.calendar = WorkingDayCalendar(years: [2031: (notice: "test", holidays: [day(3, 5)], workdays: [day(3, 8)])])
    c.enrol(1, status: "退学", changed: "2031-03-03", recorded: "2031-03-17")
    c.enrol(2, status: "退学", changed: "2031-03-03", recorded: "2031-03-18")
    let outcome = try c.run()
    try #require(outcome.summary == ["S07 S2"])
    #expect(outcome.codes("S07").first?.actual == "11 working days")
}
