import Foundation
import Testing
@testable import ZizhuPackage

private func sampleDeclaration() -> Declaration {
    Declaration(schoolCode: "3701J001", schoolName: "济南交通技工学校", term: "2023-fall", termName: "2023年秋季学期",
                counts: DeclarationCounts(rosterRows: 3, applicationRows: 4, fullTimeEnrolled: 2,
                                          applicationsByAidType: ["国家助学金": 2, "免学费": 2],
                                          grantApplicationsByTier: ["一档": 1, "二档": 1], grantAmount: "2250.00"),
                fingerprint: String(repeating: "ab", count: 32),
                statement: Declaration.standardStatement(schoolName: "济南交通技工学校", termName: "2023年秋季学期"))
}

@Test func canonicalBytesLeaveTheSignatureOutAndSortKeys() throws {
    var declaration = sampleDeclaration()
    let unsigned = try declaration.canonicalBytes()
    declaration.signature = .init(algorithm: "Ed25519", publicKey: "AA==", keyId: "00", value: "AA==")
    #expect(try declaration.canonicalBytes() == unsigned, "the signature is not part of what it signs")
    let text = String(decoding: unsigned, as: UTF8.self)
    #expect(!text.contains("signature"))
    #expect(text.contains("\"grant_amount\":\"2250.00\""))
    #expect(text.hasPrefix("{\"counts\":{"), "keys sorted, compact")
    declaration.counts.fullTimeEnrolled += 1
    #expect(try declaration.canonicalBytes() != unsigned, "a changed count changes the signed bytes")
}

@Test func canonicalBytesSurviveADecodeRoundTrip() throws {
    let declaration = sampleDeclaration()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let decoded = try decoder.decode(Declaration.self, from: try encoder.encode(declaration))
    #expect(decoded == declaration)
    #expect(try decoded.canonicalBytes() == declaration.canonicalBytes())
    #expect(PackageFormat.fileName(schoolCode: "3701J001", term: "2023-fall") == "3701J001_2023-fall.zip")
}
