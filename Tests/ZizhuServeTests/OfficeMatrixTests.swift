import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ZizhuServe
import ZizhuTestSupport

/// The finance, city and province routes × every role, on the shared server (job 3: finance A's
/// reconcile, 370100; job 4: province A's merge, 370000; job 5: city A's merge, 370100).
struct OfficeRoute: Sendable, CustomTestStringConvertible {
    var path: String
    var readers: Set<String>
    var testDescription: String { path }
}

let officeRoutes: [OfficeRoute] = [
    OfficeRoute(path: "/finance", readers: ["financeA", "financeB"]),
    OfficeRoute(path: "/finance/jobs/3", readers: ["financeA"]),
    OfficeRoute(path: "/finance/jobs/3/files/report", readers: ["financeA"]),
    OfficeRoute(path: "/finance/jobs/3/files/ledger-xlsx", readers: ["financeA"]),
    OfficeRoute(path: "/finance/jobs/3/files/discrepancies-xlsx", readers: ["financeA"]),
    // Whole ids: an unmask, which no role has by default.
    OfficeRoute(path: "/finance/jobs/3/files/discrepancies-csv", readers: []),
    OfficeRoute(path: "/finance/jobs/3/files/ledger-csv", readers: []),
    OfficeRoute(path: "/province", readers: ["provinceA", "provinceOther"]),
    OfficeRoute(path: "/cities/370100", readers: ["cityA", "provinceA"]),
    OfficeRoute(path: "/cities/370200", readers: ["cityB", "provinceA"]),
    OfficeRoute(path: "/merges/4", readers: ["provinceA"]),
    OfficeRoute(path: "/merges/4/files/roster", readers: ["provinceA"]),
    OfficeRoute(path: "/merges/4/files/applications", readers: ["provinceA"]),
    OfficeRoute(path: "/merges/4/files/report", readers: ["provinceA"]),
    OfficeRoute(path: "/merges/5", readers: ["cityA", "provinceA"]),
    OfficeRoute(path: "/merges/5/files/roster", readers: ["cityA", "provinceA"]),
    OfficeRoute(path: "/merges/5/files/report", readers: ["cityA", "provinceA"]),
]

struct OfficeCase: Sendable, CustomTestStringConvertible {
    var route: OfficeRoute
    var account: String?
    var testDescription: String { "GET \(route.path) as \(account ?? "no session")" }
}

let officeCases: [OfficeCase] = officeRoutes.flatMap { route in
    [OfficeCase(route: route, account: nil)] + ServeHarness.accounts.map { OfficeCase(route: route, account: $0.label) }
}

@Suite("Finance, city and province routes × roles") struct OfficeMatrixTests {
    @Test("every finance, city, province and merge page: its readers read it, every other role is refused, no session signs in",
          arguments: officeCases)
    func officePagesRefuseEveryRoleOutOfScope(_ item: OfficeCase) async throws {
        let harness = try await SharedServer.ready.value
        let browsers = try await SharedServer.browsers.value
        let browser = item.account.flatMap { browsers[$0] } ?? .anonymous
        let status = try await harness.test { client in try await browser.get(client, item.route.path).status }
        switch item.account {
        case nil: #expect(status == .unauthorized)
        case let label? where item.route.readers.contains(label): #expect(status == .ok)
        default: #expect(status == .forbidden)
        }
    }

    @Test("a school whose code looks like a region never reads a reconcile or merge job through its school URL")
    func schoolURLShowsOnlySubmitJobs() async throws {
        let harness = try await SharedServer.ready.value
        _ = try harness.server.store.addAccount(name: "odd-school", role: .school, scope: "370100", password: ServeHarness.password, cost: 4)
        try await harness.test { client in
            let odd = try #require(try await Browser.signIn(client, name: "odd-school").browser)
            for path in ["/schools/370100/jobs/3", "/schools/370100/jobs/3/report", "/schools/370100/jobs/5/report"] {
                #expect(try await odd.get(client, path).status == .notFound, "\(path)")
            }
        }
    }

    @Test("only the region's city or its province starts a merge", arguments: ServeHarness.accounts.map(\.label))
    func mergingIsTheRegionsAlone(_ label: String) async throws {
        let harness = try await SharedServer.ready.value
        let browser = try #require(try await SharedServer.browsers.value[label])
        let before = try harness.server.store.jobs(kind: .merge).count
        let status = try await harness.test { client in
            try await browser.post(client, "/regions/370200/merges", fields: ["term": "2023-fall"]).status
        }
        if label == "cityB" || label == "provinceA" {
            // School B has not submitted: nothing to merge, but the account may ask.
            #expect(status == .conflict)
        } else {
            #expect(status == .forbidden)
        }
        #expect(try harness.server.store.jobs(kind: .merge).count == before)
    }

    @Test("only the city itself keeps its schools' basic information", arguments: ServeHarness.accounts.map(\.label))
    func keepingSchoolsIsTheCitysAlone(_ label: String) async throws {
        let harness = try await SharedServer.ready.value
        let browser = try #require(try await SharedServer.browsers.value[label])
        let code = "3701X\(ServeHarness.accounts.firstIndex { $0.label == label } ?? 99)"
        let status = try await harness.test { client in
            try await browser.post(client, "/cities/370100/schools", fields: ["code": code, "name": "测试学校\(label)"]).status
        }
        let kept = try harness.server.store.school(code: code)
        if label == "cityA" {
            #expect(status == .seeOther)
            #expect(kept?.cityCode == "370100")
        } else {
            #expect(status == .forbidden)
            #expect(kept == nil)
        }
    }

    @Test("a city cannot take another city's school onto its list")
    func cityCannotTakeAnotherCitysSchool() async throws {
        let harness = try await SharedServer.ready.value
        let cityA = try #require(try await SharedServer.browsers.value["cityA"])
        let status = try await harness.test { client in
            try await cityA.post(client, "/cities/370100/schools", fields: ["code": ServeHarness.schoolB, "name": "改名"]).status
        }
        #expect(status == .forbidden)
        #expect(try harness.server.store.school(code: ServeHarness.schoolB)?.cityCode == "370200")
    }

    @Test("only finance A notes a finding of finance A's run", arguments: ServeHarness.accounts.map(\.label))
    func notingIsTheFinanceOfficesAlone(_ label: String) async throws {
        let harness = try await SharedServer.ready.value
        let browser = try #require(try await SharedServer.browsers.value[label])
        let job = try #require(try harness.server.store.job(id: 3))
        let run = try #require(job.historyRun)
        let finding = try #require(try harness.server.history.backend.occurrences(ofRun: run).first { $0.present }).findingID
        let status = try await harness.test { client in
            try await browser.post(client, "/finance/jobs/3/findings/\(finding)/note",
                                   fields: ["status": "explained", "note": "matrix \(label)"]).status
        }
        let notes = try harness.server.history.backend.notes(ofFinding: finding)
        if label == "financeA" {
            #expect(status == .seeOther)
            #expect(notes.contains { $0.by == "financeA" && $0.note == "matrix financeA" })
        } else {
            #expect(status == .forbidden)
            #expect(!notes.contains { $0.note == "matrix \(label)" })
        }
    }

    @Test("a finance office uploads only for itself: every other role is refused and nothing is queued",
          arguments: ServeHarness.accounts.map(\.label).filter { !$0.hasPrefix("finance") })
    func financeUploadIsFinancesAlone(_ label: String) async throws {
        let harness = try await SharedServer.ready.value
        let browser = try #require(try await SharedServer.browsers.value[label])
        let before = try harness.server.store.jobs(kind: .reconcile).count
        let status = try await harness.test { client in
            try await browser.uploadFiles(client, "/finance/uploads", files: [("approved", "a.csv", Array("a\n".utf8)),
                                                                           ("ledger", "l.csv", Array("a\n".utf8))]).status
        }
        #expect(status == .forbidden)
        #expect(try harness.server.store.jobs(kind: .reconcile).count == before)
    }

    @Test("the new forms refuse a POST without the session's CSRF token")
    func officePostsWithoutCSRFAreRefused() async throws {
        let harness = try await SharedServer.ready.value
        let browsers = try await SharedServer.browsers.value
        let finance = try #require(browsers["financeA"]), city = try #require(browsers["cityA"])
        let province = try #require(browsers["provinceA"])
        let merges = try harness.server.store.jobs(kind: .merge).count
        let files = try ServeHarness.financeUpload()
        let statuses = try await harness.test { client in
            [try await finance.uploadFiles(client, "/finance/uploads", files: files, csrf: false).status,
             try await finance.post(client, "/finance/jobs/3/findings/x/note", fields: ["status": "explained", "note": "n"], csrf: false).status,
             try await city.post(client, "/cities/370100/schools", fields: ["code": "3701Z999", "name": "无令牌"], csrf: false).status,
             try await province.post(client, "/regions/370000/merges", fields: ["term": "2023-fall"], csrf: false).status]
        }
        #expect(statuses == [.forbidden, .forbidden, .forbidden, .forbidden])
        #expect(try harness.server.store.school(code: "3701Z999") == nil)
        #expect(try harness.server.store.jobs(kind: .merge).count == merges)
        #expect(try harness.server.store.jobs(kind: .reconcile, scope: "370100").count == 1)
    }
}
