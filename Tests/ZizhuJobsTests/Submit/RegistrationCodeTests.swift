import Testing
import ZizhuCore
import ZizhuJobs

// S01 (duplicate registration) and S09 (identity) come from validation, adopted by submit;
// S05 (late registration) and S08 (cross-city campus) from the submitter.

// MARK: S01

@Test func oneIDOnTwoRosterRowsIsOneS01WithBothRows() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.enrol(2)
    c.enrol(1, name: "王晓明")
    let outcome = try c.run()
    #expect(outcome.codeList == ["S01"])
    let s01 = try #require(outcome.codes("S01").first)
    #expect(s01.idNumber == residentID(1))
    #expect(s01.sources == ["roster.csv:2", "roster.csv:4"])
    #expect(s01.severity == .error)
    #expect(s01.term == "2023-fall")
    #expect(s01.schoolCode == "3701001")
    #expect(s01.expected == "1")
    #expect(s01.actual == "2")
}

@Test func anIDWrittenWithExcelsApostropheOrInFifteenDigitsIsTheSameRegistration() throws {
    let id = submitResidentID(born: "19850101", sequence: 21)
    let short = fifteenDigitForm(id)
    #expect(short.count == 15)
    var c = SubmitCase()
    c.enrol(1, id: id)
    c.enrol(2, id: "'" + id)
    c.enrol(3, id: short)
    c.enrol(4)
    let outcome = try c.run()
    #expect(outcome.codeList == ["S01"])
    let s01 = try #require(outcome.codes("S01").first)
    #expect(s01.idNumber == id)
    #expect(s01.actual == "3")
    #expect(s01.sources == ["roster.csv:2", "roster.csv:3", "roster.csv:4"])
    // The package keeps every row, each with the id normalized to its 18-character form.
    #expect(outcome.result.rosterRows == 4)
    #expect(outcome.rosterLines.filter { $0.contains(id) }.count == 3)
    #expect(!outcome.rosterLines.contains { $0.contains("'") || $0.contains(short + ",") })
}

@Test func aPassportNumberIsComparedAsWrittenUpperCased() throws {
    // Ids of another id_type are kept as given, upper-cased, without the GB 11643 check.
    var c = SubmitCase()
    c.enrol(1, id: "e12345678", idType: "护照")
    c.enrol(2, id: "E12345678", idType: "护照")
    c.enrol(3, id: "E12345679", idType: "护照")
    let outcome = try c.run()
    try #require(outcome.codeList == ["S01"])
    #expect(outcome.codes("S01").first?.idNumber == "E12345678")
    #expect(outcome.codes("S01").first?.sources == ["roster.csv:2", "roster.csv:3"])
}

@Test func twoDifferentIDsAreNoDuplicate() throws {
    var c = SubmitCase()
    c.enrol(1, name: "王小明")
    c.enrol(2, name: "王小明")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
}

@Test func aDuplicateRegistrationStillCountsOnceForTheOtherChecks() throws {
    // Both rows are one student: one S02 naming both rows, not two.
    var c = SubmitCase()
    c.enrol(1, hardship: "孤儿")
    c.enrol(1, hardship: "孤儿")
    let outcome = try c.run()
    try #require(outcome.summary == ["S01 S1", "S02 S1"])
    #expect(outcome.codes("S02").first?.sources == ["roster.csv:2", "roster.csv:3"])
}

// MARK: S09

@Test func aStatedGenderThatDisagreesWithTheIDIsS09() throws {
    // residentID(1): 17th digit 1 (男), born 2007-01-01.
    var c = SubmitCase()
    c.enrol(1, gender: "女")
    let outcome = try c.run()
    #expect(outcome.codeList == ["S09"])
    let s09 = try #require(outcome.codes("S09").first)
    #expect(s09.severity == .warning)
    #expect(s09.studentNo == "S1")
    #expect(s09.idNumber == residentID(1))
    #expect(s09.expected == "男")
    #expect(s09.actual == "女")
    #expect(s09.sources == ["roster.csv:2"])
    #expect(s09.term == "2023-fall")
    #expect(s09.schoolCode == "3701001")
}

@Test func aStatedBirthDateThatDisagreesWithTheIDIsS09() throws {
    var c = SubmitCase()
    c.enrol(1, gender: "男", birth: "2007-02-01")
    c.enrol(2, gender: "男", birth: "2007/1/2")
    let outcome = try c.run()
    // S2 (residentID(2): 17th digit 2, 女) is wrong on both counts: still one finding.
    try #require(outcome.summary == ["S09 S1", "S09 S2"])
    #expect(outcome.codes("S09").map(\.expected) == ["2007-01-01", "女; 2007-01-01"])
    #expect(outcome.codes("S09").map(\.actual) == ["2007-02-01", "男; 2007-01-02"])
}

@Test func genderAndBirthDateAgreeingWithTheIDAreNoS09InAnySpelling() throws {
    // 39083 is 2007-01-01 as an Excel serial day number (days since 1899-12-30).
    var c = SubmitCase()
    c.enrol(1, gender: "男", birth: "39083")
    c.enrol(3, gender: "男性", birth: "2007年1月1日")
    c.enrol(2, gender: "女", birth: "20070101")
    c.enrol(4, gender: "", birth: "")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
    // The package writes the serial as an ISO date.
    #expect(outcome.rosterLines.filter { $0.contains(",2007-01-01,") }.count == 3)
}

// MARK: S05

@Test func aRegistrationAfterTheFallDeadlineIsS05AndOnTheDeadlineIsNot() throws {
    var c = SubmitCase()
    c.enrol(1, registered: "2023-10-20")
    c.enrol(2, registered: "2023-10-21")
    c.enrol(3, registered: "")
    let outcome = try c.run()
    try #require(outcome.summary == ["S05 S2"])
    let s05 = try #require(outcome.codes("S05").first)
    #expect(s05.severity == .warning)
    #expect(s05.expected == "≤ 2023-10-20")
    #expect(s05.actual == "2023-10-21")
    #expect(s05.sources == ["roster.csv:3"])
    #expect(s05.term == "2023-fall")
    #expect(s05.schoolCode == "3701001")
}

@Test func theSpringRegistrationDeadlineIsAprilTwentieth() throws {
    var c = SubmitCase()
    c.settings = SubmitSettings(term: Term(year: 2023, season: .spring), schoolCode: "3701001", schoolCity: 370100)
    c.enrol(1, registered: "2023-04-20")
    c.enrol(2, registered: "2023-04-21")
    c.enrol(3, registered: "2023-03-01")
    let outcome = try c.run()
    try #require(outcome.summary == ["S05 S2"])
    #expect(outcome.codes("S05").first?.expected == "≤ 2023-04-20")
    #expect(outcome.codes("S05").first?.term == "2023-spring")
}

@Test func theRegistrationDeadlineComesFromTheSettings() throws {
    var c = SubmitCase()
    c.settings.registrationDeadline = try #require(CalendarDate(year: 2023, month: 10, day: 31))
    c.enrol(1, registered: "2023-10-21")
    c.enrol(2, registered: "2023-10-31")
    c.enrol(3, registered: "2023-11-01")
    let outcome = try c.run()
    try #require(outcome.summary == ["S05 S3"])
    #expect(outcome.codes("S05").first?.expected == "≤ 2023-10-31")
}

// MARK: S08

@Test func aCampusInAnotherPrefectureCityIsS08() throws {
    var c = SubmitCase()
    c.enrol(1, campus: "370200")
    c.enrol(2, campus: "淄博市")
    c.enrol(3, campus: "山东省青岛市市南区")
    let outcome = try c.run()
    try #require(outcome.summary == ["S08 S1", "S08 S2", "S08 S3"])
    let s08 = outcome.codes("S08")
    #expect(s08.map(\.expected) == ["370100", "370100", "370100"])
    #expect(s08.map(\.actual) == ["370200", "370300", "370202"])
    #expect(s08.allSatisfy { $0.severity == .error })
    #expect(s08.map(\.sources) == [["roster.csv:2"], ["roster.csv:3"], ["roster.csv:4"]])
    #expect(s08[1].detail.contains("淄博市"))
    #expect(s08[1].detail.contains("济南市"))
}

@Test func aCampusInADistrictOfTheSchoolsOwnCityIsNoS08() throws {
    var c = SubmitCase()
    c.enrol(1, campus: "370102")
    c.enrol(2, campus: "济南市历下区")
    c.enrol(3, campus: "济南市")
    c.enrol(4, campus: "370112")
    c.enrol(5, campus: "")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
    #expect(outcome.result.notes.isEmpty)
}

@Test func aSchoolCityGivenAsADistrictComparesItsCity() throws {
    var c = SubmitCase()
    c.settings.schoolCity = 370102
    c.enrol(1, campus: "370105")
    c.enrol(2, campus: "370202")
    let outcome = try c.run()
    try #require(outcome.summary == ["S08 S2"])
    #expect(outcome.codes("S08").first?.expected == "370100")
}

@Test func withoutTheSchoolsCityS08IsSilentAndANoteSaysSo() throws {
    var c = SubmitCase()
    c.settings.schoolCity = nil
    c.enrol(1, campus: "370200")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
    #expect(outcome.result.notes.count == 1)
    #expect(outcome.result.notes.first?.hasPrefix("S08 not checked") == true)
}

@Test func aMunicipalityIsOneCityForS08() throws {
    // 北京市 (110000) runs its schools across all its districts (朝阳区 110105, 海淀区 110108):
    // a campus there is not 跨市. 天津市和平区 (120101) is another city.
    var c = SubmitCase()
    c.settings.schoolCity = 110000
    c.enrol(1, campus: "110105")
    c.enrol(2, campus: "北京市海淀区")
    c.enrol(3, campus: "120101")
    let outcome = try c.run()
    try #require(outcome.summary == ["S08 S3"])
    #expect(outcome.codes("S08").first?.expected == "110000")

    // 重庆市 (500000): its counties (城口县 500229) are in the same city too.
    var chongqing = SubmitCase()
    chongqing.settings.schoolCity = 500000
    chongqing.enrol(1, campus: "500229")
    chongqing.enrol(2, campus: "500103")
    #expect(try chongqing.run().findings.isEmpty)
}

@Test func countiesDirectlyUnderTheProvinceAreEachTheirOwnCityForS08() throws {
    // 仙桃市 (429004) and 潜江市 (429005) share "4290" but are different cities (省直辖县级市).
    var c = SubmitCase()
    c.settings.schoolCity = 429004
    c.enrol(1, campus: "429004")
    c.enrol(2, campus: "429005")
    let outcome = try c.run()
    try #require(outcome.summary == ["S08 S2"])
    #expect(outcome.codes("S08").first?.expected == "429004")
    #expect(outcome.codes("S08").first?.actual == "429005")
}
