import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZizhuIO
import ZizhuPackage
@testable import ZizhuServe
import ZizhuTestSupport

/// The packages the server makes are signed at the principal's submission with the school's key the
/// server keeps (DATA/keys, 0600, never served); `zizhu users trust-export DIR` gives the province the
/// public halves as a trust folder `zizhu merge --trust` accepts.
@Suite("Server-signed packages") struct ServerSigningTests {
    /// A server where school A's 学校用户 uploaded the clean sample, its check ran, and its principal submitted.
    static func submitted(store: String? = nil, trust: String? = nil) async throws -> (ServeHarness, SubmissionRecord) {
        let harness = try ServeHarness(trustFolder: trust, store: store)
        try await harness.server.startJobs()
        let school = ServeHarness.schoolA
        let browsers = try await PackageUploadTests.signIn(harness, ["schoolA", "principalA"])
        let schoolUser = try #require(browsers["schoolA"]), principal = try #require(browsers["principalA"])
        let uploaded = try await harness.test { client in
            try await schoolUser.upload(client, school: school,
                                        roster: ("roster.csv", try readAll(ServeHarness.sampleFile(school, "roster.csv"))),
                                        applications: ("applications.csv", try readAll(ServeHarness.sampleFile(school, "applications.csv"))))
        }
        #expect(uploaded.status == .seeOther)
        await harness.server.queue.waitUntilIdle()
        let job = try #require(try harness.server.store.jobs(school: school).first)
        try #require(job.isClean, "the sample school A is clean")
        let submit = try await harness.test { client in try await principal.post(client, "/schools/\(school)/jobs/\(job.id)/submit") }
        #expect(submit.status == .seeOther)
        let submission = try #require(try harness.server.store.submissions(school: school).first)
        return (harness, submission)
    }

    @Test("a package the server made verifies under the exported trust folder with no M06; a tampered copy is M06")
    func serverPackageVerifiesUnderExportedTrust() async throws {
        let (harness, submission) = try await Self.submitted()
        defer { harness.folder.cleanUp() }
        let package = try #require(harness.server.runner.package(of: submission.jobId))
        #expect(try ServeServer.sha256(path: package) == submission.packageSHA256, "the submission records the signed package")

        // The province exports the server's school keys: public halves only.
        let trust = harness.folder.file("trust")
        let export = try CLI.run(["users", "trust-export", trust, "--data", harness.folder.file("data")])
        try #require(export.status == 0, "\(export.out) \(export.err)")
        let exported = try FileManager.default.contentsOfDirectory(atPath: trust).sorted()
        #expect(exported == ["3701J001.pub"])

        let verified = try PackageVerifier.verify(path: package, trust: try TrustStore(folder: trust))
        #expect(verified.isValid, "\(verified.problems)")
        #expect(!verified.problems.contains { $0.code.rawValue == "M06" })
        // zizhu merge --trust accepts the folder: the package is merged, not quarantined.
        let out = harness.folder.file("merge-out")
        let merge = try CLI.run(["merge", "--term", "2023-fall", "--trust", trust, "--out", out, package, "--quiet"])
        #expect(merge.status == 0, "\(merge.out) \(merge.err)")
        let findings = (try? String(contentsOfFile: "\(out)/discrepancies.csv", encoding: .utf8)) ?? ""
        #expect(!findings.contains("M06"))

        // The same package with its declaration's statement changed after signing: M06.
        let archive = try ZipArchive(path: package)
        var entries: [ZipEntryData] = []
        for entry in archive.entries {
            var bytes = try archive.read(entry)
            if entry.name == PackageFormat.declarationEntry {
                var declaration = try PackageJSON.decode(Declaration.self, from: bytes)
                declaration.statement += "（另附）"
                bytes = try PackageJSON.encode(declaration)
            }
            entries.append(ZipEntryData(name: entry.name, bytes: bytes))
        }
        let tampered = harness.folder.file("tampered.zip")
        try ZipWriter.write(entries: entries, to: tampered)
        let refused = try PackageVerifier.verify(path: tampered, trust: try TrustStore(folder: trust))
        #expect(refused.problems.contains { $0.code.rawValue == "M06" })
    }

    @Test("the school's path — upload, check, the principal's signed submission, the city's merge — on every store engine",
          arguments: StoreEngine.all)
    func schoolPathOnEveryEngine(engine: StoreEngine) async throws {
        try await engine.withServer { store in
            let (harness, submission) = try await Self.submitted(store: store)
            defer { harness.folder.cleanUp() }
            #expect(harness.server.store.location.hasPrefix(store == "sqlite" ? "/" : "postgres://"))
            #expect(!FileManager.default.fileExists(atPath: harness.folder.file("data/serve.sqlite")) == (store != "sqlite"))
            let city = try #require(try await PackageUploadTests.signIn(harness, ["cityA"])["cityA"])
            let merge = try await harness.test { client in try await city.post(client, "/regions/370100/merges", fields: ["term": "2023-fall"]) }
            #expect(merge.status == .seeOther)
            await harness.server.queue.waitUntilIdle()
            let merged = try #require(try harness.server.store.jobs(kind: .merge).first)
            #expect(merged.state == .finished && merged.historyRun != nil)
            let findings = (try? String(contentsOfFile: harness.server.runner.outFolder(of: merged.id) + "/discrepancies.csv", encoding: .utf8)) ?? ""
            #expect(!findings.contains("M06"))
            #expect(try harness.server.store.submissions(school: ServeHarness.schoolA).map(\.id) == [submission.id])
            let log = try harness.server.store.auditLog().map(\.action)
            #expect(["login", "upload", "run", "submit"].allSatisfy(log.contains))
        }
    }

    @Test("with --trust, the server's own merge trusts the key it signed a school's package with: no M06")
    func serverMergeTrustsItsOwnKeys() async throws {
        // The province's trust folder holds another school's key only.
        let keys = try ScratchFolder(prefix: "zizhu-serve-trust")
        defer { keys.cleanUp() }
        let made = try CLI.run(["keys", "new", "--out", keys.file("trust"), "--name", ServeHarness.schoolB])
        try #require(made.status == 0, "\(made.err)")
        let (harness, _) = try await Self.submitted(trust: keys.file("trust"))
        defer { harness.folder.cleanUp() }
        let city = try #require(try await PackageUploadTests.signIn(harness, ["cityA"])["cityA"])
        _ = try await harness.test { client in try await city.post(client, "/regions/370100/merges", fields: ["term": "2023-fall"]) }
        await harness.server.queue.waitUntilIdle()
        let merged = try #require(try harness.server.store.jobs(kind: .merge).first)
        #expect(merged.state == .finished)
        let findings = try String(contentsOfFile: harness.server.runner.outFolder(of: merged.id) + "/discrepancies.csv", encoding: .utf8)
        #expect(!findings.contains("M06"), "\(findings)")
    }

    @Test("the school's private key is kept 0600 under the data folder, and no route serves it")
    func privateKeyStaysOnTheServer() async throws {
        let (harness, _) = try await Self.submitted()
        defer { harness.folder.cleanUp() }
        let keyPath = harness.server.keys.folder + "/3701J001.key"
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        let key = try readAll(keyPath)
        let browsers = try await PackageUploadTests.signIn(harness, ["principalA", "provinceA", "admin"])
        for (_, browser) in browsers {
            let responses = try await harness.test { client in
                [try await browser.get(client, "/keys/3701J001.key"), try await browser.get(client, "/schools/3701J001/keys"),
                 try await browser.get(client, "/schools/3701J001/jobs/1/package")]
            }
            for response in responses {
                #expect(Array(buffer: response.body).firstRange(of: key) == nil)
                #expect(!String(buffer: response.body).contains(SigningKeyFile.privateTag))
            }
        }
    }

    @Test("a principal made by the admin page or zizhu users add gets the school's key at once")
    func principalAccountMakesTheKey() throws {
        let folder = try ScratchFolder(prefix: "zizhu-serve-keys")
        defer { folder.cleanUp() }
        let data = folder.file("data")
        let add = try CLI.run(["users", "add", "--data", data, "--role", "principal", "--scope", "3701J009", "--name", "wang.principal"])
        try #require(add.status == 0, "\(add.err)")
        #expect(SchoolKeys(dataFolder: data).schools() == ["3701J009"])
        let school = try CLI.run(["users", "add", "--data", data, "--role", "school", "--scope", "3701J010", "--name", "li.school"])
        try #require(school.status == 0, "\(school.err)")
        #expect(SchoolKeys(dataFolder: data).schools() == ["3701J009"], "only a principal signs")
    }
}
