import Foundation
import Testing
import ZizhuCore
import ZizhuIO
@testable import ZizhuPackage
import ZizhuTestSupport

@Suite struct PackageBuilderTests {
    @Test func twoBuildsOfEqualInputAreByteIdentical() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let first = try writeSamplePackage(scratch, name: "a.zip")
        let second = try writeSamplePackage(scratch, name: "b.zip")
        #expect(try readBytes(first) == readBytes(second))
        let other = try writeSamplePackage(scratch, input: sampleInput(schoolCode: "3701J002"), name: "c.zip")
        #expect(try readBytes(first) != readBytes(other), "the bytes do depend on the input")
    }

    #if !canImport(Darwin)
    // swift-crypto signs with BoringSSL here (RFC 8032, deterministic); CryptoKit randomizes.
    @Test func twoSignedBuildsAreByteIdenticalToo() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let key = try fixedKey(7)
        let first = try writeSamplePackage(scratch, key: key, name: "a.zip")
        let second = try writeSamplePackage(scratch, key: key, name: "b.zip")
        #expect(try readBytes(first) == readBytes(second))
    }
    #endif

    @Test func manifestAndDeclarationDescribeTheDataFiles() throws {
        let package = try PackageBuilder.build(sampleInput())
        #expect(package.entries.map(\.name) == PackageFormat.entries)
        #expect(package.fileName == "3701J001_2023-fall.zip")
        let roster = package.entries[0].bytes
        let applications = package.entries[1].bytes
        #expect(try Gzip.decompress(roster) == sampleRoster)
        #expect(try Gzip.decompress(applications) == sampleApplications)
        #expect(roster[4..<8] == [0, 0, 0, 0], "gzip mtime 0")

        let manifest = package.manifest
        #expect(manifest.files == [
            .init(path: "roster.csv.gz", schema: "roster", bytes: roster.count, sha256: PackageBuilder.sha256(roster), rows: 4),
            .init(path: "applications.csv.gz", schema: "applications", bytes: applications.count,
                  sha256: PackageBuilder.sha256(applications), rows: 6),
        ])
        #expect(manifest.schoolCity == "370100")
        #expect(manifest.generatedAt == "2023-10-30T09:15:00+08:00")

        let declaration = package.declaration
        #expect(declaration.counts == sampleCounts)
        #expect(declaration.signature == nil)
        #expect(declaration.statement == Declaration.standardStatement(schoolName: "济南交通技工学校", termName: "2023年秋季学期"))
        // The fingerprint is what `sha256sum roster.csv.gz applications.csv.gz | sha256sum` gives.
        let listing = "\(PackageBuilder.sha256(roster))  roster.csv.gz\n\(PackageBuilder.sha256(applications))  applications.csv.gz\n"
        #expect(declaration.fingerprint == PackageBuilder.sha256(Array(listing.utf8)))
        #expect(declaration.fingerprint.count == 64)
        // A known vector: SHA-256 of "abc".
        #expect(PackageBuilder.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func jsonEntriesAreSortedPrettySnakeCaseWithATrailingNewline() throws {
        let package = try PackageBuilder.build(sampleInput(), signingKey: try fixedKey(1))
        let manifest = String(decoding: package.entries[2].bytes, as: UTF8.self)
        #expect(manifest.hasPrefix("{\n  \"files\" : ["))
        #expect(manifest.hasSuffix("}\n"))
        #expect(manifest.contains("\"school_code\" : \"3701J001\""))
        #expect(manifest.contains("\"generated_at\" : \"2023-10-30T09:15:00+08:00\""))
        #expect(!manifest.contains("\\/"))
        let declaration = String(decoding: package.entries[3].bytes, as: UTF8.self)
        #expect(declaration.contains("\"full_time_enrolled\" : 2"))
        #expect(declaration.contains("\"未定档\" : 1"), "Chinese map keys are left as they are")
        #expect(declaration.contains("\"key_id\" : \""))
        #expect(try PackageJSON.decode(Declaration.self, from: package.entries[3].bytes) == package.declaration)
        #expect(try PackageJSON.decode(PackageManifest.self, from: package.entries[2].bytes) == package.manifest)
    }

    @Test func signedDeclarationCarriesTheKeyAndAVerifyingSignature() throws {
        let key = try fixedKey(3)
        let declaration = try PackageBuilder.build(sampleInput(), signingKey: key).declaration
        let signature = try #require(declaration.signature)
        let publicKey = try key.publicKey
        #expect(signature.algorithm == "Ed25519")
        #expect(signature.publicKey == publicKey.base64)
        #expect(signature.keyId == publicKey.keyId)
        #expect(signature.keyId.count == 16)
        let value = try #require(Data(base64Encoded: signature.value))
        #expect(publicKey.isValidSignature([UInt8](value), for: try declaration.canonicalBytes()))
        var changed = declaration
        changed.counts.grantAmount = "3000.01"
        #expect(!publicKey.isValidSignature([UInt8](value), for: try changed.canonicalBytes()))
    }

    @Test func dataTheCountsCannotReadIsRefused() {
        let noStatus = #expect(throws: ZizhuError.self) {
            _ = try PackageBuilder.build(sampleInput(roster: Array("student_no,study_mode\nS1,全日制\n".utf8)))
        }
        #expect(noStatus?.code == .noHeader)
        let broken = #expect(throws: ZizhuError.self) {
            _ = try PackageBuilder.build(sampleInput(applications: Array("aid_type,tier,amount,approval_status\n\"x\n".utf8)))
        }
        #expect(broken?.code == .csvSyntax)
    }
}
