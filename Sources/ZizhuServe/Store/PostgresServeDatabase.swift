import Foundation
import PostgresNIO
import ZizhuCore
import ZizhuHistory

/// The server's state in PostgreSQL (`store: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]`),
/// through postgres-nio — the URL as the run history reads it (`PostgresLocation`: `host=/socket/dir`,
/// `sslmode`, `schema`, `PGPASSWORD`). Several servers may share one store: a job is taken with
/// `FOR UPDATE SKIP LOCKED` (two takers never get the same job), writes that check before they insert
/// hold a transaction-scoped advisory lock, and one submission per job is a unique index.
///
/// One connection per store, its statements serialized by a lock (the server's state is small and
/// its statements short); the calling thread waits on a future of an event-loop group of the store's
/// own, so a caller on any of Hummingbird's or the jobs' threads can wait safely.
final class PostgresServeDatabase: ServeDatabase {
    let location: String
    var dialect: ServeDialect { .postgres }
    private let connection: PostgresConnection
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let lock = NSLock()

    private init(location: String, connection: PostgresConnection, group: MultiThreadedEventLoopGroup, logger: Logger) {
        self.location = location
        self.connection = connection
        self.group = group
        self.logger = logger
    }

    deinit {
        try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Connects to `url` and migrates.
    static func open(url: String) throws -> PostgresServeDatabase {
        let location: PostgresLocation
        do {
            location = try PostgresLocation(url: url)
        } catch {
            throw ZizhuError(.configuration, Message("serveError.postgres.url", ["reason": "\(error)"]),
                             hint: Message("serveConfig.store.hint"))
        }
        var logger = Logger(label: "zizhu.serve.postgres")
        logger.logLevel = .critical
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(on: group.next(), configuration: try configuration(location),
                                                        id: 1, logger: logger).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw ZizhuError(.ioFailure, Message("serveError.postgres.connect", ["location": location.description, "reason": reason(error)]),
                             hint: Message("serveError.postgres.connect.hint"))
        }
        let database = PostgresServeDatabase(location: location.description, connection: connection, group: group, logger: logger)
        do {
            if let schema = location.schema {
                // PostgresLocation allows only plain identifiers here. One creator at a time: CREATE SCHEMA
                // IF NOT EXISTS is not safe against itself on another connection.
                try database.write { db in
                    try db.execute(sql: "SELECT pg_advisory_xact_lock(hashtext('zizhu.serve.schema.\(schema)'))")
                    try db.execute(sql: "CREATE SCHEMA IF NOT EXISTS \(schema)")
                }
                try database.read { db in try db.execute(sql: "SET search_path TO \(schema)") }
            }
            try database.migrate(upTo: nil)
        } catch {
            throw ZizhuError(.ioFailure, Message("serveError.database", ["reason": "\(location.description): \(error)"]),
                             hint: Message("serveError.postgres.connect.hint"))
        }
        return database
    }

    func migrate(upTo identifier: String?) throws {
        try write { db in
            try db.execute(sql: "SELECT pg_advisory_xact_lock(hashtext('zizhu.serve.migrate.' || current_schema()))")
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS serve_migrations (identifier TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)")
            let applied = Set(try StoreRow.fetchAll(db, sql: "SELECT identifier FROM serve_migrations").map { $0["identifier"] as String })
            var wanted = ServeSchema.migrations
            if let identifier, let last = wanted.firstIndex(where: { $0.identifier == identifier }) { wanted = Array(wanted[...last]) }
            for migration in wanted where !applied.contains(migration.identifier) {
                for statement in ServeSchema.postgres(migration) { try db.execute(sql: statement) }
                try db.execute(sql: "INSERT INTO serve_migrations (identifier, applied_at) VALUES (?, ?)",
                               arguments: [migration.identifier, Date().timeIntervalSince1970])
            }
        }
    }

    @discardableResult
    func read<T>(_ body: (any ServeSQL) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(Statements(database: self))
    }

    @discardableResult
    func write<T>(_ body: (any ServeSQL) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let statements = Statements(database: self)
        try statements.run("BEGIN", [])
        do {
            let value = try body(statements)
            try statements.run("COMMIT", [])
            return value
        } catch {
            _ = try? statements.run("ROLLBACK", [])
            throw error
        }
    }

    struct Statements: ServeSQL {
        let database: PostgresServeDatabase

        func execute(sql: String, arguments: StoreArguments) throws -> Int {
            try run(sql, arguments.values).metadata.rows ?? 0
        }

        func insert(sql: String, arguments: StoreArguments) throws -> Int64 {
            guard let row = try run(sql + " RETURNING id", arguments.values).rows.first, let cell = row.first(where: { _ in true }) else {
                throw ServePostgresFailure(reason: "INSERT returned no id")
            }
            return Int64.from(try Self.value(cell))
        }

        func rows(sql: String, arguments: StoreArguments) throws -> [StoreRow] {
            try run(sql, arguments.values).rows.map { row in
                StoreRow(columns: try row.map { cell in (name: cell.columnName, value: try Self.value(cell)) })
            }
        }

        @discardableResult
        func run(_ sql: String, _ values: [StoreValue]) throws -> PostgresQueryResult {
            var binds = PostgresBindings(capacity: values.count)
            for value in values {
                switch value {
                case .null: binds.appendNull()
                case .integer(let v): binds.append(v)
                case .real(let v): binds.append(v)
                case .text(let v): binds.append(v)
                }
            }
            let query = PostgresQuery(unsafeSQL: PostgresServeDatabase.numbered(sql), binds: binds)
            do {
                return try database.connection.query(query, logger: database.logger).wait()
            } catch {
                throw ServePostgresFailure(reason: PostgresServeDatabase.reason(error))
            }
        }

        static func value(_ cell: PostgresCell) throws -> StoreValue {
            guard cell.bytes != nil else { return .null }
            do {
                switch cell.dataType {
                case .int2: return .integer(Int64(try cell.decode(Int16.self)))
                case .int4: return .integer(Int64(try cell.decode(Int32.self)))
                case .int8: return .integer(try cell.decode(Int64.self))
                case .float4: return .real(Double(try cell.decode(Float.self)))
                case .float8: return .real(try cell.decode(Double.self))
                case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
                default: return .text(try cell.decode(String.self))
                }
            } catch {
                throw ServePostgresFailure(reason: "column \(cell.columnName): \(error)")
            }
        }
    }

    /// `?` placeholders as PostgreSQL's `$1`, `$2` … (a `?` inside a quoted literal stays).
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        var quoted = false
        var number = 0
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return out
    }

    static func configuration(_ location: PostgresLocation) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socket = location.socketDirectory {
            configuration = .init(unixSocketPath: "\(socket)/.s.PGSQL.\(location.port)", username: location.user,
                                  password: location.password, database: location.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch location.tlsMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: location.host, port: location.port, username: location.user, password: location.password,
                                  database: location.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// The server's message and SQLSTATE when it sent one, otherwise the error's own words (never a password).
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

struct ServePostgresFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
