import Foundation
import Testing
@testable import ZizhuHistory

/// The throw-away server `scripts/pg-cluster.sh start` prints (and `.ci/run` exports); without it the
/// PostgreSQL tests are skipped, and `.ci/run` has already said why the server could not start.
let postgresTestURL = ProcessInfo.processInfo.environment["ZIZHU_TEST_POSTGRES_URL"]

@Suite("PostgreSQL connection",
       // Needs a running server: ZIZHU_TEST_POSTGRES_URL from scripts/pg-cluster.sh (started by .ci/run).
       .enabled(if: postgresTestURL != nil, "ZIZHU_TEST_POSTGRES_URL is not set: no PostgreSQL server (scripts/pg-cluster.sh start)"))
struct PostgresConnectTests {
    @Test func connectsAndSelectsOne() async throws {
        let location = try PostgresLocation(url: try #require(postgresTestURL))
        let session = try await PostgresSession.open(location)
        let one = try await session.scalarInt("select 1")
        await session.close()
        #expect(one == 1)
    }

    @Test func wrongPortIsACannotConnectErrorNamingTheServerWithoutPassword() async throws {
        var location = try PostgresLocation(url: try #require(postgresTestURL))
        location.socketDirectory = nil
        location.host = "127.0.0.1"
        location.port = 1
        location.password = "s3cret"
        await #expect {
            _ = try await PostgresSession.open(location)
        } throws: { error in
            guard case PostgresStoreError.cannotConnect(let where_, _) = error else { return false }
            return where_.contains("127.0.0.1:1") && !"\(error)".contains("s3cret")
        }
    }
}

@Suite("PostgreSQL location")
struct PostgresLocationTests {
    @Test func parsesUserHostPortDatabaseAndParameters() throws {
        let location = try PostgresLocation(url: "postgres://officer:pw%40x@db.example:6543/zizhu?sslmode=require&schema=t1",
                                            environment: [:])
        #expect(location.user == "officer")
        #expect(location.password == "pw@x")
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.database == "zizhu")
        #expect(location.tlsMode == .require)
        #expect(location.schema == "t1")
        #expect(location.description == "postgres://officer@db.example:6543/zizhu?schema=t1")
    }

    @Test func defaultsToPort5432AndNoTLSOnLoopbackAndTakesPGPASSWORD() throws {
        let location = try PostgresLocation(url: "postgresql://zizhu@127.0.0.1/history", environment: ["PGPASSWORD": "pw"])
        #expect(location.port == 5432)
        #expect(location.tlsMode == .disable)
        #expect(location.password == "pw")
    }

    @Test func socketFolderFromHostParameter() throws {
        let location = try PostgresLocation(url: "postgres://zizhu@localhost:5999/history?host=/tmp/pg", environment: [:])
        #expect(location.socketDirectory == "/tmp/pg")
        #expect(location.port == 5999)
    }

    @Test func rejectsMissingUserMissingDatabaseUnknownParameterAndUnsafeSchema() {
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://host/db", environment: [:]) }
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://u@host", environment: [:]) }
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://u@host/db?x=1", environment: [:]) }
        #expect(throws: PostgresLocationError.self) {
            try PostgresLocation(url: "postgres://u@host/db?schema=a;drop", environment: [:])
        }
    }

    @Test func errorsNeverShowThePassword() {
        #expect {
            try PostgresLocation(url: "postgres://u:hunter2@host", environment: [:])
        } throws: { error in !"\(error)".contains("hunter2") }
    }

    @Test func onlyPostgresSchemesAreURLs() {
        #expect(PostgresLocation.isPostgresURL("postgres://u@h/d"))
        #expect(PostgresLocation.isPostgresURL("POSTGRESQL://u@h/d"))
        #expect(!PostgresLocation.isPostgresURL("history.db"))
    }
}
