import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZIPFoundation
@testable import ZizhuServe
import ZizhuTestSupport

@Suite("Uploads and the school's path") struct UploadTests {
    static func zip(_ path: String, _ entries: [(name: String, bytes: [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for entry in entries {
            try archive.addEntry(with: entry.name, type: .file, uncompressedSize: Int64(entry.bytes.count),
                                 compressionMethod: .deflate) { position, size in
                Data(entry.bytes[Int(position)..<min(entry.bytes.count, Int(position) + size)])
            }
        }
        return try readAll(path)
    }

    static func blobCount(_ harness: ServeHarness) -> Int {
        let root = harness.folder.file("data/blobs")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return folders.reduce(0) { $0 + ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\($1)"))?.count ?? 0) }
    }

    static func temporaryCount(_ harness: ServeHarness) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: harness.folder.file("data/tmp")))?.count ?? 0
    }

    /// Signs in as school A, sends the upload, then checks the server still serves a page.
    static func refusedUpload(_ harness: ServeHarness, roster: (String, [UInt8])) async throws -> (HTTPResponse.Status, String, HTTPResponse.Status) {
        try await harness.test { client in
            let browser = try #require(try await Browser.signIn(client, name: "schoolA").browser)
            let applications = try readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "applications.csv"))
            let response = try await browser.upload(client, school: "3701J001", roster: roster, applications: ("applications.csv", applications))
            let after = try await client.execute(uri: "/schools/3701J001", method: .get, headers: browser.headers)
            return (response.status, String(buffer: response.body), after.status)
        }
    }

    @Test("an upload over the size limit is refused with a clear message, nothing is kept, and the server keeps serving")
    func uploadTooLargeIsRefused() async throws {
        let harness = try ServeHarness(maxUploadBytes: 1 << 20)
        defer { harness.folder.cleanUp() }
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: 2 << 20)
        let (status, page, after) = try await Self.refusedUpload(harness, roster: ("roster.csv", big))
        #expect(status == .contentTooLarge)
        #expect(page.contains("文件太大"))
        #expect(page.contains("1 MB"))
        #expect(after == .ok)
        #expect(Self.blobCount(harness) == 0)
        #expect(Self.temporaryCount(harness) == 0)
        #expect(try harness.server.store.jobs(school: ServeHarness.schoolA).isEmpty)
    }

    @Test("a zip bomb is refused before parsing with a clear message, nothing is kept, and the server keeps serving")
    func zipBombIsRefused() async throws {
        let harness = try ServeHarness()
        defer { harness.folder.cleanUp() }
        let bomb = try Self.zip(harness.folder.file("bomb.zip"), [("roster.csv", [UInt8](repeating: 0x30, count: 16 << 20))])
        #expect(bomb.count < 100_000)
        let (status, page, after) = try await Self.refusedUpload(harness, roster: ("roster.zip", bomb))
        #expect(status == .unprocessableContent)
        #expect(page.contains("文件被拒绝"))
        #expect(page.contains("roster.zip"))
        #expect(page.contains("zip bomb"))
        #expect(after == .ok)
        #expect(Self.blobCount(harness) == 0)
        #expect(Self.temporaryCount(harness) == 0)
        #expect(try harness.server.store.auditLog().contains { $0.action == "upload" && $0.object.contains("refused") })
    }

    @Test("a zip slip (an entry named ../../x) is refused with the entry's name, and nothing is written outside")
    func zipSlipIsRefused() async throws {
        let harness = try ServeHarness()
        defer { harness.folder.cleanUp() }
        let roster = try readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "roster.csv"))
        let slip = try Self.zip(harness.folder.file("slip.zip"), [("../../evil.csv", roster)])
        let (status, page, after) = try await Self.refusedUpload(harness, roster: ("roster.zip", slip))
        #expect(status == .unprocessableContent)
        #expect(page.contains("../../evil.csv"))
        #expect(after == .ok)
        #expect(!FileManager.default.fileExists(atPath: harness.folder.file("evil.csv")))
        #expect(Self.blobCount(harness) == 0)
    }

    @Test("a workbook with entity expansion is accepted as an upload but its check stops with a clear message, and the server keeps serving")
    func entityExpansionWorkbookStopsTheCheck() async throws {
        let harness = try ServeHarness()
        defer { harness.folder.cleanUp() }
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        // A billion-laughs shared-string table behind an otherwise ordinary one-sheet workbook.
        let laughs = """
            <?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\
            <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>\
            <sst xmlns="\(main)"><si><t>&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;</t></si></sst>
            """
        let parts: [(name: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", Array("<Types/>".utf8)),
            ("xl/workbook.xml", Array("""
                <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(main)" xmlns:r="\(rel)"><workbookPr/><sheets>\
                <sheet name="学籍名册" sheetId="1" r:id="rId1"/></sheets></workbook>
                """.utf8)),
            ("xl/_rels/workbook.xml.rels", Array("""
                <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="\(rel)/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
                """.utf8)),
            ("xl/worksheets/sheet1.xml", Array("""
                <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\(main)"><sheetData>\
                <row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>
                """.utf8)),
            ("xl/sharedStrings.xml", Array(laughs.utf8)),
        ]
        let book = try Self.zip(harness.folder.file("laughs.xlsx"), parts)
        try await harness.server.startJobs()
        let (page, after, job) = try await harness.test { client in
            let browser = try #require(try await Browser.signIn(client, name: "schoolA").browser)
            let applications = try readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "applications.csv"))
            let sent = try await browser.upload(client, school: "3701J001", roster: ("roster.xlsx", book),
                                                applications: ("applications.csv", applications))
            #expect(sent.status == .seeOther, "\(String(buffer: sent.body))")
            // Bounded: a check that never ends fails the test instead of hanging it.
            var job = try #require(try harness.server.store.jobs(school: ServeHarness.schoolA).first)
            for _ in 0..<600 where job.state == .queued || job.state == .running {
                try await Task.sleep(nanoseconds: 100_000_000)
                job = try #require(try harness.server.store.jobs(school: ServeHarness.schoolA).first)
            }
            let page = String(buffer: try await client.execute(uri: "/schools/3701J001/jobs/\(job.id)", method: .get,
                                                              headers: browser.headers).body)
            let after = try await client.execute(uri: "/schools/3701J001", method: .get, headers: browser.headers)
            return (page, after.status, job)
        }
        // The check ran and stopped on the workbook, naming what is wrong; nothing was expanded.
        #expect(job.state == .failed || job.exitStatus == 3, "\(job.state) \(String(describing: job.exitStatus)) \(String(describing: job.message))")
        #expect(job.message?.contains("DOCTYPE") == true, "\(String(describing: job.message))")
        #expect(page.contains("DOCTYPE"))
        #expect(after == .ok)
        #expect(try harness.server.store.jobs(school: ServeHarness.schoolA).count == 1)
    }

    @Test("a school with planted errors gets its findings page: each rejected row with file and line, ids masked, no package")
    func findingsPageShowsRowsToFix() async throws {
        let harness = try await SharedServer.ready.value
        let school = try #require(try await SharedServer.browsers.value["schoolB"])
        let job = try #require(try harness.server.store.jobs(school: ServeHarness.schoolB).first)
        #expect(job.state == .finished)
        let (page, package) = try await harness.test { client in
            (String(buffer: try await client.execute(uri: "/schools/3702J001/jobs/\(job.id)", method: .get, headers: school.headers).body),
             try await client.execute(uri: "/schools/3702J001/jobs/\(job.id)/package", method: .get, headers: school.headers).status)
        }
        #expect(page.contains("检查 #\(job.id)"))
        if job.isClean {
            #expect(package == .ok)
        } else {
            #expect(page.contains("请改正"))
            #expect(page.contains("roster.csv") || page.contains("applications.csv"))
            #expect(package == .notFound)
        }
        // No whole 18-character id number anywhere on the page.
        #expect(page.range(of: #"\b\d{17}[\dXx]\b"#, options: .regularExpression) == nil)
    }

    @Test("a clean school's run gives the package and the declaration, and downloads are audited")
    func cleanRunGivesPackageAndDeclaration() async throws {
        let harness = try await SharedServer.ready.value
        let school = try #require(try await SharedServer.browsers.value["schoolA"])
        let job = try #require(try harness.server.store.job(id: 1))
        #expect(job.isClean)
        let (page, package, declaration) = try await harness.test { client in
            (String(buffer: try await client.execute(uri: "/schools/3701J001/jobs/1", method: .get, headers: school.headers).body),
             try await client.execute(uri: "/schools/3701J001/jobs/1/package", method: .get, headers: school.headers),
             try await client.execute(uri: "/schools/3701J001/jobs/1/declaration", method: .get, headers: school.headers))
        }
        #expect(page.contains("下载申报包"))
        #expect(!page.contains("确认报送"))   // a 学校用户 is never offered the submit button
        #expect(package.status == .ok)
        #expect(Array(package.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
        #expect(declaration.status == .ok)
        #expect(String(buffer: declaration.body).contains("申报数据真实性声明"))
        #expect(try harness.server.store.auditLog().contains { $0.action == "download" && $0.account == "schoolA" })
    }

    @Test("uploads are stored by their SHA-256, and the same file sent twice is one blob")
    func uploadsAreContentAddressed() async throws {
        let harness = try await SharedServer.ready.value
        let upload = try #require(try harness.server.store.upload(id: 1))
        let path = harness.folder.file("data/blobs/\(upload.sha256.prefix(2))/\(upload.sha256)")
        #expect(try readAll(path) == readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "roster.csv")))
    }
}

@Suite("Restart") struct RestartTests {
    @Test("a job left running by a stop is queued again on the next start, and its uploads are still there")
    func interruptedJobIsRequeuedAfterRestart() async throws {
        let folder = try ScratchFolder(prefix: "zizhu-serve-restart")
        defer { folder.cleanUp() }
        var configuration = ServeConfiguration(dataFolder: folder.file("data"))
        configuration.bcryptCost = 4
        // First life: an upload accepted, its job taken by a worker, then the process "dies" (no worker runs it).
        let first = try ServeServer(configuration: configuration)
        try first.store.upsertSchools(SchoolList.read(path: "\(ServeHarness.packageRoot)/sample-data/schools.csv"))
        _ = try first.store.addAccount(name: "schoolA", role: .school, scope: ServeHarness.schoolA, password: ServeHarness.password, cost: 4)
        try await Application(router: first.router()).test(.router) { client in
            let browser = try #require(try await Browser.signIn(client, name: "schoolA").browser)
            let response = try await browser.upload(
                client, school: ServeHarness.schoolA,
                roster: ("roster.csv", try readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "roster.csv"))),
                applications: ("applications.csv", try readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "applications.csv"))))
            #expect(response.status == .seeOther)
        }
        #expect(try first.store.job(id: 1)?.state == .queued)
        #expect(try first.store.claimNextJob()?.id == 1)   // what a worker does just before it runs the job
        #expect(try first.store.job(id: 1)?.state == .running)

        // Second life on the same data folder.
        let second = try ServeServer(configuration: configuration)
        try #require(try await second.startJobs() == 1)   // else waiting would never end
        await second.queue.waitUntilIdle()
        let job = try #require(try second.store.job(id: 1))
        #expect(job.state == .finished)
        #expect(job.isClean)
        await second.queue.stop()
    }
}
