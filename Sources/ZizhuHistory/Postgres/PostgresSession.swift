import Foundation
import PostgresNIO

/// One connection to a PostgreSQL history, used synchronously.
///
/// The history's backends are synchronous (the jobs run on threads), and postgres-nio is
/// asynchronous inside. Each statement here goes through postgres-nio's EventLoopFuture API and
/// the calling thread waits for it (`wait()`): the work happens on NIO's own event-loop threads,
/// never on Swift's cooperative pool, so a caller blocking in a task (a test, a future async CLI)
/// cannot starve the pool that would have to finish the work. One statement, and one transaction,
/// at a time per session: `lock` serializes callers that share it.
final class PostgresSession: Sendable {
    let location: PostgresLocation
    private let connection: PostgresConnection
    private let logger: Logger
    private let lock = NSLock()

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.connection = connection
        self.logger = logger
    }

    /// Closes the connection and waits for it (postgres-nio wants every connection closed before it
    /// goes). The last reference is always dropped on a thread of ours, never on an event loop.
    deinit {
        try? connection.close().wait()
    }

    /// Connects; when the location names a schema, creates it if missing and makes it the only one on
    /// the search path (unqualified table names are the history's).
    static func open(_ location: PostgresLocation) throws -> PostgresSession {
        // postgres-nio logs at debug and trace; nothing of it is for the officer's terminal.
        var logger = Logger(label: "zizhu.history.postgres")
        logger.logLevel = .critical
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(),
                                                        configuration: try location.configuration(),
                                                        id: 1, logger: logger).wait()
        } catch {
            throw PostgresFailure.cannotConnect(location: location.description, reason: PostgresFailure.reason(error))
        }
        let session = PostgresSession(location: location, connection: connection, logger: logger)
        if let schema = location.schema {
            // isPlainIdentifier holds for it: lower-case letters, digits and `_` only. CREATE SCHEMA IF
            // NOT EXISTS is not safe against itself on another connection: one creator at a time.
            try session.transaction {
                try session.execute("SELECT pg_advisory_xact_lock(hashtext('zizhu.history.schema.\(schema)'))")
                try session.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
            }
            try session.execute("SET search_path TO \(schema)")
        }
        return session
    }

    func close() {
        try? connection.close().wait()
    }

    /// Runs one statement and returns its rows (all of them, in memory).
    @discardableResult
    func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw PostgresFailure.statement(reason: PostgresFailure.reason(error), sqlState: PostgresFailure.sqlState(error))
        }
    }

    /// Runs one statement without binds.
    @discardableResult
    func execute(_ sql: String) throws -> PostgresQueryResult {
        try query(PostgresQuery(unsafeSQL: sql))
    }

    /// The first column of the first row as an integer (`select 1`, `select count(*) …`), nil without rows.
    func scalarInt(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> Int64? {
        guard let row = try query(PostgresQuery(unsafeSQL: sql, binds: binds)).first, let cell = row.first else { return nil }
        do {
            return try cell.decode(Int64?.self, context: .default)
        } catch {
            throw PostgresFailure.statement(reason: "\(error)", sqlState: nil)
        }
    }

    /// `body` inside BEGIN … COMMIT; ROLLBACK when it throws. Holds the session's lock throughout,
    /// so no other caller's statement lands in the transaction.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// `body` with the session's lock held, outside a transaction (reads: one statement each).
    func serialized<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

/// What went wrong talking to the server, before it becomes a ZizhuError with the history's words.
enum PostgresFailure: Error, CustomStringConvertible {
    case cannotConnect(location: String, reason: String)
    case statement(reason: String, sqlState: String?)

    var description: String {
        switch self {
        case .cannotConnect(let location, let reason): "cannot connect to \(location): \(reason)"
        case .statement(let reason, _): reason
        }
    }

    /// The server's message and SQLSTATE when it sent one, otherwise the error's own words (never a password).
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    /// The SQLSTATE the server sent with the error, if any (55P03 lock timeout, 40P01 deadlock …).
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
