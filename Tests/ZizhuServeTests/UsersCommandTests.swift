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
        #expect(second.err.contains("学校 3701J001 已有校长用户账号（wang.principal）"))
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
        #expect(unknown.err.contains("没有名为「nobody」的账号"))
    }

    @Test("a serve error is in Chinese by default and word for word as before in English")
    func serveErrorsAreChineseFirst() throws {
        let folder = try ScratchFolder(prefix: "zizhu-users-lang")
        defer { folder.cleanUp() }
        let data = folder.file("data")
        let badRole = ["users", "add", "--data", data, "--role", "teacher", "--scope", "3701J001", "--name", "li.teacher"]
        let chinese = try CLI.run(badRole)
        #expect(chinese.status == 2)
        #expect(chinese.err.contains("未知角色 teacher"))
        #expect(chinese.err.contains("可选：school (学校用户)"))
        #expect(!chinese.err.contains("unknown role"))
        let english = try CLI.runEnglish(badRole)
        #expect(english.status == 2)
        #expect(english.err.contains("unknown role teacher"))
        #expect(english.err.contains("one of: school (学校用户), principal (校长用户)"))

        let shortPassword = ["users", "add", "--data", data, "--role", "school", "--scope", "3701J001", "--name", "li.school",
                             "--password-stdin"]
        let short = try CLI.run(shortPassword, stdin: Data("short\n".utf8))
        #expect(short.status == 2)
        #expect(short.err.contains("密码太短（至少 10 个字符）"))
        let shortEnglish = try CLI.run(shortPassword + ["--lang", "en"], stdin: Data("short\n".utf8))
        #expect(shortEnglish.status == 2)
        #expect(shortEnglish.err.contains("the password is too short (at least 10 characters)"))
        #expect(shortEnglish.err.contains("leave the password out and one is generated"))

        let listen = try CLI.run(["serve", "--data", data, "--listen", "nowhere"])
        #expect(listen.status == 2)
        #expect(listen.err.contains("--listen nowhere 不是 主机:端口 的形式"))
    }
}
