import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZizhuServe
import ZizhuTestSupport

/// A package made and signed with `zizhu submit --sign-key`, uploaded to the server: verified against
/// the trust folder (`--trust`), kept only as its own school's, submitted when the principal sends it,
/// and merged with the same trust folder.
@Suite("Package uploads") struct PackageUploadTests {
    /// A trust folder with school A's key and school A's packages made with the command line: signed, unsigned.
    struct Made {
        let folder: ScratchFolder
        let trust: String
        let signed: [UInt8]
        let unsigned: [UInt8]
    }

    static func make() throws -> Made {
        let folder = try ScratchFolder(prefix: "zizhu-serve-packages")
        let school = ServeHarness.schoolA
        let trust = folder.file("keys")
        let keys = try CLI.run(["keys", "new", "--out", trust, "--name", school])
        try #require(keys.status == 0, "\(keys.err)")
        func submit(_ out: String, _ extra: [String]) throws -> [UInt8] {
            let run = try CLI.run(["submit", "--term", "2023-fall", "--school-code", school, "--school-city", "370100",
                                   "--roster", ServeHarness.sampleFile(school, "roster.csv"),
                                   "--applications", ServeHarness.sampleFile(school, "applications.csv"),
                                   "--out", folder.file(out), "--quiet"] + extra)
            try #require(run.status == 0, "\(run.out) \(run.err)")
            return try readAll(folder.file("\(out)/\(school)_2023-fall.zip"))
        }
        return Made(folder: folder, trust: trust, signed: try submit("signed", ["--sign-key", "\(trust)/\(school).key"]),
                    unsigned: try submit("unsigned", []))
    }

    static func signIn(_ harness: ServeHarness, _ names: [String]) async throws -> [String: Browser] {
        try await harness.test { client in
            var browsers: [String: Browser] = [:]
            for name in names {
                let browser: Browser = try #require(try await Browser.signIn(client, name: name).browser)
                browsers[name] = browser
            }
            return browsers
        }
    }

    @Test("the principal's signed package is verified, recorded once as the school's submission, seen by the city and merged without M06")
    func principalUploadIsTheSubmission() async throws {
        let made = try Self.make()
        defer { made.folder.cleanUp() }
        let harness = try ServeHarness(trustFolder: made.trust)
        defer { harness.folder.cleanUp() }
        try await harness.server.startJobs()
        let browsers = try await Self.signIn(harness, ["principalA", "cityA"])
        let principal = try #require(browsers["principalA"]), city = try #require(browsers["cityA"])
        let file = [(field: "package", name: "3701J001_2023-fall.zip", bytes: made.signed)]
        let (first, again) = try await harness.test { client in
            (try await principal.uploadFiles(client, "/schools/3701J001/packages", files: file, fields: [:]),
             try await principal.uploadFiles(client, "/schools/3701J001/packages", files: file, fields: [:]))
        }
        #expect(first.status == .seeOther)
        let submissions = try harness.server.store.submissions(school: ServeHarness.schoolA)
        #expect(submissions.count == 1, "the same package sent twice is one submission")
        let submission = try #require(submissions.first)
        #expect(first.headers[.location] == "/schools/3701J001/submissions/\(submission.id)")
        #expect(again.headers[.location] == first.headers[.location])
        #expect(submission.account == "principalA")
        #expect(submission.term == "2023-fall")
        #expect(submission.packageSHA256.count == 64)
        let job = try #require(try harness.server.store.job(id: submission.jobId))
        #expect(job.isPackageUpload && job.isClean)
        let kept = try await harness.test { client in
            try await principal.get(client, "/schools/3701J001/jobs/\(job.id)/package")
        }
        #expect(Array(buffer: kept.body) == made.signed, "the package kept is the one sent, byte for byte")

        let (cityPage, merge) = try await harness.test { client in
            (String(buffer: try await city.get(client, "/cities/370100").body),
             try await city.post(client, "/regions/370100/merges", fields: ["term": "2023-fall"]))
        }
        #expect(cityPage.contains("principalA"))
        await harness.server.queue.waitUntilIdle()
        let mergeURI = try #require(merge.headers[.location])
        let mergePage = try await harness.test { client in String(buffer: try await city.get(client, mergeURI).body) }
        #expect(mergePage.contains("已完成"))
        #expect(!mergePage.contains("M06"), "school A's package is signed with the key the trust folder holds")
    }

    @Test("another school's package is refused with a clear message and nothing is recorded; the server still serves")
    func wrongSchoolPackageIsRefused() async throws {
        let made = try Self.make()
        defer { made.folder.cleanUp() }
        let harness = try ServeHarness(trustFolder: made.trust)
        defer { harness.folder.cleanUp() }
        let browsers = try await Self.signIn(harness, ["principalB", "schoolB"])
        let principalB = try #require(browsers["principalB"]), schoolB = try #require(browsers["schoolB"])
        let file = [(field: "package", name: "3701J001_2023-fall.zip", bytes: made.signed)]
        let (byPrincipal, bySchool, page) = try await harness.test { client in
            (try await principalB.uploadFiles(client, "/schools/3702J001/packages", files: file, fields: [:]),
             try await schoolB.uploadFiles(client, "/schools/3702J001/packages", files: file, fields: [:]),
             try await schoolB.get(client, "/schools/3702J001"))
        }
        for refused in [byPrincipal, bySchool] {
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("是学校 3701J001 的申报包，不是学校 3702J001 的，未被记录"))
        }
        #expect(page.status == .ok)
        #expect(try harness.server.store.submissions(school: ServeHarness.schoolB).isEmpty)
        #expect(try harness.server.store.submissions(school: ServeHarness.schoolA).isEmpty)
        #expect(try harness.server.store.jobs(school: ServeHarness.schoolB).isEmpty)
        #expect(try harness.server.store.auditLog().contains { $0.action == "upload" && $0.object.contains("refused") && $0.object.contains("3701J001") })
    }

    @Test("with a trust folder an unsigned package is refused as M06; no other role may upload a package")
    func unsignedPackageAndOtherRolesAreRefused() async throws {
        let made = try Self.make()
        defer { made.folder.cleanUp() }
        let harness = try ServeHarness(trustFolder: made.trust)
        defer { harness.folder.cleanUp() }
        let names = ["principalA", "cityA", "provinceA", "financeA", "admin", "schoolB"]
        let browsers = try await Self.signIn(harness, names)
        let unsigned = [(field: "package", name: "3701J001_2023-fall.zip", bytes: made.unsigned)]
        let signed = [(field: "package", name: "3701J001_2023-fall.zip", bytes: made.signed)]
        let principal = try #require(browsers["principalA"])
        let refused = try await harness.test { client in
            try await principal.uploadFiles(client, "/schools/3701J001/packages", files: unsigned, fields: [:])
        }
        #expect(refused.status == .unprocessableContent)
        #expect(String(buffer: refused.body).contains("M06"))
        for name in names.dropFirst() {
            let browser = try #require(browsers[name])
            let response = try await harness.test { client in
                try await browser.uploadFiles(client, "/schools/3701J001/packages", files: signed, fields: [:])
            }
            #expect(response.status == .forbidden, "\(name)")
        }
        let noCSRF = try await harness.test { client in
            try await principal.uploadFiles(client, "/schools/3701J001/packages", files: signed, fields: [:], csrf: false)
        }
        #expect(noCSRF.status == .forbidden)
        #expect(try harness.server.store.submissions(school: ServeHarness.schoolA).isEmpty)
    }

    @Test("a 学校用户's package waits for the principal, who submits it from the run's page")
    func schoolUploadWaitsForThePrincipal() async throws {
        let made = try Self.make()
        defer { made.folder.cleanUp() }
        let harness = try ServeHarness(trustFolder: made.trust)
        defer { harness.folder.cleanUp() }
        let browsers = try await Self.signIn(harness, ["schoolA", "principalA"])
        let school = try #require(browsers["schoolA"]), principal = try #require(browsers["principalA"])
        let file = [(field: "package", name: "mine.zip", bytes: made.signed)]
        let uploaded = try await harness.test { client in
            try await school.uploadFiles(client, "/schools/3701J001/packages", files: file, fields: [:])
        }
        let jobURI = try #require(uploaded.headers[.location])
        #expect(jobURI.hasPrefix("/schools/3701J001/jobs/"))
        #expect(try harness.server.store.submissions(school: ServeHarness.schoolA).isEmpty, "a 学校用户 cannot submit")
        let (page, download, submitted) = try await harness.test { client in
            (String(buffer: try await principal.get(client, jobURI).body),
             try await principal.get(client, jobURI + "/package"),
             try await principal.post(client, jobURI + "/submit"))
        }
        #expect(page.contains("上传的申报包已通过校验"))
        #expect(Array(buffer: download.body) == made.signed)
        #expect(submitted.status == .seeOther)
        #expect(try harness.server.store.submissions(school: ServeHarness.schoolA).count == 1)
    }

    @Test("a merge in the server uses the trust folder: an unsigned package made on the server is M06")
    func mergeUsesTheTrustFolder() async throws {
        let made = try Self.make()
        defer { made.folder.cleanUp() }
        let harness = try ServeHarness(trustFolder: made.trust)
        defer { harness.folder.cleanUp() }
        try await harness.server.startJobs()
        let browsers = try await Self.signIn(harness, ["schoolA", "principalA", "cityA"])
        let school = try #require(browsers["schoolA"]), principal = try #require(browsers["principalA"]), city = try #require(browsers["cityA"])
        let roster = (name: "roster.csv", bytes: try readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "roster.csv")))
        let applications = (name: "applications.csv", bytes: try readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "applications.csv")))
        let uploaded = try await harness.test { client in
            try await school.upload(client, school: ServeHarness.schoolA, roster: roster, applications: applications)
        }
        let jobURI = try #require(uploaded.headers[.location])
        await harness.server.queue.waitUntilIdle()
        let merge = try await harness.test { client in
            _ = try await principal.post(client, jobURI + "/submit")
            return try await city.post(client, "/regions/370100/merges", fields: ["term": "2023-fall"])
        }
        #expect(try harness.server.store.submissions(school: ServeHarness.schoolA).count == 1)
        await harness.server.queue.waitUntilIdle()
        let mergeURI = try #require(merge.headers[.location])
        let mergePage = try await harness.test { client in String(buffer: try await city.get(client, mergeURI).body) }
        #expect(mergePage.contains("M06"), "the server's package is unsigned: with a trust folder it is quarantined")
    }

    @Test("the API takes a package too: the principal's token submits it (201, then 200 for the same package), another school's token is refused")
    func apiUploadsAPackage() async throws {
        let made = try Self.make()
        defer { made.folder.cleanUp() }
        let harness = try ServeHarness(trustFolder: made.trust)
        defer { harness.folder.cleanUp() }
        let principal = try harness.server.store.addToken(account: "principalA", label: "t").token
        let other = try harness.server.store.addToken(account: "principalB", label: "t").token
        let files = [("package", "3701J001_2023-fall.zip", made.signed)]
        let (refused, created, again) = try await harness.test { client in
            (try await APITests.multipart(client, "/api/v1/schools/3701J001/packages", token: other, files: files),
             try await APITests.multipart(client, "/api/v1/schools/3701J001/packages", token: principal, files: files),
             try await APITests.multipart(client, "/api/v1/schools/3701J001/packages", token: principal, files: files))
        }
        #expect(refused.status == .forbidden)
        #expect(created.status == .created)
        #expect(again.status == .ok)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any])
        let submission = try #require(object["submission"] as? [String: Any])
        #expect(submission["school"] as? String == "3701J001")
        #expect(try harness.server.store.submissions(school: ServeHarness.schoolA).count == 1)
    }
}
