import Foundation
import Testing
import ZizhuCore
import ZizhuIO
@testable import ZizhuJobs
import ZizhuPackage
import ZizhuTestSupport

/// M01, M03 and M05 with their near-misses, the merged files and the summary.
@Suite struct MergeCodeTests {
    @Test func aStudentEnrolledInTwoSchoolsIsOneM01NamingBothRows() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try SchoolData(school: "3701J001", roster: [
            ["A1", "王一", wang, "全日制", "在籍"],
            ["A2", "李二", li, "全日制", "在籍"],
        ]).write(scratch)
        let b = try SchoolData(school: "3702J001", city: "370200", roster: [
            ["B7", "赵三", zhao, "全日制", "在籍"],
            ["B9", "王一", wang, "非全日制", "复学"],
        ]).write(scratch)
        let out = try runMerge([b, a], in: scratch)
        let m01 = out.findings("M01")
        #expect(m01.count == 1)
        let finding = try #require(m01.first)
        #expect(finding.severity == .error)
        #expect(finding.term == "2023-fall")
        #expect(finding.schoolCode == "3701J001")
        #expect(finding.studentNo == "A1")
        #expect(finding.name == "王一")
        #expect(finding.idNumber == wang)
        #expect(finding.sources == ["\(a)!roster.csv.gz:2", "\(b)!roster.csv.gz:3"])
        #expect(finding.actual == "在籍 in 2 schools: 3701J001, 3702J001")
        #expect(finding.detail == "enrolled (在籍/复学): 3701J001 A1 在籍, 3702J001 B9 复学")
        #expect(out.codes == ["M01"])
    }

    @Test func aTransferOutInOneSchoolAndEnrolledInAnotherIsNotM01() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try SchoolData(school: "3701J001", roster: [["A1", "王一", wang, "全日制", "转学"]],
                               applications: [["A1", "王一", wang, "国家助学金", "一档", "1250.00", "退回"]]).write(scratch)
        let b = try SchoolData(school: "3702J001", roster: [["B1", "王一", wang, "全日制", "在籍"]],
                               applications: [["B1", "王一", wang, "国家助学金", "一档", "1250.00", "已审批"]]).write(scratch)
        let out = try runMerge([a, b], in: scratch)
        #expect(out.result.findings.isEmpty, "\(out.result.findings)")
        #expect(out.roster.rows.count == 2)
    }

    @Test func aStudentFundedByTwoSchoolsIsM01EvenWhenEnrolledInOne() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try SchoolData(school: "3701J001", roster: [["A1", "王一", wang, "全日制", "转学"]],
                               applications: [["A1", "王一", wang, "国家助学金", "一档", "1250.00", "已审批"]]).write(scratch)
        let b = try SchoolData(school: "3702J001", roster: [["B1", "王一", wang, "全日制", "在籍"]],
                               applications: [["B1", "王一", wang, "免学费", "", "2000.00", "待审批"]]).write(scratch)
        let out = try runMerge([a, b], in: scratch)
        let finding = try #require(out.findings("M01").first)
        #expect(out.findings("M01").count == 1)
        #expect(finding.actual == "funded by 2 schools: 3701J001, 3702J001")
        // The enrolled row leads: the finding shows the school the student is enrolled in.
        #expect(finding.schoolCode == "3702J001")
        #expect(finding.studentNo == "B1")
        #expect(finding.sources == ["\(a)!applications.csv.gz:2", "\(b)!roster.csv.gz:2", "\(b)!applications.csv.gz:2"])
        #expect(finding.detail == "enrolled (在籍/复学): 3702J001 B1 在籍; funded (国家助学金/免学费, not 退回): 3701J001 A1 国家助学金 已审批, 3702J001 B1 免学费 待审批")
    }

    @Test func applicationsOfAnotherTermOrSentBackDoNotFund() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        var a = SchoolData(school: "3701J001", roster: [["A1", "王一", wang, "全日制", "转学"]],
                           applications: [["A1", "王一", wang, "国家助学金", "一档", "1250.00", "退回"]])
        try a.write(scratch)
        let b = try SchoolData(school: "3702J001", roster: [["B1", "王一", wang, "全日制", "在籍"]],
                               applications: [["B1", "王一", wang, "国家助学金", "一档", "1250.00", "已审批"]]).write(scratch)
        #expect(try runMerge([scratch.file("3701J001_2023-fall.zip"), b], in: scratch).result.findings.isEmpty)
        // The same row for the spring term in a fall package does not fund in the fall.
        a.applications = [["A1", "王一", wang, "国家助学金", "一档", "1250.00", "已审批"]]
        var lines = a.applicationsCSV
        lines = Array(String(decoding: lines, as: UTF8.self).replacingOccurrences(of: "\n2023-fall,", with: "\n2023-spring,").utf8)
        var input = a.input
        input.applicationsCSV = lines
        try PackageBuilder.build(input).write(to: scratch.file("3701J001_2023-fall.zip"))
        #expect(try runMerge([scratch.file("3701J001_2023-fall.zip"), b], in: scratch, tag: "spring").result.findings.isEmpty)
    }

    @Test func twoRowsOfOneIdInOneSchoolAreNotM01() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try SchoolData(school: "3701J001", roster: [
            ["A1", "王一", wang, "全日制", "在籍"], ["A2", "王一", wang, "全日制", "在籍"],
        ], applications: [
            ["A1", "王一", wang, "国家助学金", "一档", "1250.00", "已审批"], ["A1", "王一", wang, "免学费", "", "2000.00", "已审批"],
        ]).write(scratch)
        #expect(try runMerge([a], in: scratch).result.findings.isEmpty, "a duplicate inside one school is S01, the school's own")
    }

    @Test func passportNumbersAreMatchedAsWritten() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try SchoolData(school: "3701J001", roster: [["A1", "SMITH", "E12345678", "全日制", "在籍"]]).write(scratch)
        let b = try SchoolData(school: "3702J001", roster: [["B1", "SMITH", "E12345678", "全日制", "在籍"],
                                                           ["B2", "JONES", "E12345679", "全日制", "在籍"]]).write(scratch)
        let out = try runMerge([a, b], in: scratch)
        #expect(out.findings("M01").map(\.idNumber) == ["E12345678"])
    }

    @Test func anIdenticalResendIsSilentlyOne() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        var data = SchoolData(school: "3701J001", roster: [["A1", "王一", wang, "全日制", "在籍"]],
                              applications: [["A1", "王一", wang, "国家助学金", "一档", "1250.00", "已审批"]])
        let first = try data.write(scratch, name: "first/3701J001_2023-fall.zip")
        data.generatedAt = "2023-10-31T10:00:00+08:00"
        let again = try data.write(scratch, name: "again/3701J001_2023-fall.zip")
        let copy = scratch.file("copy/3701J001_2023-fall.zip")
        try FileManager.default.createDirectory(atPath: scratch.file("copy"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: first, toPath: copy)
        let out = try runMerge([first, again, copy], in: scratch)
        #expect(out.result.findings.isEmpty, "no M05 for a resend: \(out.result.findings)")
        #expect(out.roster.rows.count == 1)
        #expect(out.applications.rows.count == 1)
        #expect(out.package("again/3701J001_2023-fall.zip")?.status == .merged, "the later generated_at is the one kept")
        #expect(out.package("first/3701J001_2023-fall.zip")?.status == .identicalResend)
        #expect(out.package("copy/3701J001_2023-fall.zip")?.mergedInstead == again)
        let school = try #require(out.result.cities.first?.schools.first)
        #expect(school.counts.packagesMerged == 1 && school.counts.identicalResends == 2 && school.counts.packagesSuperseded == 0)
    }

    @Test func twoDifferentPackagesAreM05AndTheLaterIsMerged() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        var data = SchoolData(school: "3701J001", generatedAt: "2023-10-31T08:00:00+08:00",
                              roster: [["A1", "王一", wang, "全日制", "在籍"], ["A2", "李二", li, "全日制", "在籍"]])
        let later = try data.write(scratch, name: "later.zip")
        data.generatedAt = "2023-10-31T01:00:00+00:00"   // 09:00 in Beijing: an hour after `later`
        data.roster.removeLast()
        let latest = try data.write(scratch, name: "latest.zip")
        data.generatedAt = "2023-10-20T09:00:00+08:00"
        data.roster = [["A9", "赵三", zhao, "全日制", "在籍"]]
        let early = try data.write(scratch, name: "early.zip")
        let out = try runMerge([later, early, latest], in: scratch)
        #expect(out.codes == ["M05"])
        let m05 = try #require(out.findings("M05").first)
        #expect(m05.severity == .warning)
        #expect(m05.schoolCode == "3701J001")
        #expect(m05.sources == [latest, later, early])
        #expect(m05.actual == "3 different packages")
        #expect(m05.detail.hasPrefix("merged the latest, \(latest) (generated_at 2023-10-31T01:00:00+00:00"))
        #expect(out.roster.cells("student_no") == ["A1"])
        #expect(out.roster.cells("source_package") == [latest])
        #expect(out.package("early.zip")?.status == .superseded)
        #expect(out.package("later.zip")?.mergedInstead == latest)
    }

    @Test func aSchoolThatSentNothingIsM03ButOneWhosePackageWasQuarantinedIsNot() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try SchoolData(school: "3701J001", roster: [["A1", "王一", wang, "全日制", "在籍"]]).write(scratch)
        let b = try SchoolData(school: "3702J001", city: "370200", roster: [["B1", "李二", li, "全日制", "在籍"]]).write(scratch)
        let bytes = try readBytes(b)
        try scratch.write("3702J001_2023-fall.zip", Array(bytes[0..<(bytes.count / 2)]))
        let spring = try SchoolData(school: "3704J001", term: "2023-spring",
                                    roster: [["D1", "孙四", sun, "全日制", "在籍"]]).write(scratch)
        let expected = [
            ExpectedSchool(code: "3701J001", name: "济南交通技工学校", cityCode: "370100", cityName: "济南市", source: "schools.csv:2"),
            ExpectedSchool(code: "3702J001", name: "青岛轻工高级技工学校", cityCode: "370200", cityName: "青岛市", source: "schools.csv:3"),
            ExpectedSchool(code: "3703J001", name: "淄博电力技工学校", cityCode: "370300", cityName: "淄博市", source: "schools.csv:4"),
            ExpectedSchool(code: "3704J001", name: "烟台技工学校", cityCode: "370600", cityName: "烟台市", source: "schools.csv:5"),
        ]
        let out = try runMerge([a, b, spring], in: scratch, settings: MergeSettings(term: "2023-fall", expected: expected))
        #expect(out.codes == ["M02", "M03", "M03"])
        let m03 = out.findings("M03")
        #expect(m03.map(\.schoolCode) == ["3703J001", "3704J001"])
        #expect(m03.map(\.severity) == [.warning, .warning])
        #expect(m03[0].sources == ["schools.csv:4"])
        #expect(m03[0].actual == "nothing received")
        #expect(m03[0].detail == "3703J001 淄博电力技工学校 (淄博市) is on the expected list and sent no package for 2023-fall")
        #expect(m03[1].actual == "only packages for other terms: \(spring) (2023-spring)")
        #expect(out.findings("M02").first?.schoolCode == "3702J001", "an unreadable package is attributed by its file name")
        #expect(out.package("3704J001_2023-spring.zip")?.status == .otherTerm)
        #expect(out.result.notes.contains("\(spring): a package for 2023-spring, not 2023-fall: not merged"))
        let statuses = out.result.cities.flatMap(\.schools).map { "\($0.code) \($0.status.rawValue)" }
        #expect(statuses == ["3701J001 merged", "3702J001 quarantined", "3703J001 missing", "3704J001 other_term_only"])
        #expect(out.result.cities.map(\.name) == ["济南市", "青岛市", "淄博市", "烟台市"])
    }

    @Test func noExpectedListMeansNoM03() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try SchoolData(school: "3701J001", roster: [["A1", "王一", wang, "全日制", "在籍"]]).write(scratch)
        let out = try runMerge([a], in: scratch)
        #expect(out.result.findings.isEmpty)
        #expect(out.result.cities.first?.schools.first?.expected == nil)
    }

    @Test func mergedFilesHoldEveryRowOnceWithItsSourcePackageInSchoolOrder() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        // The sample roster's cells hold commas, doubled quotes and a line break: copied exactly.
        let first = try writeSamplePackage(scratch, input: sampleInput(schoolCode: "3702J001"), name: "3702J001_2023-fall.zip")
        let second = try SchoolData(school: "3701J001", roster: [["A1", "王一", wang, "全日制", "在籍"]],
                                    applications: [["A1", "王一", wang, "国家助学金", "一档", "1250.00", "已审批"]]).write(scratch)
        let out = try runMerge([first, second], in: scratch)
        let sample = try PackageCSV.parse(sampleRoster, name: "roster.csv")
        #expect(out.roster.header == ["student_no", "name", "id_number", "school_code", "study_mode", "status", "major", "source_package"])
        #expect(out.roster.cells("student_no") == ["A1", "S001", "S002", "S003", "S004"])
        #expect(out.roster.cells("source_package") == [second] + Array(repeating: first, count: 4))
        #expect(out.roster.cells("major") == [""] + sample.cells("major"))
        #expect(out.roster.cells("school_code") == ["3701J001", "", "", "", ""], "a column a package lacks stays empty")
        #expect(out.applications.rows.count == 7)
        #expect(out.result.mergedRosterRows == 5 && out.result.mergedApplicationRows == 7)

        let city = try #require(out.result.cities.first)
        #expect(city.code == "370100")
        #expect(city.totals.students == 5)
        #expect(city.totals.fullTimeEnrolled == 3)
        #expect(city.totals.applicationsByAidType == ["国家助学金": 4, "免学费": 1])
        #expect(city.totals.grantAmount == Fen(425_000))
        #expect(out.result.totals == city.totals)
    }

    @Test func aFolderOfPackagesAndCityArchivesIsWalkedAndHiddenNamesSkipped() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try SchoolData(school: "3701J001", roster: [["A1", "王一", wang, "全日制", "在籍"]]).write(scratch, name: "in/370100/3701J001_2023-fall.zip")
        let b = try SchoolData(school: "3702J001", roster: [["B1", "李二", li, "全日制", "在籍"]]).write(scratch, name: "loose/3702J001_2023-fall.zip")
        try writeCityArchive(scratch, "in/370200.zip", [("3702J001_2023-fall.zip", try readBytes(b)), ("说明.txt", Array("cover letter".utf8))])
        try FileManager.default.createDirectory(atPath: scratch.file("in/.zizhu-staging-1"), withIntermediateDirectories: true)
        try scratch.write("in/.zizhu-staging-1/x.zip", Array("not a zip".utf8))
        try scratch.write("in/notes.txt", Array("not a package".utf8))
        let out = try runMerge([scratch.file("in")], in: scratch)
        #expect(out.result.findings.isEmpty, "\(out.result.findings)")
        #expect(out.result.packages.map(\.name) == [a, scratch.file("in/370200.zip") + "!3702J001_2023-fall.zip"])
        #expect(out.result.notes.contains { $0.contains("entry 说明.txt skipped: not a package") })
        #expect(out.roster.rows.count == 2)
    }

    @Test func anInputThatDoesNotExistStopsTheMerge() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let error = #expect(throws: ZizhuError.self) { _ = try runMerge([scratch.file("nothing.zip")], in: scratch) }
        #expect(error?.code == .ioFailure)
    }

    @Test func theCrossSchoolIndexHoldsSixteenBytesPerRowAndRoundTripsItsReferences() {
        #expect(MemoryLayout<CrossSchoolIndex.RowRef>.size == 8)
        for (package, kind, line) in [(0, CrossSchoolIndex.Kind.enrolled, 1), (CrossSchoolIndex.maximumPackages - 1, .funded, CrossSchoolIndex.maximumLine),
                                      (400, .funded, 2), (12, .enrolled, 1_000_000)] {
            let ref = CrossSchoolIndex.RowRef(package: package, kind: kind, line: line)
            #expect(ref.package == package && ref.kind == kind && ref.line == line)
        }
        var index = CrossSchoolIndex()
        for (i, id) in [wang, li, wang, "E1234567", "E1234567", ""].enumerated() {
            Array(id.utf8).withUnsafeBufferPointer { index.add(id: $0, row: .init(package: i % 3, kind: .enrolled, line: i + 2)) }
        }
        #expect(index.count == 5, "an empty id is not held")
        let found = index.duplicates(merged: [0, 1, 2]) { ["A", "B", "C"][$0] }
        #expect(found.map { index.idText($0.id) }.sorted() == ["E1234567", wang].sorted())
        #expect(index.count == 0, "the entries are consumed")
    }

    @Test func submissionChoiceIsIndependentOfCandidateOrder() {
        func candidate(_ i: Int, _ time: String, _ content: String) -> SubmissionChoice.Candidate {
            .init(package: i, name: "p\(i).zip", generatedAt: time, content: content, fingerprint: content, sha256: "s\(i)")
        }
        let candidates = [
            candidate(0, "2023-10-30T09:00:00+08:00", "x"), candidate(1, "2023-10-30T09:00:00+08:00", "y"),
            candidate(2, "garbage", "z"), candidate(3, "2023-10-30T01:00:00Z", "x"),
        ]
        let decision = SubmissionChoice.decide(candidates)
        #expect(decision == SubmissionChoice.decide(candidates.reversed()))
        // Equal instants (3 is the same moment as 0 and 1): the greater fingerprint wins; an unreadable time is oldest.
        #expect(decision?.merged == 1)
        #expect(decision?.superseded == [3, 0, 2])
    }
}
