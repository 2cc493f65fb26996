import Foundation
@testable import ZizhuHistory

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
