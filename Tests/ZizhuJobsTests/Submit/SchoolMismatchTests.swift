import Testing
import ZizhuCore
import ZizhuJobs

// S12 SCHOOL_MISMATCH (contract §6 submit): a roster or application row naming another
// school_code than the submitting school's is an error, one finding per student.

@Test func aRosterRowOfAnotherSchoolIsS12() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.enrol(2, school: "3701002")
    let outcome = try c.run()
    #expect(outcome.summary == ["S12 S2"])
    let s12 = try #require(outcome.codes("S12").first)
    #expect(s12.severity == .error)
    #expect(s12.schoolCode == "3701001", "listed under the submitting school")
    #expect(s12.expected == "3701001")
    #expect(s12.actual == "3701002")
    #expect(s12.sources == ["roster.csv:3"])
    #expect(s12.idNumber == residentID(2))
    #expect(outcome.result.notes.isEmpty, "a finding now, not a note: \(outcome.result.notes)")
}

@Test func anApplicationRowOfAnotherSchoolIsS12() throws {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1, school: "4401009")
    let outcome = try c.run()
    #expect(outcome.summary == ["S12 S1"])
    let s12 = try #require(outcome.codes("S12").first)
    #expect(s12.actual == "4401009")
    #expect(s12.sources == ["applications.csv:2"])
}

@Test func aStudentWithSeveralRowsOfAnotherSchoolIsOneS12NamingEveryRow() throws {
    var c = SubmitCase()
    c.enrol(1, school: "3701002")
    c.apply(1, school: "3701002")
    c.apply(1, aid: "免学费", tier: "", amount: "2000.00", school: "3701003")
    c.enrol(2, school: "3701002")
    let outcome = try c.run()
    #expect(outcome.summary == ["S12 S1", "S12 S2"])
    let first = try #require(outcome.codes("S12").first)
    #expect(first.sources == ["roster.csv:2", "applications.csv:2", "applications.csv:3"])
    #expect(first.actual == "3701002, 3701003")
}

@Test func theSameCodeAnEmptyCodeOrTheCodeInAnotherWidthOrCaseIsNoS12() throws {
    var c = SubmitCase()
    c.settings.schoolCode = "3701J001"
    c.enrol(1, school: "3701J001")
    c.enrol(2, school: "")
    c.enrol(3, school: "３７０１Ｊ００１")
    c.enrol(4, school: "3701j001")
    c.enrol(5, school: " 3701J001 ")
    c.apply(1, school: "3701J001")
    c.apply(2, school: "")
    c.apply(3, school: "３７０１Ｊ００１")
    c.apply(4, school: "3701j001")
    let outcome = try c.run()
    #expect(outcome.codes("S12").isEmpty, "\(outcome.summary)")
    // An application of another term is left out of the package and checked by nothing.
    var other = SubmitCase()
    other.enrol(1)
    other.apply(1, term: "2024年春季学期", school: "3701002")
    #expect(try other.run().codes("S12").isEmpty)
}
