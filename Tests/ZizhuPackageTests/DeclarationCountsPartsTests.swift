import Testing
import ZizhuCore
@testable import ZizhuPackage

/// The verifier reads each data file once for its rows and its part of the declaration counts
/// (`rosterPart`, `applicationsPart`, `combine`); `PackageCSV.countRows` and
/// `DeclarationCounts.compute`, which read it twice, are the oracle.
@Suite struct DeclarationCountsPartsTests {
    static let roster = "student_no,study_mode,status\nS1,全日制,在籍\nS2,非全日制,在籍\nS3,全日制,复学\nS4,全日制,休学\n"
    static let applications = "aid_type,tier,amount,approval_status\n国家助学金,一档,1250.00,已审批\n免学费,,x,已审批\n国家助学金,,10.50,退回\n国家助学金,,2.00,已审批\n"

    /// Cases: sound files; a missing column; an amount that is not money, then a CSV error; a CSV
    /// error alone; an empty file.
    static let cases: [(roster: String, applications: String)] = [
        (roster, applications),
        ("student_no,status\nS1,在籍\n", applications),
        (roster, "aid_type,amount,approval_status\n国家助学金,1.00,已审批\n"),
        (roster, "aid_type,tier,amount,approval_status\n国家助学金,一档,abc,已审批\n国家助学金,一档,1.00,已审批\n"),
        (roster, "aid_type,tier,amount,approval_status\n国家助学金,一档,abc,已审批\n国家助学金,一档\n"),
        ("student_no,status\nS1,在籍\nS2\n", applications),
        (roster + "S5,全日制\n", applications),
        ("", applications),
    ]

    static func outcome<T>(_ body: () throws -> T) -> Result<T, ZizhuError> {
        do { return .success(try body()) } catch let error as ZizhuError { return .failure(error) } catch {
            return .failure(ZizhuError(.usage, "not a ZizhuError: \(error)"))
        }
    }

    static func same<T: Equatable>(_ a: Result<T, ZizhuError>, _ b: Result<T, ZizhuError>) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)): return x == y
        case (.failure(let x), .failure(let y)): return x.code == y.code && x.message == y.message && x.position == y.position
        default: return false
        }
    }

    @Test func onePassGivesTheRowsAndCountsOfTwo() {
        for (n, files) in Self.cases.enumerated() {
            let roster = Array(files.roster.utf8), applications = Array(files.applications.utf8)
            let rosterPart = Self.outcome { try DeclarationCounts.rosterPart(roster, name: "roster.csv.gz") }
            let applicationsPart = Self.outcome { try DeclarationCounts.applicationsPart(applications, name: "applications.csv.gz") }
            // Rows, or the CSV error: as `countRows` says.
            #expect(Self.same(rosterPart.map(\.rows), Self.outcome { try PackageCSV.countRows(roster, name: "roster.csv.gz") }), "case \(n)")
            #expect(Self.same(applicationsPart.map(\.rows),
                              Self.outcome { try PackageCSV.countRows(applications, name: "applications.csv.gz") }), "case \(n)")
            // Counts, or the counting error, of files whose CSV reads: as `compute` says.
            guard case .success(let r) = rosterPart, case .success(let a) = applicationsPart else { continue }
            #expect(Self.same(Self.outcome { try DeclarationCounts.combine(roster: r, applications: a) },
                              Self.outcome { try DeclarationCounts.compute(roster: roster, applications: applications) }), "case \(n)")
        }
    }

    @Test func theFixtureCoversEachWayAFileCanFail() {
        var csvErrors = 0, countFailures = 0, sound = 0
        for files in Self.cases {
            let parts = (Self.outcome { try DeclarationCounts.rosterPart(Array(files.roster.utf8), name: "r") },
                         Self.outcome { try DeclarationCounts.applicationsPart(Array(files.applications.utf8), name: "a") })
            guard case .success(let r) = parts.0, case .success(let a) = parts.1 else { csvErrors += 1; continue }
            if r.failure != nil || a.failure != nil { countFailures += 1 } else { sound += 1 }
        }
        #expect(csvErrors >= 3)
        #expect(countFailures >= 3)
        #expect(sound >= 1)
    }
}
