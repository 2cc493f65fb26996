import Foundation
import Yams
import ZizhuCore
import ZizhuHistory

/// `zizhu serve --config serve.yaml`: what the server's flags say, in a file (strict: an unknown
/// key, a wrong shape or a bad value is refused with `file:line:col` and a hint). Every field is
/// optional; a command-line flag wins over the file, the file over the built-in default.
///
/// ```yaml
/// listen: 127.0.0.1:8080
/// data: zizhu-data
/// term: 2023-fall
/// schools: sample-data/schools.csv
/// trust: keys
/// unmask-roles: [finance]
/// secure-cookies: false
/// limits: { max-upload-mb: 100, workers: 1 }
/// store: sqlite                 # or postgres://USER@HOST:PORT/DATABASE
/// history: zizhu-data/history.sqlite   # or postgres://…; default DATA/history.sqlite
/// ```
/// Relative paths are read from the current folder, as the flags' are.
public struct ServeConfigFile: Sendable, Equatable {
    public var listen: String?
    public var data: String?
    public var term: String?
    public var schools: String?
    public var trust: String?
    public var unmaskRoles: [String]?
    public var secureCookies: Bool?
    public var maxUploadMB: Int?
    public var workers: Int?
    /// `sqlite` (the default: DATA/serve.sqlite) or a `postgres://` URL.
    public var store: String?
    /// A SQLite file or a `postgres://` URL for the run history of reconcile and merge jobs.
    public var history: String?

    public init() {}

    static let topKeys: Set<String> = ["listen", "data", "term", "schools", "trust", "unmask-roles", "secure-cookies", "limits",
                                       "store", "history"]
    static let limitKeys: Set<String> = ["max-upload-mb", "workers"]
    /// A configuration file is a page: anything larger is refused unread.
    static let maxBytes = 64 << 10

    /// Reads and checks `path`.
    public static func load(_ path: String) throws -> ServeConfigFile {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw ZizhuError(.configuration, Message("serveConfig.read"), at: InputPosition(file: path),
                             hint: Message("serveConfig.read.hint"))
        }
        guard data.count <= maxBytes else {
            throw ZizhuError(.configuration, Message("serveConfig.tooLarge", ["limit": "\(maxBytes)"]), at: InputPosition(file: path))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ZizhuError(.configuration, Message("serveConfig.notUTF8"), at: InputPosition(file: path))
        }
        return try parse(text, file: path)
    }

    /// Parses the file's text; every mistake names `file:line:col`.
    public static func parse(_ text: String, file: String) throws -> ServeConfigFile {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return ServeConfigFile() }
            root = node
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw Reader.located("\(file):\(mark.line):\(mark.column)", Message("serveConfig.yaml", ["problem": problem]),
                                     hint: Message("serveConfig.yaml.hint"))
            default:
                throw Reader.located(file, Message("serveConfig.yaml", ["problem": "\(error)"]), hint: Message("serveConfig.yaml.hint"))
            }
        }
        let reader = Reader(file: file)
        guard let top = root.mapping else { throw reader.fail(root, Message("serveConfig.notMapping")) }
        var config = ServeConfigFile()
        for (keyNode, value) in top {
            let key = try reader.key(keyNode, allowed: topKeys)
            switch key {
            case "listen":
                let listen = try reader.text(value, key)
                var probe = ServeConfiguration(dataFolder: "")
                guard probe.setListen(listen) else {
                    throw reader.fail(value, Message("serveConfig.listen", ["value": listen]), hint: Message("serveError.listen.hint"))
                }
                config.listen = listen
            case "data": config.data = try reader.text(value, key)
            case "term": config.term = try reader.text(value, key)
            case "schools": config.schools = try reader.text(value, key)
            case "trust": config.trust = try reader.text(value, key)
            case "secure-cookies": config.secureCookies = try reader.bool(value, key)
            case "unmask-roles":
                let names: [String]
                if let list = value.sequence {
                    names = try list.map { try reader.text($0, key) }
                } else {
                    names = try reader.text(value, key).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                }
                for name in names where Role(argument: name).map({ $0 == .admin }) ?? true {
                    throw reader.fail(value, Message("serveConfig.unmaskRole", ["name": name]), hint: Message("serveError.unmaskRoles.hint"))
                }
                config.unmaskRoles = names
            case "limits":
                guard let limits = value.mapping else { throw reader.fail(value, Message("serveConfig.limits")) }
                for (limitKey, limitValue) in limits {
                    switch try reader.key(limitKey, allowed: limitKeys) {
                    case "max-upload-mb":
                        let mb = try reader.integer(limitValue, "max-upload-mb")
                        guard mb > 0 else { throw reader.fail(limitValue, Message("serveError.maxUpload")) }
                        config.maxUploadMB = mb
                    default:
                        let workers = try reader.integer(limitValue, "workers")
                        guard (1...2).contains(workers) else { throw reader.fail(limitValue, Message("serveError.workers")) }
                        config.workers = workers
                    }
                }
            case "store":
                let store = try reader.text(value, key)
                guard store == "sqlite" || PostgresLocation.isPostgresURL(store) else {
                    throw reader.fail(value, Message("serveConfig.store", ["value": Self.redacted(store)]), hint: Message("serveConfig.store.hint"))
                }
                config.store = store
            default:
                config.history = try reader.text(value, key)
            }
        }
        return config
    }

    /// These values under the command line's: each one given as a flag wins over the file's.
    public func overridden(by flags: ServeConfigFile) -> ServeConfigFile {
        var merged = self
        merged.listen = flags.listen ?? listen
        merged.data = flags.data ?? data
        merged.term = flags.term ?? term
        merged.schools = flags.schools ?? schools
        merged.trust = flags.trust ?? trust
        merged.unmaskRoles = flags.unmaskRoles ?? unmaskRoles
        merged.secureCookies = flags.secureCookies ?? secureCookies
        merged.maxUploadMB = flags.maxUploadMB ?? maxUploadMB
        merged.workers = flags.workers ?? workers
        merged.store = flags.store ?? store
        merged.history = flags.history ?? history
        return merged
    }

    /// The server's configuration: the built-in default for what is not given; every value checked
    /// (a flag's mistake is a usage error naming the flag).
    public func configuration() throws -> ServeConfiguration {
        var configuration = ServeConfiguration(dataFolder: data ?? "zizhu-data")
        let listen = self.listen ?? "127.0.0.1:8080"
        guard configuration.setListen(listen) else {
            throw ZizhuError(.usage, Message("serveError.listen", ["listen": listen]), hint: Message("serveError.listen.hint"))
        }
        let workers = self.workers ?? 1
        guard (1...2).contains(workers) else { throw ZizhuError(.usage, Message("serveError.workers")) }
        let maxUploadMB = self.maxUploadMB ?? 100
        guard maxUploadMB > 0 else { throw ZizhuError(.usage, Message("serveError.maxUpload")) }
        configuration.workers = workers
        configuration.maxUploadBytes = Int64(maxUploadMB) << 20
        configuration.term = term ?? configuration.term
        configuration.secureCookies = secureCookies ?? false
        configuration.trustFolder = trust
        if let store, store != "sqlite", !PostgresLocation.isPostgresURL(store) {
            throw ZizhuError(.usage, Message("serveConfig.store", ["value": Self.redacted(store)]), hint: Message("serveConfig.store.hint"))
        }
        configuration.store = store
        configuration.history = history
        for name in unmaskRoles ?? [] where !name.isEmpty {
            guard let role = Role(argument: name), role != .admin else {
                throw ZizhuError(.usage, Message("serveError.unmaskRoles", ["name": name]), hint: Message("serveError.unmaskRoles.hint"))
            }
            configuration.unmaskRoles.insert(role)
        }
        return configuration
    }

    /// A value as it may be shown: a URL's password replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }

    /// Reads nodes into values, locating every mistake.
    struct Reader {
        let file: String

        /// `file:line:col: message`, as a pipeline file's mistakes read.
        static func located(_ mark: String, _ message: Message, hint: Message? = nil) -> ZizhuError {
            ZizhuError(.configuration, Message("error.at", ["mark": mark], parts: ["message": message]), hint: hint)
        }

        func fail(_ node: Node, _ message: Message, hint: Message? = nil) -> ZizhuError {
            Self.located("\(file):\(node.mark?.line ?? 0):\(node.mark?.column ?? 0)", message, hint: hint)
        }

        func key(_ node: Node, allowed: Set<String>) throws -> String {
            guard let name = node.scalar?.string else { throw fail(node, Message("serveConfig.key.plain")) }
            guard allowed.contains(name) else {
                throw fail(node, Message("serveConfig.key.unknown", ["name": name]),
                           hint: Message("serveConfig.key.unknown.hint", ["names": allowed.sorted().joined(separator: ", ")]))
            }
            return name
        }

        func text(_ node: Node, _ key: String) throws -> String {
            guard let value = node.scalar?.string, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail(node, Message("serveConfig.text", ["key": key]))
            }
            return value.trimmingCharacters(in: .whitespaces)
        }

        func integer(_ node: Node, _ key: String) throws -> Int {
            let value = try text(node, key)
            guard let number = Int(value) else { throw fail(node, Message("serveConfig.integer", ["key": key, "value": value])) }
            return number
        }

        func bool(_ node: Node, _ key: String) throws -> Bool {
            switch try text(node, key).lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: throw fail(node, Message("serveConfig.bool", ["key": key]))
            }
        }
    }
}
