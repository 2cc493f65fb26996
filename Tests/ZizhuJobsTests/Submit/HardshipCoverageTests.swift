import Testing
import ZizhuCore
import ZizhuJobs

// S02 HARDSHIP_NOT_COVERED (应助尽助): a full-time, enrolled, grade 1–2 student of a special
// hardship type with no 国家助学金 application of the term, or only 退回 ones.

@Test func everySpecialHardshipTypeWithoutAGrantApplicationIsS02() throws {
    var c = SubmitCase()
    let types = ["原建档立卡", "低保", "特困供养", "孤儿", "烈士子女", "残疾学生", "残疾人子女"]
    for (i, type) in types.enumerated() { c.enrol(i + 1, grade: i % 2 == 0 ? "1" : "2", hardship: type) }
    let outcome = try c.run()
    try #require(outcome.summary == (1...7).map { "S02 S\($0)" })
    let s02 = outcome.codes("S02")
    #expect(s02.allSatisfy { $0.severity == .warning && $0.term == "2023-fall" && $0.schoolCode == "3701001" })
    #expect(s02.map(\.actual) == Array(repeating: "none", count: 7))
    #expect(s02.map(\.sources) == (2...8).map { ["roster.csv:\($0)"] })
    #expect(s02[0].idNumber == residentID(1))
    #expect(s02[0].name == SubmitCase.name(1))
    #expect(s02[3].detail.contains("孤儿"))
}

@Test func onlyReturnedGrantApplicationsLeaveTheStudentUncovered() throws {
    var c = SubmitCase()
    c.enrol(1, hardship: "低保")
    c.apply(1, status: "退回")
    c.apply(1, applied: "2023-10-12", status: "不通过")
    let outcome = try c.run()
    try #require(outcome.summary == ["S02 S1"])
    let s02 = try #require(outcome.codes("S02").first)
    #expect(s02.actual == "退回 only")
    // Sources run in input order: roster.csv, then applications.csv.
    #expect(s02.sources == ["roster.csv:2", "applications.csv:2", "applications.csv:3"])
}

@Test func aTuitionWaiverAloneDoesNotCoverAHardshipStudent() throws {
    var c = SubmitCase()
    c.enrol(1, hardship: "特困供养")
    c.waive(1)
    let outcome = try c.run()
    try #require(outcome.summary == ["S02 S1"])
    #expect(outcome.codes("S02").first?.actual == "none")
}

@Test func aGrantApplicationOfAnotherTermDoesNotCoverThisOne() throws {
    var c = SubmitCase()
    c.enrol(1, hardship: "孤儿")
    c.apply(1, term: "2023年春季学期", applied: "2023-04-10")
    let outcome = try c.run()
    try #require(outcome.summary == ["S02 S1"])
    #expect(outcome.result.otherTermRows == 1)
}

@Test func aResumedStudentCountsAsEnrolledForS02() throws {
    // 复学 counts as enrolled: a resumed hardship student must be covered too.
    var c = SubmitCase()
    c.enrol(1, status: "复学", changed: "2023-09-01", recorded: "2023-09-04", hardship: "原建档立卡")
    let outcome = try c.run()
    try #require(outcome.summary == ["S02 S1"])
}

@Test func studentsS02DoesNotCoverAreNoS02() throws {
    var c = SubmitCase()
    // Grade 3: the grant covers grades 1–2 only (a grade-3 hardship student is not S02).
    c.enrol(1, grade: "3", hardship: "低保")
    c.enrol(2, grade: "三年级", hardship: "孤儿")
    // Part-time.
    c.enrol(3, mode: "非全日制", hardship: "低保")
    // Not a special-hardship type.
    c.enrol(4, hardship: "一般困难")
    c.enrol(5, hardship: "边缘易致贫户")
    c.enrol(6, hardship: "突发严重困难户")
    c.enrol(7, hardship: "无")
    c.enrol(8, hardship: "")
    // Not enrolled.
    c.enrol(9, status: "休学", changed: "2023-09-04", recorded: "2023-09-05", hardship: "低保")
    c.enrol(10, status: "毕业", hardship: "低保")
    // Covered: an application pending approval, or approved, or one 退回 beside one pending.
    c.enrol(11, hardship: "残疾学生")
    c.apply(11, status: "待审批")
    c.enrol(12, hardship: "残疾人子女")
    c.apply(12)
    c.enrol(13, hardship: "烈士子女")
    c.apply(13, applied: "2023-10-08", status: "退回")
    c.apply(13, applied: "2023-10-09", status: "待审批")
    // No grade given: the rule needs it, so it is silent (contract §5).
    c.enrol(14, grade: "", hardship: "低保")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
}

@Test func aGradeGivenAsAnEntryYearBecomesTheGradeInTheTerm() throws {
    // 2023-fall: grade = 2023 − entry year + 1.
    var c = SubmitCase()
    c.enrol(1, grade: "2023", hardship: "低保")   // grade 1
    c.enrol(2, grade: "2022", hardship: "低保")   // grade 2
    c.enrol(3, grade: "2021", hardship: "低保")   // grade 3
    c.enrol(4, grade: "二年级", hardship: "低保")
    let outcome = try c.run()
    try #require(outcome.summary == ["S02 S1", "S02 S2", "S02 S4"])
    #expect(outcome.codes("S02").first?.detail.contains("grade 1") == true)
    // The package writes the grade number, not the entry year.
    let rows = outcome.rosterLines.dropFirst().map(SubmitOutcome.cells)
    try #require(rows.count == 4 && rows.allSatisfy { $0.count == 21 })
    let grades = rows.map { $0[15] }
    #expect(grades.sorted() == ["1", "2", "2", "3"])
}

@Test func inTheSpringTermAnEntryYearIsOneGradeLess() throws {
    // 2023-spring: grade = 2023 − entry year, so 2022 is grade 1, 2021 grade 2, 2020 grade 3.
    var c = SubmitCase()
    c.settings = SubmitSettings(term: Term(year: 2023, season: .spring), schoolCode: "3701001", schoolCity: 370100)
    c.enrol(1, registered: "2023-03-01", grade: "2022", hardship: "孤儿")
    c.enrol(2, registered: "2023-03-01", grade: "2021", hardship: "孤儿")
    c.enrol(3, registered: "2023-03-01", grade: "2020", hardship: "孤儿")
    let outcome = try c.run()
    try #require(outcome.summary == ["S02 S1", "S02 S2"])
}

@Test func theHardshipTypesAndGradesS02CoversAreSettings() throws {
    var c = SubmitCase()
    c.settings.specialHardship.insert("边缘易致贫户")
    c.settings.hardshipGrades = 1...3
    c.enrol(1, hardship: "边缘易致贫户")
    c.enrol(2, grade: "3", hardship: "低保")
    c.enrol(3, hardship: "一般困难")
    let outcome = try c.run()
    try #require(outcome.summary == ["S02 S1", "S02 S2"])
}

@Test func withTwoRosterRowsTheEnrolledOneDecidesS02() throws {
    // The same id registered twice (S01): a 退学 row first, then the 在籍 row. The enrolled row
    // describes the student, so the uncovered hardship is still found; with both rows left, not.
    var c = SubmitCase()
    c.enrol(1, status: "退学", changed: "2023-09-05", recorded: "2023-09-06", hardship: "低保")
    c.enrol(1, hardship: "低保")
    let outcome = try c.run()
    #expect(outcome.codes("S02").count == 1)
    #expect(outcome.codes("S02").first?.sources == ["roster.csv:2", "roster.csv:3"])

    var left = SubmitCase()
    left.enrol(1, status: "退学", changed: "2023-09-05", recorded: "2023-09-06", hardship: "低保")
    left.enrol(1, status: "退学", changed: "2023-09-05", recorded: "2023-09-06", hardship: "低保")
    #expect(try left.run().codes("S02").isEmpty)
}
