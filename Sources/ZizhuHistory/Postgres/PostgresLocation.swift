import Foundation
import PostgresNIO

/// Where a PostgreSQL history lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?…]`.
///
/// Query parameters understood (the libpq names): `host=/path/to/socket/dir` connects through the
/// unix socket `.s.PGSQL.PORT` in that folder instead of TCP; `sslmode=disable|prefer|require`
/// (default `prefer` off loopback, `disable` on it); `schema=NAME` keeps the history's tables in
/// that schema (created when missing) instead of `public` — tests use it to stay apart.
/// A password may also come from `PGPASSWORD`. `description` never shows the password.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable { case disable, prefer, require }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var socketDirectory: String?
    public var tlsMode: TLSMode
    public var schema: String?

    /// True for `postgres://…` and `postgresql://…`; anything else is a SQLite file path.
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    public init(user: String, password: String? = nil, host: String = "127.0.0.1", port: Int = 5432,
                database: String, socketDirectory: String? = nil, tlsMode: TLSMode? = nil, schema: String? = nil) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.socketDirectory = socketDirectory
        self.tlsMode = tlsMode ?? (Self.isLoopback(host) || socketDirectory != nil ? .disable : .prefer)
        self.schema = schema
    }

    /// Parses a URL; `environment` supplies `PGPASSWORD` when the URL has no password.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw PostgresLocationError.notAURL(text: Self.redact(text))
        }
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? ""
        guard !user.isEmpty else { throw PostgresLocationError.missingUser(url: Self.redact(text)) }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        database = database.removingPercentEncoding ?? database
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresLocationError.missingDatabase(url: Self.redact(text))
        }
        var socket: String?
        var tls: TLSMode?
        var schema: String?
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "host" where value.hasPrefix("/"): socket = value
            case "sslmode":
                switch value {
                case "disable", "allow": tls = .disable
                case "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                default: throw PostgresLocationError.badParameter(name: "sslmode", value: value)
                }
            case "schema":
                guard Self.isPlainIdentifier(value) else {
                    throw PostgresLocationError.badParameter(name: "schema", value: value)
                }
                schema = value
            default:
                throw PostgresLocationError.badParameter(name: item.name, value: value)
            }
        }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
            ?? environment["PGPASSWORD"]
        self.init(user: user, password: password, host: components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1",
                  port: components.port ?? 5432, database: database, socketDirectory: socket, tlsMode: tls, schema: schema)
    }

    /// The URL without its password, for messages and the run record.
    public var description: String {
        var text = "postgres://\(user)@\(host):\(port)/\(database)"
        var parameters: [String] = []
        if let socketDirectory { parameters.append("host=\(socketDirectory)") }
        if let schema { parameters.append("schema=\(schema)") }
        if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
        return text
    }

    /// A schema name safe to splice into SQL: lower-case ASCII letters, digits, `_`, not starting with a digit.
    public static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63 else { return false }
        guard ("a"..."z").contains(first) || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]"
    }

    static func redact(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }

    func configuration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user,
                                  password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch tlsMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

public enum PostgresLocationError: Error, Equatable, CustomStringConvertible {
    case notAURL(text: String)
    case missingUser(url: String)
    case missingDatabase(url: String)
    case badParameter(name: String, value: String)

    public var description: String {
        switch self {
        case .notAURL(let text): "not a postgres:// URL: \(text)"
        case .missingUser(let url): "\(url): no user (postgres://USER@HOST:PORT/DATABASE)"
        case .missingDatabase(let url): "\(url): no database (postgres://USER@HOST:PORT/DATABASE)"
        case .badParameter(let name, let value): "unknown or bad parameter \(name)=\(value) (known: host=/socket/dir, sslmode, schema)"
        }
    }
}
