import Foundation
import PostgresNIO

/// One connection to a PostgreSQL history, with the history's schema on its search path.
///
/// A run holds one session for its whole recording: one connection, one transaction at a time.
public final class PostgresSession: Sendable {
    public let location: PostgresLocation
    let connection: PostgresConnection
    let logger: Logger

    init(location: PostgresLocation, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.connection = connection
        self.logger = logger
    }

    /// Connects; when the location names a schema, creates it if missing and puts it first on the search path.
    public static func open(_ location: PostgresLocation) async throws -> PostgresSession {
        let logger = Logger(label: "zizhu.history.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try location.configuration(),
                                                              id: 1, logger: logger)
        } catch {
            throw PostgresStoreError.cannotConnect(location: location.description, reason: PostgresStoreError.reason(error))
        }
        let session = PostgresSession(location: location, connection: connection, logger: logger)
        do {
            if let schema = location.schema {
                // The name passed isPlainIdentifier: lower-case letters, digits, `_`.
                try await session.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
                try await session.execute("SET search_path TO \(schema)")
            }
        } catch {
            await session.close()
            throw error
        }
        return session
    }

    public func close() async {
        try? await connection.close()
    }

    /// Runs a statement whose rows (if any) are discarded.
    public func execute(_ sql: String) async throws {
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            throw PostgresStoreError.query(reason: PostgresStoreError.reason(error))
        }
    }

    /// Runs a query with binds; rows are discarded.
    public func execute(_ query: PostgresQuery) async throws {
        do {
            try await connection.query(query, logger: logger)
        } catch {
            throw PostgresStoreError.query(reason: PostgresStoreError.reason(error))
        }
    }

    /// The first column of the first row as an integer (`select 1`, `select count(*) …`).
    public func scalarInt(_ sql: String) async throws -> Int? {
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            for try await row in rows {
                return try row.decode(Int.self, context: .default)
            }
            return nil
        } catch {
            throw PostgresStoreError.query(reason: PostgresStoreError.reason(error))
        }
    }
}

public enum PostgresStoreError: Error, Equatable, CustomStringConvertible {
    case cannotConnect(location: String, reason: String)
    case query(reason: String)

    public var description: String {
        switch self {
        case .cannotConnect(let location, let reason): "cannot connect to the history at \(location): \(reason)"
        case .query(let reason): "the PostgreSQL history refused a statement: \(reason)"
        }
    }

    /// The server's message and SQLSTATE when it sent one, otherwise the error's own words (never a password).
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            return "\(error.code)"
        }
        return "\(error)"
    }

    /// The SQLSTATE the server sent with the error, if any (40001 serialization failure, 40P01 deadlock).
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
