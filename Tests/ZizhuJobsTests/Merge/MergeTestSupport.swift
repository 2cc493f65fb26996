import Foundation
import ZizhuCore
import ZizhuIO
@testable import ZizhuJobs
import ZizhuPackage
import ZizhuTestSupport

/// A valid resident id: the 17 digits given and their check character.
func residentID(_ first17: String) -> String {
    let check = ResidentID.checkCharacter(Array(first17.utf8)).map { String(UnicodeScalar($0)) } ?? "?"
    return first17 + check
}

/// Students of the merge tests; ids are valid resident ids.
let wang = residentID("37010220050101123")
let li = residentID("37020220060202234")
let zhao = residentID("37030220070303345")
let sun = residentID("44010220050404456")

/// One school's package data in package form.
struct SchoolData {
    var school: String
    var city = "370100"
    var term = "2023-fall"
    var generatedAt = "2023-10-30T09:00:00+08:00"
    /// `student_no,name,id_number,study_mode,status` cells.
    var roster: [[String]] = []
    /// `student_no,name,id_number,aid_type,tier,amount,approval_status` cells.
    var applications: [[String]] = []

    static let rosterHeader = "student_no,name,id_number,school_code,study_mode,status"
    static let applicationsHeader = "term,student_no,name,id_number,school_code,aid_type,tier,amount,approval_status"

    var rosterCSV: [UInt8] {
        let lines = [Self.rosterHeader] + roster.map { cells in
            [cells[0], cells[1], cells[2], school, cells[3], cells[4]].joined(separator: ",")
        }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    var applicationsCSV: [UInt8] {
        let lines = [Self.applicationsHeader] + applications.map { cells in
            ([term, cells[0], cells[1], cells[2], school] + cells[3...]).joined(separator: ",")
        }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    var input: PackageInput {
        PackageInput(schoolCode: school, schoolName: "学校\(school)", schoolCity: city, term: term,
                     termName: "2023年秋季学期", generatedAt: generatedAt, tool: "zizhu test",
                     rosterCSV: rosterCSV, applicationsCSV: applicationsCSV)
    }

    /// Builds the package into `scratch` as `name` (default `{school}_{term}.zip`) and returns its path.
    @discardableResult
    func write(_ scratch: ScratchFolder, name: String? = nil, key: SigningKey? = nil) throws -> String {
        let path = scratch.file(name ?? "\(school)_\(term).zip")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try PackageBuilder.build(input, signingKey: key).write(to: path)
        return path
    }
}

/// A city archive `name` in `scratch` holding the given entries (name → bytes).
@discardableResult
func writeCityArchive(_ scratch: ScratchFolder, _ name: String, _ entries: [(String, [UInt8])]) throws -> String {
    let path = scratch.file(name)
    try ZipWriter.write(entries: entries.map { ZipEntryData(name: $0.0, bytes: $0.1) }, to: path)
    return path
}

/// What a test merge gave: the result and the merged files, raw and parsed.
struct MergeRunOutput {
    var result: MergeResult
    var rosterBytes: [UInt8]
    var applicationsBytes: [UInt8]
    var roster: PackageTable
    var applications: PackageTable

    func findings(_ code: String) -> [Discrepancy] { result.findings.filter { $0.code == code } }
    var codes: [String] { result.findings.map(\.code) }

    func package(_ suffix: String) -> PackageOutcome? { result.packages.first { $0.name.hasSuffix(suffix) } }
}

/// Runs a merge of `inputs`, writing the merged files under `scratch/<tag>/`.
func runMerge(_ inputs: [String], in scratch: ScratchFolder, settings: MergeSettings = MergeSettings(term: "2023-fall"),
              tag: String = "out") throws -> MergeRunOutput {
    let folder = scratch.file(tag)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let rosterPath = folder + "/roster.csv.gz", applicationsPath = folder + "/applications.csv.gz"
    // The tests match on the English detail text; Chinese is the default.
    var settings = settings
    settings.language = .en
    let result = try Merger(settings: settings).run(inputs, rosterPath: rosterPath, applicationsPath: applicationsPath)
    let rosterBytes = try readBytes(rosterPath), applicationsBytes = try readBytes(applicationsPath)
    return MergeRunOutput(result: result, rosterBytes: rosterBytes, applicationsBytes: applicationsBytes,
                          roster: try PackageCSV.parse(try Gzip.decompress(rosterBytes), name: "roster.csv"),
                          applications: try PackageCSV.parse(try Gzip.decompress(applicationsBytes), name: "applications.csv"))
}

extension PackageTable {
    /// The cells of column `name`, one per row.
    func cells(_ name: String) -> [String] {
        guard let index = column(name) else { return [] }
        return rows.map { $0[index] }
    }
}
