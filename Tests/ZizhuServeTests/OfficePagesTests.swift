import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ZizhuServe
import ZizhuTestSupport

/// What the finance, city and province pages show and record.
@Suite("Finance, city and province pages") struct OfficePagesTests {
    static func wholeIDs(_ text: String) -> [String] {
        let pattern = try? NSRegularExpression(pattern: "[1-9][0-9]{16}[0-9Xx]")
        let range = NSRange(text.startIndex..., in: text)
        return (pattern?.matches(in: text, range: range) ?? []).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    /// A fresh server where finance A has reconciled the sample once (job 1).
    static func reconciled(unmaskRoles: Set<Role> = []) async throws -> (ServeHarness, Browser) {
        let harness = try ServeHarness(unmaskRoles: unmaskRoles)
        try await harness.server.startJobs()
        let browser = try await harness.test { client in
            let finance = try #require(try await Browser.signIn(client, name: "financeA").browser)
            let response = try await finance.uploadFiles(client, "/finance/uploads", files: try ServeHarness.financeUpload())
            #expect(response.headers[.location] == "/finance/jobs/1")
            return finance
        }
        await harness.server.queue.waitUntilIdle()
        return (harness, browser)
    }

    @Test("a finance run: reconciled on the queue, recorded in the server's history, its page shows new findings and offers the report and 发放台账.xlsx")
    func financeRunIsRecordedAndShown() async throws {
        let (harness, finance) = try await Self.reconciled()
        defer { harness.folder.cleanUp() }
        let job = try #require(try harness.server.store.job(id: 1))
        #expect(job.state == .finished)
        #expect(job.exitStatus == 1)
        let runID = try #require(job.historyRun)
        let run = try #require(try harness.server.history.backend.run(runID))
        #expect(run.job == "reconcile")
        #expect(run.newCount > 0)
        let (page, ledger) = try await harness.test { client in
            (String(buffer: try await finance.get(client, "/finance/jobs/1").body),
             try await finance.get(client, "/finance/jobs/1/files/ledger-xlsx"))
        }
        #expect(page.contains("新增 <strong>\(run.newCount)</strong>"))
        #expect(page.contains("首次运行"))
        #expect(page.contains("R01"))
        #expect(page.contains("/finance/jobs/1/files/ledger-xlsx"))
        #expect(!page.contains("/finance/jobs/1/files/discrepancies-csv"))
        #expect(Self.wholeIDs(page).isEmpty)
        #expect(ledger.status == .ok)
        #expect(Array(ledger.body.readableBytesView.prefix(2)) == Array("PK".utf8))
        #expect(try harness.server.store.auditLog().contains { $0.action == "download" && $0.object.contains("发放台账.xlsx") })
    }

    @Test("a second run shows what was resolved since the last one, and a note is kept in the history and the audit log")
    func secondRunShowsResolvedAndNotesAreKept() async throws {
        let (harness, finance) = try await Self.reconciled()
        defer { harness.folder.cleanUp() }
        let firstRun = try #require(try harness.server.store.job(id: 1)?.historyRun)
        let finding = try #require(try harness.server.history.backend.occurrences(ofRun: firstRun).first { $0.present }).findingID
        try await harness.test { client in
            let noted = try await finance.post(client, "/finance/jobs/1/findings/\(finding)/note",
                                               fields: ["status": "explained", "note": "补发已审批"])
            #expect(noted.status == .seeOther)
            // The same run without its allocations and roster: fewer findings, some resolved.
            let files = try ServeHarness.financeUpload().filter { $0.field == "approved" || $0.field == "ledger" }
            #expect(try await finance.uploadFiles(client, "/finance/uploads", files: files).headers[.location] == "/finance/jobs/2")
        }
        await harness.server.queue.waitUntilIdle()
        let secondID = try #require(try harness.server.store.job(id: 2)?.historyRun)
        let second = try #require(try harness.server.history.backend.run(secondID))
        #expect(second.resolvedCount > 0)
        let page = try await harness.test { client in String(buffer: try await finance.get(client, "/finance/jobs/2").body) }
        #expect(page.contains("已解决 <strong>\(second.resolvedCount)</strong>"))
        #expect(page.contains("与第 \(firstRun) 次运行相比"))
        #expect(page.contains("自上次运行以来已解决"))
        let notes = try harness.server.history.backend.notes(ofFinding: finding)
        #expect(notes.map(\.note) == ["补发已审批"])
        #expect(notes.first?.by == "financeA")
        #expect(try harness.server.store.auditLog().contains { $0.action == "note" && $0.account == "financeA" && $0.object.contains(finding) })
    }

    @Test("unmask is off by default: asking for it shows masked ids and records nothing")
    func unmaskIsOffByDefault() async throws {
        let (harness, finance) = try await Self.reconciled()
        defer { harness.folder.cleanUp() }
        let (page, csv) = try await harness.test { client in
            (String(buffer: try await finance.get(client, "/finance/jobs/1?unmask=1").body),
             try await finance.get(client, "/finance/jobs/1/files/discrepancies-csv").status)
        }
        #expect(Self.wholeIDs(page).isEmpty)
        #expect(!page.contains("显示完整证件号"))
        #expect(csv == .forbidden)
        #expect(try !harness.server.store.auditLog().contains { $0.action == "unmask" })
    }

    @Test("a role configured to unmask sees whole ids on asking, and each unmask is audited")
    func configuredRoleUnmasksAndIsAudited() async throws {
        let (harness, finance) = try await Self.reconciled(unmaskRoles: [.finance])
        defer { harness.folder.cleanUp() }
        let (masked, page, csv) = try await harness.test { client in
            (String(buffer: try await finance.get(client, "/finance/jobs/1").body),
             String(buffer: try await finance.get(client, "/finance/jobs/1?unmask=1").body),
             try await finance.get(client, "/finance/jobs/1/files/discrepancies-csv"))
        }
        #expect(Self.wholeIDs(masked).isEmpty)
        #expect(masked.contains("显示完整证件号"))
        #expect(!Self.wholeIDs(page).isEmpty)
        #expect(csv.status == .ok)
        #expect(!Self.wholeIDs(String(buffer: csv.body)).isEmpty)
        let unmasks = try harness.server.store.auditLog().filter { $0.action == "unmask" && $0.account == "financeA" }
        #expect(unmasks.count == 2)
    }

    @Test("the admin never unmasks, even when configured to")
    func adminNeverUnmasks() throws {
        let admin = try #require(ServeHarness.accounts.first { $0.role == .admin })
        let store = try ServeStore(path: ":memory:")
        let account = try store.addAccount(name: admin.label, role: .admin, scope: "-", password: ServeHarness.password, cost: 4)
        #expect(!AccessPolicy.canUnmask(account, roles: Set(Role.allCases)))
    }

    @Test("the province's progress table and a city's page show who submitted, who is missing (M03), and the merge's findings")
    func provinceAndCityShowProgress() async throws {
        let harness = try await SharedServer.ready.value
        let browsers = try await SharedServer.browsers.value
        let province = try #require(browsers["provinceA"]), city = try #require(browsers["cityA"]), cityB = try #require(browsers["cityB"])
        let (provincePage, cityPage, cityBPage, mergePage) = try await harness.test { client in
            (String(buffer: try await province.get(client, "/province").body),
             String(buffer: try await city.get(client, "/cities/370100").body),
             String(buffer: try await cityB.get(client, "/cities/370200").body),
             String(buffer: try await province.get(client, "/merges/4").body))
        }
        // 济南市: 1 expected (before the tests add schools), 1 submitted; 青岛市 and 淄博市: 1 missing each.
        #expect(provincePage.contains("<td><a href=\"/cities/370200?term=2023-fall\">青岛市 370200</a></td><td>1</td><td>0</td><td>1</td>"))
        #expect(provincePage.contains("<td><a href=\"/cities/370300?term=2023-fall\">淄博市 370300</a></td><td>1</td><td>0</td><td>1</td>"))
        #expect(!provincePage.contains("440100"))
        #expect(cityPage.contains("3701J001"))
        #expect(cityPage.contains("principalA"))
        #expect(!cityPage.contains("3702J001"))
        #expect(cityBPage.contains("未报送 M03"))
        #expect(!cityBPage.contains("3701J001"))
        #expect(mergePage.contains("M03"))
        #expect(mergePage.contains("/merges/4/files/roster"))
        let merge = try #require(try harness.server.store.job(id: 4))
        #expect(merge.state == .finished)
        #expect(merge.historyRun != nil)
    }
}
