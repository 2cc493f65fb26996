import Foundation
@testable import ZizhuHistory
import ZizhuTestSupport

/// The throw-away server `scripts/pg-cluster.sh start` prints (and `.ci/run` exports). Without it
/// the PostgreSQL tests are skipped: `.ci/run` has already said why the server could not start.
enum PostgresTestServer {
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["ZIZHU_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static let skipReason = "ZIZHU_TEST_POSTGRES_URL is not set: no PostgreSQL server (scripts/pg-cluster.sh start; .ci/run starts one)"

    /// A URL to a schema of its own (`zt_` + 16 random hex digits), so tests run in parallel apart; `drop` removes it.
    static func freshSchema() throws -> (url: String, schema: String) {
        guard let url else { throw ServerMissing() }
        let schema = "zt_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        return (url + (url.contains("?") ? "&" : "?") + "schema=\(schema)", String(schema))
    }

    /// Drops a test's schema and everything in it.
    static func drop(schema: String) {
        guard let url, let location = try? PostgresLocation(url: url), let session = try? PostgresSession.open(location) else { return }
        _ = try? session.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        session.close()
    }

    struct ServerMissing: Error, CustomStringConvertible {
        var description: String { PostgresTestServer.skipReason }
    }
}

extension PostgresTestServer {
    /// What a history made by `makeHistory` was opened with, by its backend's location.
    private static let opened = LockedBox<[String: (url: String, schema: String, secretPath: String)]>([:])

    /// A fresh schema, migrated, with its secret in `secretFolder`; nil when there is no server.
    static func makeHistory(secretFolder: ScratchFolder) throws -> History? {
        guard url != nil else { return nil }
        let (schemaURL, schema) = try freshSchema()
        let secretPath = secretFolder.file("history.secret")
        let history = try PostgresHistoryBackend.openHistory(url: schemaURL, secretPath: secretPath)
        opened.update { $0[history.backend.location] = (schemaURL, schema, secretPath) }
        return history
    }

    /// A second connection to the same schema, with the same secret.
    static func reopen(_ history: History) throws -> History {
        guard let entry = opened.value[history.backend.location] else { throw ServerMissing() }
        return try PostgresHistoryBackend.openHistory(url: entry.url, secretPath: entry.secretPath)
    }

    /// Drops the schema `makeHistory` made.
    static func discard(_ history: History) {
        guard let entry = opened.value[history.backend.location] else { return }
        drop(schema: entry.schema)
    }
}
