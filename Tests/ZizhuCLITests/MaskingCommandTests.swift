import Foundation
import Testing
import ZizhuTestSupport

/// Contract §9: an id or account in the wrong column — typed into the name, shifted into another
/// column, standing past the header — is masked in every file a person reads, whatever the column.
@Suite struct MaskingCommandTests {
    /// Ids and accounts planted where no column says "personal".
    static let idAsName = "370102200503024564"
    static let shiftedID = "370102200604157892"
    static let pastHeaderID = "370102200705201119"
    static let accountAsName = "6212263711166533298"
    static let planted = [idAsName, shiftedID, pastHeaderID, accountAsName]

    static let roster = """
    学籍号,姓名,身份证号码*,性别,学习形式,学籍状态,备注
    S1,王一,370102200503024564,女,全日制,在籍,
    S2,王小明,370102200604157892,\(shiftedID),全日制,在籍,
    S3,李四,370102200705201119,男,全日制,在籍,,\(pastHeaderID)
    S4,赵五,370102199001011231,男,全日制,在籍,
    S5,\(accountAsName),370102199001011231,男,全日制,在籍,
    S6,孙七,11010519491231002X,13912345678,全日制,在籍,
    S7,周八,110105194912310029,20230001001,全日制,在籍,
    S8,\(idAsName),370102200503024564,女,全日制,在籍,

    """

    static func run(unmask: Bool) throws -> (dir: URL, out: URL, result: (status: Int32, out: String, err: String)) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-mask-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("roster.csv")
        try Data(roster.utf8).write(to: file)
        let out = dir.appendingPathComponent("out")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", file.path, "--out", out.path, "--quiet"]
                                 + (unmask ? ["--unmask"] : []))
        return (dir, out, result)
    }

    static func text(_ out: URL, _ name: String) throws -> String {
        String(decoding: try Data(contentsOf: out.appendingPathComponent(name)), as: UTF8.self)
    }

    @Test func noOutputAPersonReadsHoldsAnIdOrAccountFromTheWrongColumn() throws {
        let (dir, out, result) = try Self.run(unmask: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(result.status == 1)
        let files = ["rejects.csv", "warnings.csv", "report.html", "discrepancies.csv", "discrepancies.json", "summary.json"]
        for name in files {
            let text = try Self.text(out, name)
            for value in Self.planted { #expect(!text.contains(value), "\(name) holds \(value) in the clear") }
        }
        for value in Self.planted { #expect(!result.out.contains(value) && !result.err.contains(value)) }
        // They are there, masked: the reader still sees which cell was wrong.
        let all = try files.map { try Self.text(out, $0) }.joined()
        #expect(all.contains("370102********7892"), "the shifted id, masked 6 + 4")
        #expect(all.contains("370102********1119"), "the id past the header, masked 6 + 4")
        #expect(all.contains("***************3298"), "the account as a name keeps its last 4")
        let discrepancies = try Self.text(out, "discrepancies.csv")
        #expect(discrepancies.contains(",***************3298,"), "the account typed as a name, in the name column")
        #expect(discrepancies.contains(",370102********4564,370102********4564,"), "the id typed as a name, masked like the id")
    }

    @Test func phoneNumbersAndShortStudentNumbersStayWhole() throws {
        let (dir, out, _) = try Self.run(unmask: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rejects = try Self.text(out, "rejects.csv")
        #expect(rejects.contains("13912345678"), "an 11-digit phone number is neither an id nor an account")
        #expect(rejects.contains("20230001001"), "an 11-digit number stays whole")
    }

    @Test func unmaskWritesMachineFilesWholeButNotThePeoplesFiles() throws {
        let (dir, out, _) = try Self.run(unmask: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["rejects.csv", "warnings.csv", "report.html"] {
            let text = try Self.text(out, name)
            for value in Self.planted { #expect(!text.contains(value), "\(name) holds \(value) in the clear") }
        }
    }
}
