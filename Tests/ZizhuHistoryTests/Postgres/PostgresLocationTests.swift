import Foundation
import Testing
@testable import ZizhuHistory

@Suite("PostgreSQL history: the location URL")
struct PostgresLocationTests {
    @Test func parsesUserPasswordHostPortDatabaseAndParameters() throws {
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

    @Test func defaultsToPort5432NoTLSOnLoopbackTLSPreferredElsewhereAndTakesPGPASSWORD() throws {
        let local = try PostgresLocation(url: "postgresql://zizhu@127.0.0.1/history", environment: ["PGPASSWORD": "pw"])
        #expect(local.port == 5432)
        #expect(local.tlsMode == .disable)
        #expect(local.password == "pw")
        let remote = try PostgresLocation(url: "postgres://zizhu@db.office.lan/history", environment: [:])
        #expect(remote.tlsMode == .prefer)
        #expect(remote.password == nil)
    }

    @Test func socketFolderFromHostParameter() throws {
        let location = try PostgresLocation(url: "postgres://zizhu@localhost:5999/history?host=/tmp/pg", environment: [:])
        #expect(location.socketDirectory == "/tmp/pg")
        #expect(location.port == 5999)
    }

    @Test func refusesMissingUserMissingDatabaseUnknownParameterAndUnsafeSchema() {
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://host/db", environment: [:]) }
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://u@host", environment: [:]) }
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://u@host/db?x=1", environment: [:]) }
        #expect(throws: PostgresLocationError.self) {
            try PostgresLocation(url: "postgres://u@host/db?schema=a;drop", environment: [:])
        }
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "history.db", environment: [:]) }
    }

    @Test func errorsNeverShowThePassword() {
        #expect {
            try PostgresLocation(url: "postgres://u:hunter2@host", environment: [:])
        } throws: { error in
            !"\(error)".contains("hunter2")
        }
    }

    @Test func onlyPostgresSchemesAreURLs() {
        #expect(PostgresLocation.isPostgresURL("postgres://u@h/d"))
        #expect(PostgresLocation.isPostgresURL("POSTGRESQL://u@h/d"))
        #expect(!PostgresLocation.isPostgresURL("history.db"))
        #expect(!PostgresLocation.isPostgresURL("./postgres/history.db"))
    }
}
