import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZizhuCore
import ZizhuServe
import ZizhuTestSupport

@Suite("Login") struct LoginThrottleTests {
    @Test("after 5 wrong passwords an account is refused even with the right one, until the window passes")
    func accountIsThrottledAfterFiveFailures() async throws {
        let time = ManualClock()
        let harness = try ServeHarness(throttle: LoginThrottle(perAccount: 5, perAddress: 100, window: 900), clock: time.clock)
        defer { harness.folder.cleanUp() }
        try await harness.test { client in
            for _ in 0..<5 {
                #expect(try await Browser.signIn(client, name: "schoolA", password: "wrong-password").status == .unauthorized)
            }
            let refused = try await Browser.signIn(client, name: "schoolA")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.browser == nil)
            // Another account from the same address is not held back by schoolA's failures.
            #expect(try await Browser.signIn(client, name: "principalA").status == .seeOther)
            time.advance(901)
            #expect(try await Browser.signIn(client, name: "schoolA").status == .seeOther)
        }
        let log = try harness.server.store.auditLog()
        #expect(log.filter { $0.action == "login-failed" && $0.account == "schoolA" }.count == 6)
        #expect(log.contains { $0.action == "login" && $0.account == "schoolA" })
    }

    @Test("an address that fails too often is refused for every account")
    func addressIsThrottledAcrossAccounts() async throws {
        let time = ManualClock()
        let harness = try ServeHarness(throttle: LoginThrottle(perAccount: 100, perAddress: 6, window: 900), clock: time.clock)
        defer { harness.folder.cleanUp() }
        try await harness.test { client in
            for name in ["schoolA", "schoolB", "cityA", "cityB", "nobody", "admin"] {
                let failed = try await Browser.signIn(client, name: name, password: "wrong-password")
                #expect(failed.status == .unauthorized)
            }
            let refused = try await Browser.signIn(client, name: "provinceA")
            #expect(refused.status == .tooManyRequests)
            time.advance(901)
            let later = try await Browser.signIn(client, name: "provinceA")
            #expect(later.status == .seeOther)
        }
    }

    @Test("a successful login clears the account's failures")
    func successClearsFailures() async throws {
        let harness = try ServeHarness(throttle: LoginThrottle(perAccount: 3, perAddress: 100, window: 900))
        defer { harness.folder.cleanUp() }
        try await harness.test { client in
            for _ in 0..<2 { _ = try await Browser.signIn(client, name: "cityA", password: "wrong-password") }
            #expect(try await Browser.signIn(client, name: "cityA").status == .seeOther)
            for _ in 0..<2 { _ = try await Browser.signIn(client, name: "cityA", password: "wrong-password") }
            #expect(try await Browser.signIn(client, name: "cityA").status == .seeOther)
        }
    }

    @Test("logging out ends the session")
    func logoutEndsTheSession() async throws {
        let harness = try ServeHarness()
        defer { harness.folder.cleanUp() }
        try await harness.test { client in
            let browser = try #require(try await Browser.signIn(client, name: "schoolA").browser)
            #expect(try await client.execute(uri: "/schools/3701J001", method: .get, headers: browser.headers).status == .ok)
            #expect(try await browser.post(client, "/logout").status == .seeOther)
            #expect(try await client.execute(uri: "/schools/3701J001", method: .get, headers: browser.headers).status == .unauthorized)
        }
    }
}

@Suite("Accounts") struct AccountTests {
    @Test("a school has one principal account")
    func secondPrincipalIsRefused() throws {
        let harness = try ServeHarness()
        defer { harness.folder.cleanUp() }
        let error = #expect(throws: ZizhuError.self) {
            _ = try harness.server.store.addAccount(name: "another-principal", role: .principal, scope: "3701J001",
                                                    password: ServeHarness.password, cost: 4)
        }
        #expect(error?.message.contains("already has a principal") == true)
        #expect(try harness.server.store.accounts().filter { $0.role == .principal && $0.scope == "3701J001" }.count == 1)
    }

    @Test("passwords are stored as bcrypt hashes, never as given")
    func passwordsAreHashed() throws {
        let harness = try ServeHarness()
        defer { harness.folder.cleanUp() }
        let database = try Data(contentsOf: URL(fileURLWithPath: harness.folder.file("data/serve.sqlite")))
        #expect(database.range(of: Data(ServeHarness.password.utf8)) == nil)
        #expect(database.range(of: Data("$2b$04$".utf8)) != nil)
    }

    @Test("roles are read by key or by Chinese title; scopes are checked for their role")
    func rolesAndScopes() throws {
        #expect(Role(argument: "校长用户") == .principal)
        #expect(Role(argument: "Province") == .province)
        #expect(Role(argument: "teacher") == nil)
        let harness = try ServeHarness()
        defer { harness.folder.cleanUp() }
        #expect(throws: (any Error).self) {
            _ = try harness.server.store.addAccount(name: "bad-city", role: .city, scope: "3701J001", password: ServeHarness.password, cost: 4)
        }
        #expect(throws: (any Error).self) {
            _ = try harness.server.store.addAccount(name: "bad-admin", role: .admin, scope: "370000", password: ServeHarness.password, cost: 4)
        }
    }
}
