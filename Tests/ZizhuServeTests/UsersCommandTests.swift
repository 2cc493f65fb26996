import Foundation
import Testing
import ZizhuServe
import ZizhuTestSupport

@Suite("zizhu users add") struct UsersCommandTests {
    @Test("adds an account with a generated password printed once; a second principal for the school exits 2")
    func addsAccountsAndRefusesASecondPrincipal() throws {
        let folder = try ScratchFolder(prefix: "zizhu-users")
        defer { folder.cleanUp() }
        let data = folder.file("data")
        let first = try CLI.run(["users", "add", "--data", data, "--role", "校长用户", "--scope", "3701J001", "--name", "wang.principal"])
        #expect(first.status == 0)
        #expect(first.out.contains("校长用户"))
        let password = try #require(first.out.split(separator: "\n").first { $0.hasPrefix("password (shown once): ") })
            .dropFirst("password (shown once): ".count)
        #expect(password.count == 16)
        let second = try CLI.run(["users", "add", "--data", data, "--role", "principal", "--scope", "3701J001", "--name", "li.principal"])
        #expect(second.status == 2)
        #expect(second.err.contains("already has a principal"))
        let piped = try CLI.run(["users", "add", "--data", data, "--role", "province", "--scope", "370000", "--name", "zhao.province",
                                 "--password-stdin"], stdin: Data("a long enough password\n".utf8))
        #expect(piped.status == 0)
        #expect(!piped.out.contains("password"))
        let store = try ServeStore(dataFolder: data)
        #expect(try store.accounts().map(\.name).sorted() == ["wang.principal", "zhao.province"])
        #expect(try store.auditLog().filter { $0.action == "account-added" }.count == 2)
    }

    @Test("users token prints a token once for an existing account and stores only its hash; an unknown account exits 2")
    func tokenIsPrintedOnceAndStoredHashed() throws {
        let folder = try ScratchFolder(prefix: "zizhu-users-token")
        defer { folder.cleanUp() }
        let data = folder.file("data")
        _ = try CLI.run(["users", "add", "--data", data, "--role", "city", "--scope", "370100", "--name", "liu.city"])
        let made = try CLI.run(["users", "token", "--data", data, "--name", "liu.city", "--label", "nightly"])
        #expect(made.status == 0)
        let token = try #require(made.out.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(token.hasPrefix("zz_"))
        let store = try ServeStore(dataFolder: data)
        #expect(try store.tokens(account: "liu.city").map(\.label) == ["nightly"])
        let unknown = try CLI.run(["users", "token", "--data", data, "--name", "nobody"])
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("no account named"))
    }
}
