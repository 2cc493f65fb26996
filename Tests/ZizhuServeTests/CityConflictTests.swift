import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZizhuIO
import ZizhuPackage
@testable import ZizhuServe
import ZizhuTestSupport

@Suite("The city page's conflicting resends") struct CityConflictTests {
    @Test("a school's conflicting resend shows on the city page as M05 with both packages' fingerprints and dates")
    func conflictingResendShowsAsM05() async throws {
        let harness = try ServeHarness()
        defer { harness.folder.cleanUp() }
        try await harness.server.startJobs()
        let school = ServeHarness.schoolA
        let browsers = try await PackageUploadTests.signIn(harness, ["schoolA", "principalA", "cityA"])
        let schoolUser = try #require(browsers["schoolA"]), principal = try #require(browsers["principalA"])
        let city = try #require(browsers["cityA"])
        let roster = try readAll(ServeHarness.sampleFile(school, "roster.csv"))
        let applications = try readAll(ServeHarness.sampleFile(school, "applications.csv"))
        // The resend: the same school with its last application (and the 合计 line under it) left out —
        // other data, so another fingerprint. The file is GB18030: cut by bytes, at line ends.
        var lines = applications.split(separator: 0x0A, omittingEmptySubsequences: true)
        lines.removeLast(2)
        let fewer = Array(lines.joined(separator: [0x0A])) + [0x0A]

        for sent in [applications, fewer] {
            let uploaded = try await harness.test { client in
                try await schoolUser.upload(client, school: school, roster: ("roster.csv", roster), applications: ("applications.csv", sent))
            }
            #expect(uploaded.status == .seeOther)
            await harness.server.queue.waitUntilIdle()
            let job = try #require(try harness.server.store.jobs(school: school).first)
            try #require(job.isClean, "\(job.message ?? "")")
            let submit = try await harness.test { client in try await principal.post(client, "/schools/\(school)/jobs/\(job.id)/submit") }
            #expect(submit.status == .seeOther)
        }
        let submissions = try harness.server.store.submissions(school: school)
        try #require(submissions.count == 2)
        #expect(Set(submissions.map(\.fingerprint)).count == 2)

        let merge = try await harness.test { client in try await city.post(client, "/regions/370100/merges", fields: ["term": "2023-fall"]) }
        #expect(merge.status == .seeOther)
        await harness.server.queue.waitUntilIdle()
        let page = try await harness.test { client in String(buffer: try await city.get(client, "/cities/370100?term=2023-fall").body) }

        let row = try #require(page.components(separatedBy: "<tr").first { $0.contains(school) && $0.contains("M05") },
                               "school A's row on the city page shows M05")
        for submission in submissions {
            #expect(row.contains(String(submission.fingerprint.prefix(12))), "the fingerprint of submission \(submission.id)")
            let package = try #require(harness.server.runner.package(of: submission.jobId))
            let archive = try ZipArchive(path: package)
            let manifest = try PackageJSON.decode(PackageManifest.self, from: try archive.read(try #require(archive.entry(named: "manifest.json"))))
            #expect(row.contains(manifest.generatedAt), "the date of submission \(submission.id)")
        }
    }
}
