import Foundation
import Testing
import ZizhuCore

@Suite struct TermTests {
    @Test(arguments: [
        ("2023-fall", 2023, Term.Season.fall), ("2023-spring", 2023, .spring), ("2023S", 2023, .spring),
        ("2023F", 2023, .fall), ("2023s", 2023, .spring), ("2023f", 2023, .fall), ("2023-FALL", 2023, .fall),
        ("2023 Spring", 2023, .spring), ("2023-autumn", 2023, .fall), ("2023年秋季学期", 2023, .fall),
        ("2023秋季", 2023, .fall), ("2023秋", 2023, .fall), ("2023年春季", 2023, .spring), ("2023春季学期", 2023, .spring),
        ("2023年春", 2023, .spring), ("2023秋学期", 2023, .fall), ("２０２３年秋季学期", 2023, .fall),
        (" 2023 年 秋季 ", 2023, .fall), ("2023-2024学年第一学期", 2023, .fall), ("2023-2024学年第二学期", 2024, .spring),
        ("2023-2024学年第1学期", 2023, .fall), ("2023—2024学年下学期", 2024, .spring), ("2023-2024-1", 2023, .fall),
        ("2023-2024-2", 2024, .spring),
    ] as [(String, Int, Term.Season)])
    func parsesEverySpelling(text: String, year: Int, season: Term.Season) {
        #expect(Term.parse(text).value == Term(year: year, season: season))
    }

    @Test(arguments: ["", "2023", "2023-winter", "23秋", "2023夏季", "2023年秋季学期x", "秋季2023", "2023-2025学年第一学期",
                      "2023-2024学年第三学期", "1850-fall", "2023SF", "20233-fall"])
    func rejectsUnknownSpellings(text: String) {
        let error = Term.parse(text).error
        #expect(error?.rule == "TERM_INVALID")
        #expect(error?.hint != nil)
    }

    @Test func canonicalFormAndOrder() {
        let fall = Term(year: 2023, season: .fall)
        #expect(fall.canonical == "2023-fall")
        #expect(Term(year: 2024, season: .spring).description == "2024-spring")
        #expect(Term(year: 2023, season: .spring) < fall)
        #expect(fall < Term(year: 2024, season: .spring))
        #expect(fall.next == Term(year: 2024, season: .spring))
        #expect(fall.next.previous == fall)
        #expect(Term(year: 2024, season: .spring).next == Term(year: 2024, season: .fall))
    }

    @Test func gradeFromEntryYear() {
        // Fall: Y − entry + 1; spring: Y − entry.
        #expect(Term(year: 2023, season: .fall).grade(entryYear: 2023) == 1)
        #expect(Term(year: 2023, season: .fall).grade(entryYear: 2021) == 3)
        #expect(Term(year: 2024, season: .spring).grade(entryYear: 2023) == 1)
        #expect(Term(year: 2024, season: .spring).grade(entryYear: 2022) == 2)
        #expect(Term(year: 2023, season: .spring).grade(entryYear: 2023) == 0)
    }

    @Test func deadlinesOfBothSeasons() {
        let spring = Term(year: 2024, season: .spring)
        let fall = Term(year: 2023, season: .fall)
        #expect(spring.registrationDeadline.iso == "2024-04-20")
        #expect(spring.applicationDeadline.iso == "2024-04-30")
        #expect(fall.registrationDeadline.iso == "2023-10-20")
        #expect(fall.applicationDeadline.iso == "2023-10-30")
    }

    @Test func payoutWindowEndsWithFebruaryOfTheNextYear() {
        let spring = Term(year: 2024, season: .spring).defaultPayoutWindow
        #expect(spring.lowerBound.iso == "2024-03-01")
        #expect(spring.upperBound.iso == "2024-08-31")
        let beforeLeap = Term(year: 2023, season: .fall).defaultPayoutWindow   // ends in 2024, a leap year
        #expect(beforeLeap.lowerBound.iso == "2023-09-01")
        #expect(beforeLeap.upperBound.iso == "2024-02-29")
        let beforeCommon = Term(year: 2024, season: .fall).defaultPayoutWindow
        #expect(beforeCommon.upperBound.iso == "2025-02-28")
        #expect(Term(year: 2099, season: .fall).defaultPayoutWindow.upperBound.iso == "2100-02-28")
    }

    @Test func termContainingADate() throws {
        #expect(Term(containing: try #require(date(2023, 9, 1))) == Term(year: 2023, season: .fall))
        #expect(Term(containing: try #require(date(2024, 2, 29))) == Term(year: 2023, season: .fall))
        #expect(Term(containing: try #require(date(2024, 3, 1))) == Term(year: 2024, season: .spring))
        #expect(Term(containing: try #require(date(2024, 8, 31))) == Term(year: 2024, season: .spring))
    }

    @Test func codableAsCanonicalString() throws {
        let data = try JSONEncoder().encode([Term(year: 2023, season: .fall)])
        #expect(String(decoding: data, as: UTF8.self) == #"["2023-fall"]"#)
        #expect(try JSONDecoder().decode([Term].self, from: data) == [Term(year: 2023, season: .fall)])
    }
}

@Suite struct GradeTests {
    @Test(arguments: [("1", Grade.number(1)), ("3", .number(3)), ("一年级", .number(1)), ("二年级", .number(2)),
                      ("三年级", .number(3)), ("2年级", .number(2)), ("二", .number(2)), ("2023", .entryYear(2023)),
                      ("2023级", .entryYear(2023)), ("２０２２级", .entryYear(2022)), (" 3 ", .number(3))])
    func parsesNumbersAndEntryYears(text: String, grade: Grade) {
        #expect(Grade.parse(text).value == grade)
    }

    @Test(arguments: ["", "0", "7", "七年级", "12", "1850", "2023届", "高一", "一二", "二年", "abc"])
    func rejectsOtherValues(text: String) {
        #expect(Grade.parse(text).error?.rule == "GRADE_INVALID")
    }

    @Test func entryYearBecomesANumberInATerm() {
        #expect(Grade.entryYear(2022).number(in: Term(year: 2023, season: .fall)) == 2)
        #expect(Grade.entryYear(2022).number(in: Term(year: 2023, season: .spring)) == 1)
        #expect(Grade.number(3).number(in: Term(year: 2023, season: .fall)) == 3)
    }
}
