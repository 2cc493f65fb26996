import Foundation
import Testing
import ZizhuCore
@testable import ZizhuPackage
import ZizhuTestSupport

@Suite struct SigningKeyFileTests {
    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func keysNewWritesAPrivateKeyOnlyItsOwnerCanReadAndAPublicKey() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let folder = scratch.file("keys/school")
        let created = try SigningKeyFile.createPair(in: folder, name: "3701J001")
        #expect(created.privateKeyPath == folder + "/3701J001.key")
        #expect(created.publicKeyPath == folder + "/3701J001.pub")
        #expect(try mode(created.privateKeyPath) == 0o600)
        #expect(try mode(folder) == 0o700, "a folder made for keys is private too")

        let privateText = String(decoding: try readBytes(created.privateKeyPath), as: UTF8.self)
        let privateLines = privateText.split(separator: "\n")
        #expect(privateLines.count == 2)
        #expect(privateLines.first == "zizhu-ed25519-private-key")
        #expect(Data(base64Encoded: String(privateLines[1]))?.count == 32)
        #expect(privateText.hasSuffix("\n"))
        let publicText = String(decoding: try readBytes(created.publicKeyPath), as: UTF8.self)
        #expect(publicText == "zizhu-ed25519-public-key\n\(created.publicKey.base64)\n")

        let key = try SigningKeyFile.load(created.privateKeyPath)
        #expect(try key.publicKey == created.publicKey)
        #expect(try SigningKeyFile.loadPublicKey(created.publicKeyPath) == created.publicKey)
        #expect(!"\(key)".contains(String(privateLines[1])), "printing a key never shows it")
        #expect("\(key)".contains(created.publicKey.keyId))
    }

    @Test func keysNewDefaultsToPrincipalAndNeverOverwrites() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let created = try SigningKeyFile.createPair(in: scratch.path)
        #expect(created.privateKeyPath.hasSuffix("/principal.key"))
        let before = try readBytes(created.privateKeyPath)

        let again = #expect(throws: ZizhuError.self) { _ = try SigningKeyFile.createPair(in: scratch.path) }
        #expect(again?.code == .usage)
        #expect(again?.message.contains("already exists") == true)
        #expect(try readBytes(created.privateKeyPath) == before, "the old key is untouched")

        // Only the public half left behind: still refused, and no new private key appears.
        let other = scratch.file("other")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try scratch.write("other/school.pub", Array("x".utf8))
        let thrown = #expect(throws: ZizhuError.self) { _ = try SigningKeyFile.createPair(in: other, name: "school") }
        #expect(thrown?.code == .usage)
        #expect(!FileManager.default.fileExists(atPath: other + "/school.key"))

        for bad in ["", "..", "a/b", "-x"] {
            let thrown2 = #expect(throws: ZizhuError.self) { _ = try SigningKeyFile.createPair(in: scratch.path, name: bad) }
            #expect(thrown2?.code == .usage, "\(bad)")
        }
    }

    @Test func aPrivateKeyOthersCanReadIsRefused() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let created = try SigningKeyFile.createPair(in: scratch.path, name: "k")
        chmod(created.privateKeyPath, 0o640)
        let error = #expect(throws: ZizhuError.self) { _ = try SigningKeyFile.load(created.privateKeyPath) }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("mode 640") == true)
        #expect(error?.hint?.contains("chmod 600") == true)
        chmod(created.privateKeyPath, 0o400)
        #expect(throws: Never.self) { _ = try SigningKeyFile.load(created.privateKeyPath) }
    }

    @Test func missingAndGarbledKeyFilesAreClearErrors() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let missing = #expect(throws: ZizhuError.self) { _ = try SigningKeyFile.load(scratch.file("none.key")) }
        #expect(missing?.code == .ioFailure)
        #expect(missing?.message.contains("none.key") == true)

        func privateFile(_ text: String) throws -> String {
            let path = scratch.file("\(UUID().uuidString).key")
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw TestFailure("cannot create \(path)")
            }
            return path
        }
        let cases: [(String, String)] = [
            ("hello\n", "first line is not `zizhu-ed25519-private-key`"),
            ("zizhu-ed25519-private-key\n", "second line is not the key in base64"),
            ("zizhu-ed25519-private-key\n!!!\n", "second line is not the key in base64"),
            ("zizhu-ed25519-private-key\nAAAA\n", "does not hold a 32-byte key"),
            ("zizhu-ed25519-public-key\n\(Data(count: 32).base64EncodedString())\n", "it is a public key file"),
        ]
        for (text, reason) in cases {
            let error = #expect(throws: ZizhuError.self) { _ = try SigningKeyFile.load(try privateFile(text)) }
            #expect(error?.code == .configuration, "\(text)")
            #expect(error?.message.contains(reason) == true, "\(text): \(error?.message ?? "no error")")
        }
        let crlf = "zizhu-ed25519-private-key\r\n\(Data(repeating: 9, count: 32).base64EncodedString())\r\n"
        #expect(throws: Never.self) { _ = try SigningKeyFile.load(try privateFile(crlf)) }
        let huge = String(repeating: "x", count: 10_000)
        let thrown = #expect(throws: ZizhuError.self) { _ = try SigningKeyFile.load(try privateFile(huge)) }
        #expect(thrown?.message.contains("far more than a key file") == true)
    }

    @Test func trustFolderLooksUpSchoolsByPlainNameOnly() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let key = try fixedKey(5)
        let store = try trustFolder(in: scratch, key: key)
        #expect(store.key(forSchool: "3701J001") == .key(try key.publicKey, path: store.folder + "/3701J001.pub"))
        #expect(store.key(forSchool: "3701J002") == .missing(path: store.folder + "/3701J002.pub"))
        guard case .invalidSchoolCode = store.key(forSchool: "../trust/3701J001") else {
            Issue.record("a school code with a path must not be looked up")
            return
        }
        try scratch.write("trust/BAD.pub", Array("zizhu-ed25519-public-key\nxx\n".utf8))
        guard case .unusable(_, let reason) = store.key(forSchool: "BAD") else {
            Issue.record("a garbled trusted key is unusable")
            return
        }
        #expect(reason.contains("not the key in base64"))
        let thrown = #expect(throws: ZizhuError.self) { _ = try TrustStore(folder: scratch.file("nowhere")) }
        #expect(thrown?.code == .configuration)
    }
}
