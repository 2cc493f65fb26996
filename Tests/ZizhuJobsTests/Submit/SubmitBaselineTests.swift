import Testing
import ZizhuCore
import ZizhuJobs

// A clean submission has no finding: every other test changes one thing from this.

@Test func aCleanSubmissionHasNoFinding() throws {
    var c = SubmitCase()
    c.enrol(1, gender: "男", birth: "2007-01-01", campus: "370102", hardship: "低保")
    c.enrol(2, gender: "女", grade: "2", hardship: "一般困难")
    c.apply(1)
    c.waive(1)
    c.apply(2, tier: "二档", amount: "1000.00")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
    #expect(outcome.result.rosterRows == 2)
    #expect(outcome.result.applicationRows == 3)
    #expect(outcome.result.otherTermRows == 0)
    // The school's city is known, so S08 was checked: no note says otherwise.
    #expect(outcome.result.notes.isEmpty)
}
