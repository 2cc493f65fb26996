import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZizhuServe
import ZizhuTestSupport

/// One server shared by the matrix: school A's clean run (job 1, with its package), school B's run
/// (job 2), school A's principal's submission of job 1 (submission 1), finance A's reconcile (job 3),
/// province A's merge (job 4) and city A's merge (job 5).
enum SharedServer {
    static let ready: Task<ServeHarness, any Error> = Task {
        let harness = try ServeHarness()
        try await harness.server.startJobs()
        try await harness.test { client in
            for school in [ServeHarness.schoolA, ServeHarness.schoolB] {
                let (_, signedIn) = try await Browser.signIn(client, name: school == ServeHarness.schoolA ? "schoolA" : "schoolB")
                let browser = try #require(signedIn)
                let response = try await browser.upload(
                    client, school: school,
                    roster: ("roster.csv", try readAll(ServeHarness.sampleFile(school, "roster.csv"))),
                    applications: ("applications.csv", try readAll(ServeHarness.sampleFile(school, "applications.csv"))))
                #expect(response.status == .seeOther)
                await harness.server.queue.waitUntilIdle()
            }
            let (_, principal) = try await Browser.signIn(client, name: "principalA")
            let submitted = try await #require(principal).post(client, "/schools/\(ServeHarness.schoolA)/jobs/1/submit")
            #expect(submitted.headers[.location] == "/schools/\(ServeHarness.schoolA)/submissions/1")
            // Job 3: finance A's reconcile; job 4: province A's merge; job 5: city A's merge.
            let finance = try #require(try await Browser.signIn(client, name: "financeA").browser)
            let reconcile = try await finance.uploadFiles(client, "/finance/uploads", files: try ServeHarness.financeUpload())
            #expect(reconcile.headers[.location] == "/finance/jobs/3")
            await harness.server.queue.waitUntilIdle()
            let province = try #require(try await Browser.signIn(client, name: "provinceA").browser)
            let merge = try await province.post(client, "/regions/370000/merges", fields: ["term": "2023-fall"])
            #expect(merge.headers[.location] == "/merges/4")
            await harness.server.queue.waitUntilIdle()
            let city = try #require(try await Browser.signIn(client, name: "cityA").browser)
            let cityMerge = try await city.post(client, "/regions/370100/merges", fields: ["term": "2023-fall"])
            #expect(cityMerge.headers[.location] == "/merges/5")
            await harness.server.queue.waitUntilIdle()
        }
        return harness
    }

    /// A signed-in browser per account label (signed in once each).
    static let browsers: Task<[String: Browser], any Error> = Task {
        let harness = try await ready.value
        return try await harness.test { client in
            var browsers: [String: Browser] = [:]
            for account in ServeHarness.accounts {
                let signedIn = try await Browser.signIn(client, name: account.label)
                let browser = try #require(signedIn.browser)
                browsers[account.label] = browser
            }
            return browsers
        }
    }
}

/// Who may read school A's pages: its two accounts, its city, its province — and no one else.
let schoolAReaders: Set<String> = ["schoolA", "principalA", "cityA", "provinceA"]

struct RouteCase: Sendable, CustomTestStringConvertible {
    var path: String
    var account: String?

    var testDescription: String { "GET \(path) as \(account ?? "no session")" }
}

let schoolAReadRoutes = [
    "/schools/3701J001", "/schools/3701J001/jobs/1", "/schools/3701J001/jobs/1/package",
    "/schools/3701J001/jobs/1/declaration", "/schools/3701J001/jobs/1/report", "/schools/3701J001/submissions/1",
]

let readCases: [RouteCase] = schoolAReadRoutes.flatMap { path in
    [RouteCase(path: path, account: nil)] + ServeHarness.accounts.map { RouteCase(path: path, account: $0.label) }
}

@Suite("Route × role matrix") struct AccessMatrixTests {
    @Test("every school-A page: its accounts, city and province read it; every other role is refused; no session is sent to sign in",
          arguments: readCases)
    func schoolPagesRefuseEveryRoleOutOfScope(_ route: RouteCase) async throws {
        let harness = try await SharedServer.ready.value
        let browsers = try await SharedServer.browsers.value
        let browser = route.account.flatMap { browsers[$0] } ?? .anonymous
        let status = try await harness.test { client in
            try await client.execute(uri: route.path, method: .get, headers: browser.headers).status
        }
        switch route.account {
        case nil: #expect(status == .unauthorized)
        case let label? where schoolAReaders.contains(label): #expect(status == .ok)
        default: #expect(status == .forbidden)
        }
    }

    @Test("a school guessing another school's job number under its own code gets nothing")
    func anotherSchoolsJobUnderOwnCodeIsNotFound() async throws {
        let harness = try await SharedServer.ready.value
        let browsers = try await SharedServer.browsers.value
        let schoolB = try #require(browsers["schoolB"])
        try await harness.test { client in
            for path in ["/schools/3702J001/jobs/1", "/schools/3702J001/jobs/1/package", "/schools/3702J001/jobs/1/declaration",
                         "/schools/3702J001/submissions/1"] {
                let response = try await client.execute(uri: path, method: .get, headers: schoolB.headers)
                #expect(response.status == .notFound, "\(path)")
            }
        }
    }

    @Test("only school A's principal submits school A's package: every other role, the admin included, is refused",
          arguments: ServeHarness.accounts.map(\.label).filter { $0 != "principalA" })
    func submittingIsThePrincipalsAlone(_ label: String) async throws {
        let harness = try await SharedServer.ready.value
        let browser = try #require(try await SharedServer.browsers.value[label])
        let response = try await harness.test { client in
            try await browser.post(client, "/schools/3701J001/jobs/1/submit")
        }
        #expect(response.status == .forbidden)
        #expect(try harness.server.store.submissions(school: ServeHarness.schoolA).count == 1)
    }

    @Test("the principal's submission is recorded with time, account and fingerprint, and its receipt prints them")
    func principalsSubmissionIsRecordedWithAReceipt() async throws {
        let harness = try await SharedServer.ready.value
        let principal = try #require(try await SharedServer.browsers.value["principalA"])
        let submissions = try harness.server.store.submissions(school: ServeHarness.schoolA)
        let submission = try #require(submissions.first)
        #expect(submissions.count == 1)
        #expect(submission.account == "principalA")
        #expect(submission.fingerprint.count >= 16)
        let page = try await harness.test { client in
            try await client.execute(uri: "/schools/3701J001/submissions/\(submission.id)", method: .get, headers: principal.headers)
        }
        let html = String(buffer: page.body)
        #expect(html.contains("报送回执"))
        #expect(html.contains(submission.fingerprint))
        #expect(html.contains("principalA"))
        let log = try harness.server.store.auditLog()
        #expect(log.contains { $0.action == "submit" && $0.account == "principalA" && $0.object.contains(submission.fingerprint) })
    }

    @Test("only school A's 学校用户 uploads for school A", arguments: ServeHarness.accounts.map(\.label).filter { $0 != "schoolA" })
    func uploadingIsTheSchoolUsersAlone(_ label: String) async throws {
        let harness = try await SharedServer.ready.value
        let browser = try #require(try await SharedServer.browsers.value[label])
        let response = try await harness.test { client in
            try await browser.upload(client, school: "3701J001", roster: ("r.csv", Array("a\n".utf8)), applications: ("a.csv", Array("a\n".utf8)))
        }
        #expect(response.status == .forbidden)
    }

    @Test("without a session every POST is refused", arguments: [
        "/schools/3701J001/uploads", "/schools/3701J001/jobs/1/submit", "/admin/accounts", "/logout",
        "/finance/uploads", "/finance/jobs/3/findings/0000/note", "/cities/370100/schools", "/regions/370100/merges",
        "/regions/370000/merges",
    ])
    func postWithoutSessionIsRefused(_ path: String) async throws {
        let harness = try await SharedServer.ready.value
        let response = try await harness.test { client in
            try await Browser.anonymous.post(client, path, fields: ["name": "x", "role": "admin"], csrf: false)
        }
        #expect(response.status == .unauthorized)
    }

    @Test("a POST without the session's CSRF token is refused, even from the account allowed to make it")
    func postsWithoutCSRFAreRefused() async throws {
        let harness = try await SharedServer.ready.value
        let browsers = try await SharedServer.browsers.value
        let principal = try #require(browsers["principalA"]), admin = try #require(browsers["admin"])
        let school = try #require(browsers["schoolA"])
        try await harness.test { client in
            let submit = try await principal.post(client, "/schools/3701J001/jobs/1/submit", csrf: false)
            #expect(submit.status == .forbidden)
            var wrong = principal
            wrong.csrf = try #require(browsers["schoolA"]).csrf   // another session's token
            #expect(try await wrong.post(client, "/schools/3701J001/jobs/1/submit").status == .forbidden)
            let add = try await admin.post(client, "/admin/accounts", fields: ["name": "eve", "role": "province", "scope": "370000"], csrf: false)
            #expect(add.status == .forbidden)
            let upload = try await school.upload(client, school: "3701J001", roster: ("r.csv", Array("a\n".utf8)),
                                                 applications: ("a.csv", Array("a\n".utf8)), csrf: false)
            #expect(upload.status == .forbidden)
            let logout = try await school.post(client, "/logout", csrf: false)
            #expect(logout.status == .forbidden)
        }
        #expect(try harness.server.store.accounts().contains { $0.name == "eve" } == false)
    }

    @Test("a login POST without the form's token is refused")
    func loginWithoutItsTokenIsRefused() async throws {
        let harness = try await SharedServer.ready.value
        let response = try await harness.test { client in
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "name=schoolA&password=\(ServeHarness.password)"))
        }
        #expect(response.status == .forbidden)
        #expect(Browser.cookieValue(response, "zizhu_session") == nil)
    }

    @Test("only the admin manages accounts, and the admin sees no school data",
          arguments: ServeHarness.accounts.map(\.label))
    func accountsPageIsTheAdminsAlone(_ label: String) async throws {
        let harness = try await SharedServer.ready.value
        let browser = try #require(try await SharedServer.browsers.value[label])
        let (page, add) = try await harness.test { client in
            (try await client.execute(uri: "/admin/accounts", method: .get, headers: browser.headers).status,
             try await browser.post(client, "/admin/accounts", fields: ["name": "new-\(label)", "role": "city", "scope": "370100"]).status)
        }
        if label == "admin" {
            #expect(page == .ok)
            #expect(add == .ok)
        } else {
            #expect(page == .forbidden)
            #expect(add == .forbidden)
        }
    }

    @Test("the session cookie is HttpOnly and SameSite=Strict")
    func sessionCookieIsHttpOnlyAndStrict() async throws {
        let harness = try await SharedServer.ready.value
        try await harness.test { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(Browser.cookieValue(form, "zizhu_login"))
            let token = try #require(Browser.hiddenCSRF(String(buffer: form.body)))
            let response = try await client.execute(uri: "/login", method: .post,
                                                    headers: [.cookie: "zizhu_login=\(loginCookie)", .contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "csrf=\(token)&name=cityA&password=\(ServeHarness.password)"))
            let header = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("zizhu_session=") })
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Strict"))
        }
    }
}
