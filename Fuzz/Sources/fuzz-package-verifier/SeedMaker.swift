import Foundation
import FuzzSupport
import ZizhuPackage

/// `fuzz-package-verifier --make-seeds DIR`: writes the seed packages of `make fuzz-seeds` —
/// `signed.zip` and `unsigned.zip`, small packages of school 3701J001 (quoted fields with commas,
/// doubled quotes, a line break), and `3701J001.pub`, the public half of the fixed signing key.
/// Deterministic: the key is fixed and swift-crypto signs Ed25519 deterministically on Linux.
enum SeedMaker {
    static let school = "3701J001"

    static let roster = Array("""
        student_no,name,id_number,study_mode,status,major
        S001,张三,370102200501011234,全日制,在籍,"数控技术,加工"
        S002,李四,37010220050202123X,全日制,复学,"汽车""维修""\"
        S003,王五,370102200503031234,非全日制,在籍,"多行
        专业"
        S004,赵六,370102200504041234,全日制,休学,电工

        """.utf8)

    static let applications = Array("""
        term,student_no,name,id_number,aid_type,tier,amount,approval_status
        2023-fall,S001,张三,370102200501011234,国家助学金,一档,1250.00,已审批
        2023-fall,S001,张三,370102200501011234,免学费,,2000.00,已审批
        2023-fall,S002,李四,37010220050202123X,国家助学金,二档,1000.00,待审批
        2023-fall,S003,王五,370102200503031234,国家助学金,,750.00,已审批
        2023-fall,S004,赵六,370102200504041234,国家助学金,三档,750.00,退回

        """.utf8)

    static func run(into folder: String) -> Never {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let key = try SigningKey(rawRepresentation: [UInt8](repeating: 7, count: 32))
            let input = PackageInput(schoolCode: school, schoolName: "济南交通技工学校", schoolCity: "370100",
                                     term: "2023-fall", termName: "2023年秋季学期",
                                     generatedAt: "2023-10-30T09:15:00+08:00", tool: "zizhu fuzz seeds",
                                     rosterCSV: roster, applicationsCSV: applications)
            try PackageBuilder.build(input, signingKey: key).write(to: folder + "/signed.zip")
            try PackageBuilder.build(input).write(to: folder + "/unsigned.zip")
            let publicKey = try key.publicKey
            let text = "\(SigningKeyFile.publicTag)\n\(Data(publicKey.rawRepresentation).base64EncodedString())\n"
            try text.write(toFile: folder + "/\(school).pub", atomically: true, encoding: .utf8)
            exit(0)
        } catch {
            Fuzz.say("fuzz-package-verifier: cannot make the seeds: \(error)")
            exit(1)
        }
    }
}
