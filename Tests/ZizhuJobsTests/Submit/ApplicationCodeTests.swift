import Testing
import ZizhuCore
import ZizhuJobs

// S03 (not enrolled), S04 (part-time), S06 (late application), S10 (applied twice) and S11
// (tier): per student over the term's applications. 退回 rows are refused applications — no
// money moves on them — so none of these codes looks at them.

// MARK: S03

@Test func anApplicationForSomeoneAbsentFromTheRosterIsS03NamedFromTheApplication() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1)
    c.apply(9, name: "赵六")
    c.waive(9)
    let outcome = try c.run()
    try #require(outcome.summary == ["S03 S9"])
    let s03 = try #require(outcome.codes("S03").first)
    #expect(s03.severity == .error)
    #expect(s03.name == "赵六")
    #expect(s03.idNumber == residentID(9))
    #expect(s03.schoolCode == "3701001")
    #expect(s03.term == "2023-fall")
    #expect(s03.expected == "in the roster")
    #expect(s03.actual == "absent")
    // One finding for the student, naming both applications.
    #expect(s03.sources == ["applications.csv:3", "applications.csv:4"])
    #expect(s03.detail.contains("免学费, 国家助学金"))
}

@Test func aPassportHoldersApplicationMeetsTheirRosterRowAndAnotherPassportNumberIsS03() throws {
    // 证件类型 on the applications too: a 护照 number is kept as written (upper-cased), as in the
    // roster, so the foreign student's application is theirs; a number the roster lacks is S03.
    var c = SubmitCase()
    c.enrol(1, id: "E12345678", idType: "护照")
    c.apply(1, id: "e12345678", idType: "护照")
    c.enrol(2)
    c.apply(2, idType: "居民身份证")
    c.apply(3, id: "E99999999", idType: "护照")
    let outcome = try c.run()
    try #require(outcome.summary == ["S03 S3"])
    #expect(outcome.codes("S03").first?.idNumber == "E99999999")
    #expect(outcome.codes("S03").first?.sources == ["applications.csv:4"])
    // The package keeps the type beside the number.
    let header = SubmitOutcome.cells(try #require(outcome.applicationLines.first))
    let type = try #require(header.firstIndex(of: "id_type")), number = try #require(header.firstIndex(of: "id_number"))
    #expect(type + 1 == number)
}

@Test func anApplicationWhileWithdrawnSuspendedTransferredOrGraduatedIsS03() throws {
    var c = SubmitCase()
    c.enrol(1, status: "退学", changed: "2023-09-04", recorded: "2023-09-05")
    c.enrol(2, status: "休学", changed: "2023-09-04", recorded: "2023-09-05")
    c.enrol(3, status: "转出", changed: "2023-09-04", recorded: "2023-09-05")
    c.enrol(4, status: "毕业")
    for n in 1...4 { c.apply(n) }
    let outcome = try c.run()
    try #require(outcome.summary == ["S03 S1", "S03 S2", "S03 S3", "S03 S4"])
    let s03 = outcome.codes("S03")
    #expect(s03.map(\.actual) == ["退学", "休学", "转学", "毕业"])
    #expect(s03.allSatisfy { $0.expected == "在籍 or 复学" })
    #expect(s03[0].sources == ["roster.csv:2", "applications.csv:2"])
    #expect(s03[0].detail.contains("since 2023-09-04"))
}

@Test func enrolledOrResumedApplicantsAreNoS03() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.enrol(2, status: "在校")
    c.enrol(3, status: "复学", changed: "2023-09-01", recorded: "2023-09-01")
    for n in 1...3 { c.apply(n) }
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
}

@Test func aReturnedApplicationForSomeoneNotEnrolledIsNoS03() throws {
    // The approver refused it: nothing is funded, the check did its job.
    var c = SubmitCase()
    c.enrol(1, status: "退学", changed: "2023-09-04", recorded: "2023-09-05")
    c.apply(1, status: "退回")
    c.apply(9, status: "不通过")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
    // The refused rows still go into the package.
    #expect(outcome.result.applicationRows == 2)
}

@Test func aFifteenDigitIDOnTheApplicationFindsTheRosterRow() throws {
    let id = submitResidentID(born: "19900315", sequence: 123)
    var c = SubmitCase()
    c.enrol(1, id: id)
    c.apply(1, id: fifteenDigitForm(id))
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
}

// MARK: S04

@Test func anApplicationForAPartTimeStudentIsS04WhateverTheAid() throws {
    var c = SubmitCase()
    c.enrol(1, mode: "非全日制")
    c.apply(1)
    c.enrol(2, mode: "非全日制")
    c.waive(2)
    c.enrol(3)
    c.apply(3)
    c.waive(3)
    let outcome = try c.run()
    try #require(outcome.summary == ["S04 S1", "S04 S2"])
    let s04 = outcome.codes("S04")
    #expect(s04.allSatisfy { $0.severity == .error && $0.expected == "全日制" && $0.actual == "非全日制" })
    #expect(s04.map(\.sources) == [["roster.csv:2", "applications.csv:2"], ["roster.csv:3", "applications.csv:3"]])
    #expect(s04[1].detail.contains("免学费"))
}

@Test func aPartTimeStudentWithOnlyARefusedApplicationOrNotEnrolledIsNoS04() throws {
    var c = SubmitCase()
    c.enrol(1, mode: "非全日制")
    c.apply(1, status: "退回")
    // Not enrolled: S03 says so, S04 does not add to it.
    c.enrol(2, mode: "非全日制", status: "退学", changed: "2023-09-04", recorded: "2023-09-05")
    c.apply(2)
    let outcome = try c.run()
    try #require(outcome.summary == ["S03 S2"])
}

// MARK: S06

@Test func anApplicationAfterTheDeadlineIsS06AndOnTheDeadlineIsNot() throws {
    var c = SubmitCase()
    for n in 1...3 { c.enrol(n) }
    c.apply(1, applied: "2023-10-30")
    c.apply(2, applied: "2023-10-31")
    c.apply(3, applied: "")
    let outcome = try c.run()
    try #require(outcome.summary == ["S06 S2"])
    let s06 = try #require(outcome.codes("S06").first)
    #expect(s06.severity == .error)
    #expect(s06.expected == "≤ 2023-10-30")
    #expect(s06.actual == "2023-10-31")
    #expect(s06.sources == ["applications.csv:3"])
    #expect(s06.idNumber == residentID(2))
}

@Test func twoLateApplicationsOfOneStudentAreOneS06() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, applied: "2023-10-31")
    c.apply(1, aid: "免学费", tier: "", amount: "2000.00", applied: "2023-11-02")
    c.enrol(2)
    c.apply(2, applied: "2023-10-20")
    c.apply(2, aid: "免学费", tier: "", amount: "2000.00", applied: "2023-11-01")
    let outcome = try c.run()
    try #require(outcome.summary == ["S06 S1", "S06 S2"])
    let s06 = outcome.codes("S06")
    #expect(s06[0].actual == "2023-10-31, 2023-11-02")
    #expect(s06[0].sources == ["applications.csv:2", "applications.csv:3"])
    // Only the late row is named.
    #expect(s06[1].actual == "2023-11-01")
    #expect(s06[1].sources == ["applications.csv:5"])
}

@Test func aRefusedLateApplicationIsNoS06() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, applied: "2023-11-05", status: "退回")
    c.apply(1, applied: "2023-10-25")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
}

@Test func theSpringApplicationDeadlineIsAprilThirtiethAndASetting() throws {
    var c = SubmitCase()
    c.settings = SubmitSettings(term: Term(year: 2023, season: .spring), schoolCode: "3701001", schoolCity: 370100)
    for n in 1...2 { c.enrol(n, registered: "2023-03-01") }
    c.apply(1, term: "2023春", applied: "2023-04-30")
    c.apply(2, term: "2023春", applied: "2023-05-01")
    let spring = try c.run()
    try #require(spring.summary == ["S06 S2"])
    #expect(spring.codes("S06").first?.expected == "≤ 2023-04-30")

    c.settings.applicationDeadline = try #require(CalendarDate(year: 2023, month: 5, day: 15))
    #expect(try c.run().findings.isEmpty)
}

// MARK: S10

@Test func twoGrantApplicationsOfOneStudentInTheTermAreOneS10WithBoth() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, applied: "2023-10-08")
    c.apply(2)
    c.apply(1, status: "待审批")
    c.enrol(2)
    let outcome = try c.run()
    try #require(outcome.summary == ["S10 S1"])
    let s10 = try #require(outcome.codes("S10").first)
    #expect(s10.severity == .error)
    #expect(s10.actual == "国家助学金 × 2")
    #expect(s10.sources == ["applications.csv:2", "applications.csv:4"])
    #expect(s10.studentNo == "S1")
    #expect(s10.idNumber == residentID(1))
}

@Test func anEmptyTermCellIsTheRunsTermForS10() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, term: "")
    c.apply(1, term: "2023-fall")
    c.waive(1, term: "2023F")
    c.waive(1, term: "")
    let outcome = try c.run()
    try #require(outcome.summary == ["S10 S1"])
    #expect(outcome.codes("S10").first?.actual == "免学费 × 2, 国家助学金 × 2")
    #expect(outcome.codes("S10").first?.sources == ["applications.csv:2", "applications.csv:3", "applications.csv:4", "applications.csv:5"])
}

@Test func oneApplicationPerAidTypeOrPerTermIsNoS10() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1)
    c.waive(1)
    c.enrol(2)
    c.apply(2)
    c.apply(2, term: "2023年春季学期", applied: "2023-04-10")
    c.waive(2, term: "2024-spring")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
    #expect(outcome.result.otherTermRows == 2)
}

@Test func aRefusedApplicationAndItsResubmissionAreNoS10() throws {
    // 退回, corrected and applied again: one application stands.
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, tier: "二档", amount: "1250.00", applied: "2023-10-08", status: "退回")
    c.apply(1, applied: "2023-10-12")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
    #expect(outcome.result.applicationRows == 2)
}

// MARK: S11

@Test func aTierAndAmountThatDisagreeAreS11() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, tier: "二档", amount: "1250.00")
    let outcome = try c.run()
    try #require(outcome.summary == ["S11 S1"])
    let s11 = try #require(outcome.codes("S11").first)
    #expect(s11.severity == .error)
    #expect(s11.expected == "一档 1250.00 / 二档 1000.00 / 三档 750.00")
    #expect(s11.actual == "二档 1250.00")
    #expect(s11.detail.contains("二档 is 1000.00"))
    #expect(s11.sources == ["applications.csv:2"])
}

@Test func aTierTheSettingsDoNotConfigureIsS11() throws {
    // A province with two tiers: 三档 does not exist this term.
    var c = SubmitCase()
    c.settings.tiers = ["一档": Fen(150_000), "二档": Fen(100_000)]
    c.enrol(1)
    c.apply(1, tier: "三档", amount: "750.00")
    c.enrol(2)
    c.apply(2, tier: "一档", amount: "1500.00")
    c.enrol(3)
    c.apply(3, tier: "一档", amount: "1250.00")
    let outcome = try c.run()
    try #require(outcome.summary == ["S11 S1", "S11 S3"])
    let s11 = outcome.codes("S11")
    #expect(s11[0].actual == "三档 750.00")
    #expect(s11[0].detail.contains("三档 is not a configured tier"))
    #expect(s11[0].expected == "一档 1500.00 / 二档 1000.00")
    #expect(s11[1].actual == "一档 1250.00")
}

@Test func noTierAndAnAmountThatIsNoTierIsS11() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, tier: "", amount: "1100.00")
    c.enrol(2)
    c.apply(2, tier: "", amount: "1000.00")
    let outcome = try c.run()
    try #require(outcome.summary == ["S11 S1"])
    #expect(outcome.codes("S11").first?.actual == "1100.00")
    #expect(outcome.codes("S11").first?.detail.contains("no tier given") == true)
}

@Test func tiersAgreeingWithTheirAmountsAndTuitionWaiversAreNoS11() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, tier: "一档", amount: "1250.00")
    c.enrol(2)
    c.apply(2, tier: "2", amount: "1,000.00")
    c.enrol(3)
    c.apply(3, tier: "第三档", amount: "¥750")
    // 免学费 is paid to the school at its fee: tiers do not apply, whatever the amount or tier cell.
    c.enrol(4)
    c.waive(4, amount: "2350.50")
    c.apply(5, aid: "免学费", tier: "一档", amount: "900.00")
    c.enrol(5)
    // A refused grant with a wrong amount.
    c.enrol(6)
    c.apply(6, tier: "一档", amount: "1000.00", status: "退回")
    c.apply(6, tier: "二档", amount: "1000.00")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
}

@Test func twoBadTierRowsOfOneStudentAreOneS11() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, tier: "二档", amount: "1250.00")
    c.apply(1, tier: "", amount: "999.00")
    let outcome = try c.run()
    try #require(outcome.summary == ["S10 S1", "S11 S1"])
    let s11 = try #require(outcome.codes("S11").first)
    #expect(s11.actual == "二档 1250.00, 999.00")
    #expect(s11.sources == ["applications.csv:2", "applications.csv:3"])
}
