import ArgumentParser
import Foundation
import ZizhuCore
import ZizhuHistory
import ZizhuServe

/// `zizhu serve`: the workbench in a browser — accounts and roles, the school's path (upload →
/// findings → package and declaration → the principal's submission and receipt).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the aid-data workbench (资助数据工作台) to browsers: accounts, roles, uploads, findings, submission.",
        discussion: "State (accounts, sessions, the audit log, uploads, jobs) lives in --data: serve.sqlite and files. Create accounts with `zizhu users add`. Stops on Ctrl-C; jobs interrupted by a stop are queued again on the next start.")
    @Option(name: .long, help: "A serve.yaml (listen, data, term, schools, trust, unmask-roles, secure-cookies, limits, store, history); flags win over it.") var config: String?
    @Option(name: .long, help: "The server's data folder (made when missing; default zizhu-data).") var data: String?
    @Option(name: .long, help: "Address to listen on: HOST:PORT (default 127.0.0.1:8080).") var listen: String?
    @Option(name: .long, help: "The expected list (school_code, school_name, city_code, city_name) to load: schools and their cities.") var schools: String?
    @Option(name: .long, help: "The term the upload form offers (default 2023-fall).") var term: String?
    @Option(name: .customLong("max-upload-mb"), help: "Largest upload (both files), in MiB (default 100).") var maxUploadMB: Int?
    @Option(name: .long, help: "Job workers, 1 or 2 (default 1).") var workers: Int?
    @Flag(name: .customLong("secure-cookies"), help: "Mark cookies Secure (when served behind HTTPS).") var secureCookies = false
    @Option(name: .customLong("unmask-roles"), help: "Roles that may see whole ids, audited (e.g. finance,province). None by default; never admin.") var unmaskRoles: String?
    @Option(name: .long, help: "The trust folder (one <school_code>.pub per school): uploaded packages and merges are verified against it (M06).") var trust: String?
    @Option(name: .long, help: "The server's own state: sqlite (default, DATA/serve.sqlite) or a postgres:// URL.") var store: String?
    @Option(name: .long, help: "Where reconcile and merge runs record: a SQLite file (default DATA/history.sqlite) or a postgres:// URL.") var history: String?
    @OptionGroup var words: LanguageOption

    func run() throws {
        let language = try words.resolved()
        let configuration: ServeConfiguration
        let schools: String?
        do {
            var flags = ServeConfigFile()
            flags.data = data
            flags.listen = listen
            flags.schools = self.schools
            flags.term = term
            flags.maxUploadMB = maxUploadMB
            flags.workers = workers
            flags.secureCookies = secureCookies ? true : nil
            flags.unmaskRoles = unmaskRoles.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            flags.trust = trust
            flags.store = store
            flags.history = history
            // A flag wins over the file, the file over the default.
            let settings = try (config.map(ServeConfigFile.load) ?? ServeConfigFile()).overridden(by: flags)
            configuration = try settings.configuration()
            schools = settings.schools
        } catch {
            throw ExitCode(report(error, language: language))
        }
        let server: ServeServer
        do {
            server = try ServeServer(configuration: configuration)
            if let schools { try server.store.upsertSchools(SchoolList.read(path: schools)) }
        } catch {
            throw ExitCode(report(error, language: language))
        }
        let folder = configuration.dataFolder
        let storeName = server.store.location
        let failure = blockingRun {
            try await server.run { url in
                FileHandle.standardOutput.write(Data("zizhu serve: listening on \(url) (data: \(folder); store: \(storeName))\n".utf8))
            }
        }
        if let failure { throw ExitCode(report(failure, language: language)) }
    }
}

/// `zizhu users add`: accounts, one person each.
struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the server's accounts (one person, one account).",
        subcommands: [AddUser.self, AddToken.self, TrustExport.self])
}

struct AddUser: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account: --role school|principal|finance|city|province|admin (学校用户 校长用户 财务 市 省 管理员).",
        discussion: "The scope is the school code (school, principal — one principal per school), a 6-digit region code (finance, city, province) or - (admin, who sees no data). The password is read from standard input with --password-stdin; otherwise one is generated and printed once.")
    @OptionGroup var place: ServeStorePlace
    @Option(name: .long, help: "school | principal | finance | city | province | admin, or its Chinese title.") var role: String
    @Option(name: .long, help: "School code, region code, or - for the admin.") var scope = "-"
    @Option(name: .long, help: "The login name: one person's.") var name: String
    @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input.") var passwordStdin = false
    @OptionGroup var words: LanguageOption

    func run() throws {
        let language = try words.resolved()
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
            let store = try place.open()
            let account = try store.addAccount(name: name, role: role, scope: scope, password: password)
            // A school's 校长用户 signs its submissions: the school's key is made with the account.
            if account.role == .principal { try SchoolKeys(dataFolder: place.dataFolder).key(forSchool: account.scope) }
            try store.audit(.accountAdded, account: "cli", object: "account \(account.name) \(account.role.rawValue) \(account.scope)")
            print("added \(account.name): \(account.role.title) (\(account.role.rawValue)), scope \(account.scope)")
            if generated { print("password (shown once): \(password)") }
        } catch {
            throw ExitCode(report(error, language: language))
        }
    }
}

/// `zizhu users token`: an API token for an account's own scripts, printed once, stored hashed.
struct AddToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make an API token (/api/v1/) for an account: printed once, stored only as its SHA-256.")
    @OptionGroup var place: ServeStorePlace
    @Option(name: .long, help: "The account the token acts as.") var name: String
    @Option(name: .long, help: "What the token is for (shown on the tokens page).") var label = "script"
    @OptionGroup var words: LanguageOption

    func run() throws {
        let language = try words.resolved()
        do {
            let store = try place.open()
            let (token, record) = try store.addToken(account: name, label: label)
            try store.audit(.tokenAdded, account: "cli", object: "api token \(record.id) for \(name) \(record.label)")
            print("token for \(name) (shown once): \(token)")
        } catch {
            throw ExitCode(report(error, language: language))
        }
    }
}

/// `zizhu users trust-export DIR`: the public keys of the schools whose packages the server signs, as a
/// trust folder for `zizhu merge --trust DIR` / `zizhu verify --trust DIR` (never a private key).
struct TrustExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust-export",
        abstract: "Write the server's school public keys (<school_code>.pub) into DIR: the trust folder for zizhu merge --trust.")
    @Argument(help: "The trust folder to write (made when missing).") var directory: String
    @Option(name: .long, help: "The server's serve.yaml (its data: is used unless --data says otherwise).") var config: String?
    @Option(name: .long, help: "The server's data folder (default zizhu-data).") var data: String?
    @OptionGroup var words: LanguageOption

    func run() throws {
        let language = try words.resolved()
        do {
            let file = try config.map(ServeConfigFile.load) ?? ServeConfigFile()
            let codes = try SchoolKeys(dataFolder: data ?? file.data ?? "zizhu-data").export(to: directory)
            print("wrote \(codes.count) school public key(s) to \(directory): \(codes.joined(separator: " "))")
        } catch {
            throw ExitCode(report(error, language: language))
        }
    }
}

/// Where the users commands find the server's store: `--config serve.yaml` (its `data:` and `store:`),
/// `--data DIR`, `--store sqlite|postgres://…`; flags win over the file.
struct ServeStorePlace: ParsableArguments {
    @Option(name: .long, help: "The server's serve.yaml: its data and store are used unless --data / --store say otherwise.") var config: String?
    @Option(name: .long, help: "The server's data folder (default zizhu-data).") var data: String?
    @Option(name: .long, help: "The server's store: sqlite (default, DATA/serve.sqlite) or a postgres:// URL.") var store: String?

    func open() throws -> ServeStore {
        let file = try config.map(ServeConfigFile.load) ?? ServeConfigFile()
        let store = try ServeStoreOption.validated(self.store ?? file.store)
        return try ServeStore(store: store, dataFolder: data ?? file.data ?? "zizhu-data")
    }

    /// The data folder: --data, else the file's data:, else zizhu-data.
    var dataFolder: String {
        data ?? (try? config.map(ServeConfigFile.load))??.data ?? "zizhu-data"
    }
}

/// `--store`: `sqlite` or a `postgres://` URL.
enum ServeStoreOption {
    static func validated(_ value: String?) throws -> String? {
        guard let value else { return nil }
        guard value == "sqlite" || PostgresLocation.isPostgresURL(value) else {
            throw ZizhuError(.usage, Message("serveConfig.store", ["value": ServeConfigFile.redacted(value)]), hint: Message("serveConfig.store.hint"))
        }
        return value
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
