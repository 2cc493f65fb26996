import ArgumentParser
import Foundation
import ZizhuCore
import ZizhuServe

/// `zizhu serve`: the workbench in a browser — accounts and roles, the school's path (upload →
/// findings → package and declaration → the principal's submission and receipt).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the aid-data workbench (资助数据工作台) to browsers: accounts, roles, uploads, findings, submission.",
        discussion: "State (accounts, sessions, the audit log, uploads, jobs) lives in --data: serve.sqlite and files. Create accounts with `zizhu users add`. Stops on Ctrl-C; jobs interrupted by a stop are queued again on the next start.")
    @Option(name: .long, help: "The server's data folder (made when missing).") var data = "zizhu-data"
    @Option(name: .long, help: "Address to listen on: HOST:PORT.") var listen = "127.0.0.1:8080"
    @Option(name: .long, help: "The expected list (school_code, school_name, city_code, city_name) to load: schools and their cities.") var schools: String?
    @Option(name: .long, help: "The term the upload form offers.") var term = "2023-fall"
    @Option(name: .customLong("max-upload-mb"), help: "Largest upload (both files), in MiB.") var maxUploadMB = 100
    @Option(name: .long, help: "Job workers, 1 or 2.") var workers = 1
    @Flag(name: .customLong("secure-cookies"), help: "Mark cookies Secure (when served behind HTTPS).") var secureCookies = false
    @Option(name: .customLong("unmask-roles"), help: "Roles that may see whole ids, audited (e.g. finance,province). None by default; never admin.") var unmaskRoles = ""
    @Option(name: .long, help: "The trust folder (one <school_code>.pub per school): uploaded packages and merges are verified against it (M06).") var trust: String?
    @OptionGroup var words: ServeLanguageOption

    func run() throws {
        var configuration = ServeConfiguration(dataFolder: data)
        guard configuration.setListen(listen) else {
            throw ExitCode(report(ZizhuError(.usage, Message("serveError.listen", ["listen": listen]), hint: Message("serveError.listen.hint")), language: words.language))
        }
        guard (1...2).contains(workers) else {
            throw ExitCode(report(ZizhuError(.usage, Message("serveError.workers")), language: words.language))
        }
        guard maxUploadMB > 0 else { throw ExitCode(report(ZizhuError(.usage, Message("serveError.maxUpload")), language: words.language)) }
        configuration.term = term
        configuration.maxUploadBytes = Int64(maxUploadMB) << 20
        configuration.workers = workers
        configuration.secureCookies = secureCookies
        configuration.trustFolder = trust
        for name in unmaskRoles.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let role = Role(argument: name), role != .admin else {
                throw ExitCode(report(ZizhuError(.usage, Message("serveError.unmaskRoles", ["name": name]),
                                                 hint: Message("serveError.unmaskRoles.hint")), language: words.language))
            }
            configuration.unmaskRoles.insert(role)
        }
        let server: ServeServer
        do {
            server = try ServeServer(configuration: configuration)
            if let schools { try server.store.upsertSchools(SchoolList.read(path: schools)) }
        } catch {
            throw ExitCode(report(error, language: words.language))
        }
        let folder = configuration.dataFolder
        let failure = blockingRun {
            try await server.run { url in
                FileHandle.standardOutput.write(Data("zizhu serve: listening on \(url) (data: \(folder))\n".utf8))
            }
        }
        if let failure { throw ExitCode(report(failure, language: words.language)) }
    }
}

/// `zizhu users add`: accounts, one person each.
struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the server's accounts (one person, one account).",
        subcommands: [AddUser.self, AddToken.self])
}

struct AddUser: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account: --role school|principal|finance|city|province|admin (学校用户 校长用户 财务 市 省 管理员).",
        discussion: "The scope is the school code (school, principal — one principal per school), a 6-digit region code (finance, city, province) or - (admin, who sees no data). The password is read from standard input with --password-stdin; otherwise one is generated and printed once.")
    @Option(name: .long, help: "The server's data folder.") var data = "zizhu-data"
    @Option(name: .long, help: "school | principal | finance | city | province | admin, or its Chinese title.") var role: String
    @Option(name: .long, help: "School code, region code, or - for the admin.") var scope = "-"
    @Option(name: .long, help: "The login name: one person's.") var name: String
    @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input.") var passwordStdin = false
    @OptionGroup var words: ServeLanguageOption

    func run() throws {
        do {
            guard let role = Role(argument: role) else {
                throw ZizhuError(.usage, Message("serveError.unknownRole", ["role": role]),
                                 hint: Message("serveError.unknownRole.hint", ["roles": Role.allCases.map { "\($0.rawValue) (\($0.title))" }.joined(separator: ", ")]))
            }
            var generated = false
            let password: String
            if passwordStdin {
                guard let line = readLine(strippingNewline: true) else {
                    throw ZizhuError(.usage, Message("serveError.noPassword"), hint: Message("serveError.noPassword.hint"))
                }
                password = line
            } else {
                password = Passwords.generate()
                generated = true
            }
            let store = try ServeStore(dataFolder: data)
            let account = try store.addAccount(name: name, role: role, scope: scope, password: password)
            try store.audit(.accountAdded, account: "cli", object: "account \(account.name) \(account.role.rawValue) \(account.scope)")
            print("added \(account.name): \(account.role.title) (\(account.role.rawValue)), scope \(account.scope)")
            if generated { print("password (shown once): \(password)") }
        } catch {
            throw ExitCode(report(error, language: words.language))
        }
    }
}

/// `zizhu users token`: an API token for an account's own scripts, printed once, stored hashed.
struct AddToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make an API token (/api/v1/) for an account: printed once, stored only as its SHA-256.")
    @Option(name: .long, help: "The server's data folder.") var data = "zizhu-data"
    @Option(name: .long, help: "The account the token acts as.") var name: String
    @Option(name: .long, help: "What the token is for (shown on the tokens page).") var label = "script"
    @OptionGroup var words: ServeLanguageOption

    func run() throws {
        do {
            let store = try ServeStore(dataFolder: data)
            let (token, record) = try store.addToken(account: name, label: label)
            try store.audit(.tokenAdded, account: "cli", object: "api token \(record.id) for \(name) \(record.label)")
            print("token for \(name) (shown once): \(token)")
        } catch {
            throw ExitCode(report(error, language: words.language))
        }
    }
}

/// Runs async work to its end from a synchronous command; returns its error, if any.
func blockingRun(_ body: @escaping @Sendable () async throws -> Void) -> (any Error)? {
    final class Outcome: @unchecked Sendable {
        var error: (any Error)?
    }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    return outcome.error
}

/// `--lang zh|en` of the server's commands: the language of their errors on stderr.
struct ServeLanguageOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The language of messages: zh (中文, the default) or en; else ZIZHU_LANG, else an English LANG/LC_* gives en.", valueName: "zh|en")) var lang: String?

    /// The chosen language; an unknown `--lang` falls back to the environment's.
    var language: Language {
        (try? Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment)) ?? environmentLanguage()
    }
}

