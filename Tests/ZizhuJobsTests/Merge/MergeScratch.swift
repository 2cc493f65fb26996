import Foundation
import ZizhuCore
import ZizhuIO
@testable import ZizhuPackage
import ZizhuTestSupport

/// A fixed key, so tests do not depend on the random generator.
func fixedKey(_ seed: UInt8) throws -> SigningKey {
    try SigningKey(rawRepresentation: [UInt8](repeating: seed, count: 32))
}

/// A trust folder holding `<school>.pub` for `key`.
func trustFolder(in scratch: ScratchFolder, school: String = "3701J001", key: SigningKey) throws -> TrustStore {
    let folder = scratch.file("trust")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let text = SigningKeyFile.text(tag: SigningKeyFile.publicTag, raw: try key.publicKey.rawRepresentation)
    try Data(text).write(to: URL(fileURLWithPath: folder + "/\(school).pub"))
    return try TrustStore(folder: folder)
}

/// The entries of a zip, as stored, in order.
func zipEntries(_ path: String) throws -> [ZipEntryData] {
    let archive = try ZipArchive(path: path)
    return try archive.entries.map { ZipEntryData(name: $0.name, bytes: try archive.read($0)) }
}

/// Rewrites the zip at `path` with `change` applied to its entries.
func rezip(_ path: String, _ change: (inout [ZipEntryData]) throws -> Void) throws {
    var entries = try zipEntries(path)
    try change(&entries)
    try ZipWriter.write(entries: entries, to: path)
}

/// `bytes` with every occurrence of `old` replaced by `new` (same length): renames a zip entry
/// in both its local header and the central directory, to names a zip writer refuses to write.
func patchName(_ bytes: [UInt8], _ old: String, _ new: String) -> [UInt8] {
    let from = Array(old.utf8)
    let to = Array(new.utf8)
    precondition(from.count == to.count)
    var result = bytes
    var index = 0
    while index + from.count <= result.count {
        if Array(result[index..<(index + from.count)]) == from {
            result.replaceSubrange(index..<(index + from.count), with: to)
            index += from.count
        } else {
            index += 1
        }
    }
    return result
}

extension Array where Element == ZipEntryData {
    /// The entry named `name`'s bytes, changed in place.
    mutating func update(_ name: String, _ change: (inout [UInt8]) throws -> Void) throws {
        guard let index = firstIndex(where: { $0.name == name }) else { throw MergeTestFailure("no entry \(name)") }
        try change(&self[index].bytes)
    }

    /// The JSON entry `name` decoded as `type`, changed, and written back in package form.
    mutating func updateJSON<T: Codable>(_ name: String, as type: T.Type, _ change: (inout T) throws -> Void) throws {
        try update(name) { bytes in
            var value = try PackageJSON.decode(type, from: bytes)
            try change(&value)
            bytes = try PackageJSON.encode(value)
        }
    }
}

struct MergeTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A small roster in package form: quoted fields with a comma, doubled quotes and a line feed.
/// Full-time enrolled: S001 (在籍) and S002 (复学) — S003 is 非全日制, S004 休学.
let sampleRoster = Array("""
student_no,name,id_number,study_mode,status,major
S001,张三,370102200501011234,全日制,在籍,"数控技术,加工"
S002,李四,37010220050202123X,全日制,复学,"汽车""维修""\"
S003,王五,370102200503031234,非全日制,在籍,"多行
专业"
S004,赵六,370102200504041234,全日制,休学,电工

""".utf8)

/// Applications: not 退回 — 国家助学金 3 (一档, 二档, 未定档; 1250.00 + 1000.00 + 750.00), 免学费 1.
let sampleApplications = Array("""
term,student_no,name,id_number,aid_type,tier,amount,approval_status
2023-fall,S001,张三,370102200501011234,国家助学金,一档,1250.00,已审批
2023-fall,S001,张三,370102200501011234,免学费,,2000.00,已审批
2023-fall,S002,李四,37010220050202123X,国家助学金,二档,1000.00,待审批
2023-fall,S003,王五,370102200503031234,国家助学金,,750.00,已审批
2023-fall,S004,赵六,370102200504041234,国家助学金,三档,750.00,退回
2023-fall,S002,李四,37010220050202123X,免学费,,2000.00,退回

""".utf8)

func sampleInput(schoolCode: String = "3701J001", roster: [UInt8] = sampleRoster,
                 applications: [UInt8] = sampleApplications) -> PackageInput {
    PackageInput(schoolCode: schoolCode, schoolName: "济南交通技工学校", schoolCity: "370100", term: "2023-fall",
                 termName: "2023年秋季学期", generatedAt: "2023-10-30T09:15:00+08:00", tool: "zizhu test",
                 rosterCSV: roster, applicationsCSV: applications)
}

/// Builds the sample package into `scratch` and returns its path.
func writeSamplePackage(_ scratch: ScratchFolder, key: SigningKey? = nil, input: PackageInput = sampleInput(),
                        name: String = "package.zip") throws -> String {
    let path = scratch.file(name)
    try PackageBuilder.build(input, signingKey: key).write(to: path)
    return path
}
