import Testing
import ZizhuCore
import ZizhuJobs

// What every finding carries, and the package's data: this term's rows only, normalized, filled
// in, sorted, and the same bytes whatever the input order or batch split.

/// One student per code, S01–S11, plus an application of another term.
func everyCodeCase() -> SubmitCase {
    var c = SubmitCase()
    c.enrol(1)
    c.apply(1)
    c.enrol(2, hardship: "低保")                                               // S02: no grant
    c.apply(3)                                                                 // S03: not in the roster
    c.enrol(4, mode: "非全日制")
    c.apply(4)                                                                 // S04
    c.enrol(5, registered: "2023-10-25")                                       // S05
    c.apply(5)
    c.enrol(6)
    c.apply(6, applied: "2023-11-01")                                          // S06
    c.enrol(7, status: "复学", changed: "2023-09-27", recorded: "2023-10-18")  // S07: 11 working days
    c.apply(7)
    c.enrol(8, campus: "370200")                                               // S08
    c.apply(8)
    c.enrol(9, gender: "女")                                                   // S09: the id says 男
    c.apply(9)
    c.enrol(10)
    c.apply(10)
    c.apply(10, status: "待审批")                                              // S10
    c.enrol(11)
    c.apply(11, tier: "二档", amount: "1250.00")                               // S11
    c.enrol(1, name: "王晓明")                                                 // S01
    c.enrol(12)
    c.apply(12)
    c.apply(12, term: "2023年春季学期", applied: "2023-04-10")                 // another term
    return c
}

/// A minimal RFC 4180 reader for the package CSV (LF records, `""` inside quotes).
func readPackageCSV(_ bytes: [UInt8]) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var cell: [UInt8] = []
    var quoted = false
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        if quoted {
            if b == 0x22 {
                if i + 1 < bytes.count, bytes[i + 1] == 0x22 { cell.append(0x22); i += 1 } else { quoted = false }
            } else {
                cell.append(b)
            }
        } else if b == 0x22 {
            quoted = true
        } else if b == 0x2C {
            row.append(String(decoding: cell, as: UTF8.self)); cell = []
        } else if b == 0x0A {
            row.append(String(decoding: cell, as: UTF8.self)); cell = []
            rows.append(row); row = []
        } else {
            cell.append(b)
        }
        i += 1
    }
    return rows
}

@Test func oneStudentPerCodeGivesExactlyS01ToS11() throws {
    let outcome = try everyCodeCase().run()
    try #require(outcome.summary == ["S01 S1", "S02 S2", "S03 S3", "S04 S4", "S05 S5", "S06 S6", "S07 S7", "S08 S8", "S09 S9",
                                "S10 S10", "S11 S11"])
    for finding in outcome.findings {
        #expect(finding.severity == FindingCatalog.entry(finding.code)?.severity, "\(finding.code)")
        #expect(finding.term == "2023-fall", "\(finding.code)")
        #expect(finding.schoolCode == "3701001", "\(finding.code)")
        #expect(!finding.idNumber.isEmpty, "\(finding.code)")
        #expect(!finding.sources.isEmpty, "\(finding.code)")
    }
    #expect(outcome.findings.filter { $0.severity == .warning }.map(\.code) == ["S02", "S05", "S07", "S09"])
    #expect(outcome.codes("S01").first?.sources == ["roster.csv:2", "roster.csv:12"])
    #expect(outcome.result.otherTermRows == 1)
    #expect(outcome.result.rosterRows == 12)
    #expect(outcome.result.applicationRows == 12)
}

@Test func findingsNameEveryRowInvolved() throws {
    let outcome = try everyCodeCase().run()
    func sources(_ code: String) -> [String] { outcome.codes(code).first?.sources ?? [] }
    #expect(sources("S02") == ["roster.csv:3"])
    #expect(sources("S03") == ["applications.csv:3"])
    #expect(sources("S04") == ["roster.csv:4", "applications.csv:4"])
    #expect(sources("S05") == ["roster.csv:5"])
    #expect(sources("S06") == ["applications.csv:6"])
    #expect(sources("S07") == ["roster.csv:7"])
    #expect(sources("S08") == ["roster.csv:8"])
    #expect(sources("S09") == ["roster.csv:9"])
    #expect(sources("S10") == ["applications.csv:10", "applications.csv:11"])
    #expect(sources("S11") == ["applications.csv:12"])
}

@Test func rowsOfAnotherTermAreCountedNotedAndLeftOutOfThePackage() throws {
    let outcome = try everyCodeCase().run()
    #expect(outcome.result.otherTermRows == 1)
    #expect(outcome.result.notes.contains { $0.hasPrefix("1 application row(s) of another term than 2023-fall") })
    let rows = readPackageCSV(outcome.result.applicationsCSV)
    try #require(rows.count == 13 && rows.allSatisfy { $0.count == 12 })
    #expect(rows.dropFirst().allSatisfy { $0[0] == "2023-fall" })
    #expect(!rows.contains { $0.contains("2023-04-10") })
}

@Test func thePackageIsTheSameWhateverTheBatchSplitOrFeedOrder() throws {
    let reference = try everyCodeCase().run()
    for (size, reverse) in [(1, true), (1, false), (3, true), (5, false)] {
        var c = everyCodeCase()
        c.batchSize = size
        c.reverseBatches = reverse
        let outcome = try c.run()
        #expect(outcome.result.rosterCSV == reference.result.rosterCSV, "batches of \(size), reversed \(reverse)")
        #expect(outcome.result.applicationsCSV == reference.result.applicationsCSV, "batches of \(size), reversed \(reverse)")
        #expect(outcome.findings == reference.findings, "batches of \(size), reversed \(reverse)")
        #expect(outcome.result.notes == reference.result.notes)
    }
}

@Test func thePackageIsTheSameWhateverTheRowOrder() throws {
    let reference = try everyCodeCase().run()
    var c = everyCodeCase()
    c.roster.reverse()
    c.applications.reverse()
    let outcome = try c.run()
    #expect(outcome.result.rosterCSV == reference.result.rosterCSV)
    #expect(outcome.result.applicationsCSV == reference.result.applicationsCSV)
    // The same findings, at other lines.
    try #require(outcome.summary == reference.summary)
}

@Test func packageRowsAreSortedByIDThenStudentNumberOrAidType() throws {
    let outcome = try everyCodeCase().run()
    let roster = readPackageCSV(outcome.result.rosterCSV)
    let applications = readPackageCSV(outcome.result.applicationsCSV)
    // Every row has every column.
    try #require(roster.count == 13 && roster.allSatisfy { $0.count == 21 })
    try #require(applications.count == 13 && applications.allSatisfy { $0.count == 12 })
    #expect(roster.first == ["student_no", "name", "id_type", "id_number", "gender", "birth_date", "hukou_type", "origin",
                             "school_code", "school_name", "campus_city", "major", "enroll_date", "registered_date",
                             "study_mode", "grade", "status", "status_change_date", "status_recorded_date",
                             "hardship_type", "joint_partner"])
    let rosterKeys = roster.dropFirst().map { [$0[3], $0[0]] }
    #expect(rosterKeys == rosterKeys.sorted { $0.lexicographicallyPrecedes($1) })
    #expect(applications.first == ["term", "student_no", "name", "id_type", "id_number", "school_code", "aid_type", "tier",
                                   "amount", "applied_date", "approval_status", "card_number"])
    let applicationKeys = applications.dropFirst().map { [$0[4], $0[6], $0[9]] }
    #expect(applicationKeys == applicationKeys.sorted { $0.lexicographicallyPrecedes($1) })
}

@Test func thePackageFillsInTheSchoolCodeAndTermAndWritesCanonicalValues() throws {
    var c = SubmitCase()
    c.enrol(1, idType: "身份证", school: "", registered: "2023/9/5", mode: "全日制", grade: "2023", status: "在校")
    c.apply(1, term: "", tier: "1", amount: "¥1,250", applied: "20231010", status: "审核通过", school: "")
    c.waive(1, term: "2023秋")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
    let roster = readPackageCSV(outcome.result.rosterCSV)
    try #require(roster.count == 2 && roster[1].count == 21)
    let r = roster[1]
    #expect(r[0] == "S1")
    #expect(r[2] == "居民身份证")
    #expect(r[3] == residentID(1))
    #expect(r[8] == "3701001")
    #expect(r[13] == "2023-09-05")
    #expect(r[15] == "1")
    #expect(r[16] == "在籍")
    let applications = readPackageCSV(outcome.result.applicationsCSV)
    try #require(applications.count == 3)
    // Sorted by id, then aid type: 免学费 before 国家助学金 (UTF-8 order).
    #expect(applications[1] == ["2023-fall", "S1", SubmitCase.name(1), "居民身份证", residentID(1), "3701001", "免学费", "",
                                "2000.00", "2023-10-10", "已审批", ""])
    #expect(applications[2] == ["2023-fall", "S1", SubmitCase.name(1), "居民身份证", residentID(1), "3701001", "国家助学金", "一档",
                                "1250.00", "2023-10-10", "已审批", ""])
}

@Test func packageCellsWithCommasOrQuotesAreQuotedAndReadBack() throws {
    var c = SubmitCase()
    c.enrol(1, schoolName: "济南市\"技工\"学校,东校区")
    c.enrol(2, schoolName: "济南市技工学校\n东校区")
    let outcome = try c.run()
    #expect(outcome.findings.isEmpty, "\(outcome.summary)")
    let text = String(decoding: outcome.result.rosterCSV, as: UTF8.self)
    #expect(text.contains(",\"济南市\"\"技工\"\"学校,东校区\","))
    let rows = readPackageCSV(outcome.result.rosterCSV)
    try #require(rows.count == 3 && rows.allSatisfy { $0.count == 21 })
    #expect(rows[1][9] == "济南市\"技工\"学校,东校区")
    // A line break inside a text cell is white space to normalization: it never splits a row.
    #expect(rows[2][9] == "济南市技工学校 东校区")
    #expect(outcome.result.rosterCSV.last == 0x0A)
    #expect(!outcome.result.rosterCSV.contains(0x0D))
    #expect(Array(outcome.result.rosterCSV.prefix(3)) != [0xEF, 0xBB, 0xBF])
}

@Test func rowsNamingAnotherSchoolAreS12AndKeepTheirCode() throws {
    var c = SubmitCase()
    c.enrol(1, school: "3701002", registered: "2023-10-25")
    c.apply(1, school: "3701002")
    let outcome = try c.run()
    #expect(outcome.summary == ["S05 S1", "S12 S1"])
    #expect(outcome.result.notes.isEmpty)
    // The other findings name the school the row gives; the package keeps the row's code.
    #expect(outcome.codes("S05").first?.schoolCode == "3701002")
    #expect(outcome.rosterLines.dropFirst().allSatisfy { $0.contains(",3701002,") })
}

@Test func theSchoolNameIsTheSettingsElseTheRostersMostCommonElseTheCode() throws {
    var c = SubmitCase()
    c.enrol(1, schoolName: "济南技师学院")
    c.enrol(2, schoolName: "济南市技师学院")
    c.enrol(3, schoolName: "济南市技师学院")
    #expect(try c.run().result.schoolName == "济南市技师学院")
    c.settings.schoolName = "济南市技师学院(章丘校区)"
    #expect(try c.run().result.schoolName == "济南市技师学院(章丘校区)")
    var bare = SubmitCase()
    bare.enrol(1)
    #expect(try bare.run().result.schoolName == "3701001")
}

@Test func anEmptySubmissionIsEmptyNotAnError() throws {
    let outcome = try SubmitCase().run()
    #expect(outcome.findings.isEmpty)
    #expect(outcome.result.rosterRows == 0)
    #expect(outcome.result.applicationRows == 0)
    #expect(readPackageCSV(outcome.result.rosterCSV).count == 1)
    #expect(readPackageCSV(outcome.result.applicationsCSV).count == 1)
}
