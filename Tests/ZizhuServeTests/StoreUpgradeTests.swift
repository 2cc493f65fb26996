import Foundation
import GRDB
import Testing
@testable import ZizhuServe
import ZizhuTestSupport

@Suite("Store upgrade") struct StoreUpgradeTests {
    @Test("a data folder of the first schema keeps its jobs, uploads and submissions when the server opens it with v2")
    func firstSchemaIsUpgradedWithoutLoss() throws {
        let folder = try ScratchFolder(prefix: "zizhu-serve-upgrade")
        defer { folder.cleanUp() }
        let path = folder.file("serve.sqlite")
        do {
            let database = try DatabaseQueue(path: path)
            try ServeStore.migrator.migrate(database, upTo: "v1")
            try database.write { db in
                try db.execute(sql: """
                    INSERT INTO uploads (id, sha256, size, file_name, kind, school, account, at) VALUES
                        (1, 'aa', 10, 'roster.csv', 'roster', '3701J001', 'schoolA', 1),
                        (2, 'bb', 20, 'applications.csv', 'applications', '3701J001', 'schoolA', 1);
                    INSERT INTO jobs (id, kind, school, term, roster_upload, applications_upload, account, state, created_at, exit_status)
                        VALUES (7, 'submit', '3701J001', '2023-fall', 1, 2, 'schoolA', 'finished', 2, 0);
                    INSERT INTO submissions (school, term, job_id, account, at, fingerprint, package_sha256)
                        VALUES ('3701J001', '2023-fall', 7, 'principalA', 3, 'f00d', 'cafe');
                    """)
            }
        }
        let store = try ServeStore(path: path)
        let job = try #require(try store.job(id: 7))
        #expect(job.kind == .submit)
        #expect(job.scope == "3701J001")
        #expect(job.rosterUpload == 1)
        #expect(job.applicationsUpload == 2)
        #expect(job.isClean)
        #expect(try store.jobs(school: "3701J001").map(\.id) == [7])
        #expect(try store.submissions(school: "3701J001").first?.jobId == 7)
        // New jobs continue after the old ones, and an office job needs no school uploads.
        let next = try store.addOfficeJob(kind: .reconcile, scope: "370100", term: "2023-fall", account: "financeA",
                                          inputs: [(role: "approved", upload: 1, path: "")])
        #expect(next.id == 8)
        #expect(next.rosterUpload == nil)
        #expect(try store.jobInputs(of: 8).map(\.role) == ["approved"])
    }
}
