import Testing
import ZizhuCore
import ZizhuJobs

@Test func aPackageIsWrittenOnlyWithoutErrorFindingsAndRejectedRows() {
    let warning = Discrepancy(code: "S01", severity: .warning)
    let error = Discrepancy(code: "S03", severity: .error)
    #expect(PackageDecision(findings: [warning], rejectedRows: 0).mayWrite)
    #expect(PackageDecision(findings: [warning], rejectedRows: 0).reasons.isEmpty)
    let refused = PackageDecision(findings: [warning, error, error], rejectedRows: 3)
    #expect(!refused.mayWrite)
    #expect(refused.reasons == ["2 error finding(s)", "3 rejected row(s)"])
    #expect(!PackageDecision(findings: [], rejectedRows: 1).mayWrite)
}

@Test func validationFindingsAdoptedBySubmitGetTheSubmissionsTermAndSchool() throws {
    let submitter = Submitter(settings: SubmitSettings(term: Term(year: 2023, season: .fall), schoolCode: "3701J001"))
    let adopted = submitter.adopt(validationFindings: [
        Discrepancy(code: "S09", idNumber: "11010519491231002X"),
        Discrepancy(code: "S09", term: "2023-spring", schoolCode: "3702J001"),
    ], sourceNames: [])
    #expect(adopted.map(\.term) == ["2023-fall", "2023-spring"])
    #expect(adopted.map(\.schoolCode) == ["3701J001", "3702J001"])
}
