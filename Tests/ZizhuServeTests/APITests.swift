import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ZizhuServe
import ZizhuTestSupport

/// A bearer token per account of the shared server.
enum SharedTokens {
    static let tokens: Task<[String: String], any Error> = Task {
        let harness = try await SharedServer.ready.value
        var tokens: [String: String] = [:]
        for account in ServeHarness.accounts {
            tokens[account.label] = try harness.server.store.addToken(account: account.label, label: "tests").token
        }
        return tokens
    }
}

func bearer(_ token: String?) -> HTTPFields {
    token.map { [.authorization: "Bearer \($0)"] } ?? [:]
}

struct APICase: Sendable, CustomTestStringConvertible {
    var path: String
    var readers: Set<String>
    var account: String?
    var testDescription: String { "GET \(path) as \(account ?? "no token")" }
}

let apiReadRoutes: [(path: String, readers: Set<String>)] = [
    ("/api/v1/jobs/1", schoolAReaders), ("/api/v1/jobs/1/findings", schoolAReaders),
    ("/api/v1/jobs/1/files/package", schoolAReaders), ("/api/v1/jobs/1/files/report", schoolAReaders),
    ("/api/v1/jobs/3", ["financeA"]), ("/api/v1/jobs/3/findings", ["financeA"]), ("/api/v1/jobs/3/files/ledger-xlsx", ["financeA"]),
    ("/api/v1/jobs/3/files/discrepancies-csv", []),
    ("/api/v1/jobs/4", ["provinceA"]), ("/api/v1/jobs/4/files/roster", ["provinceA"]),
    ("/api/v1/jobs/5", ["cityA", "provinceA"]), ("/api/v1/jobs/5/files/roster", ["cityA", "provinceA"]),
]

let apiCases: [APICase] = apiReadRoutes.flatMap { route in
    [APICase(path: route.path, readers: route.readers, account: nil)]
        + ServeHarness.accounts.map { APICase(path: route.path, readers: route.readers, account: $0.label) }
}

@Suite("JSON API") struct APITests {
    @Test("every API route is in the OpenAPI document, every documented path is routed, and nothing but the document answers without a token")
    func openAPIDocumentMatchesTheRoutes() async throws {
        let harness = try await SharedServer.ready.value
        let (version, statuses) = try await harness.test { client in
            let document = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: document.body)) as? [String: Any])
            let paths = try #require(object["paths"] as? [String: [String: Any]])
            var statuses: [String: HTTPResponse.Status] = [:]
            for (path, operations) in paths {
                for method in operations.keys {
                    let concrete = path.replacingOccurrences(of: "{code}", with: "3701J001").replacingOccurrences(of: "{region}", with: "370100")
                        .replacingOccurrences(of: "{job}", with: "1").replacingOccurrences(of: "{file}", with: "report")
                    let response = try await client.execute(uri: concrete, method: method == "post" ? .post : .get)
                    statuses["\(method.uppercased()) \(path)"] = response.status
                }
            }
            return (object["openapi"] as? String, statuses)
        }
        let routed = Set(ServeServer.apiRoutes.map { route in
            "\(route.method.rawValue) " + route.path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
        })
        #expect(Set(statuses.keys) == routed)
        #expect(version == "3.1.0")
        for (operation, status) in statuses {
            #expect(status == (operation == "GET /api/v1/openapi.json" ? .ok : .unauthorized), "\(operation)")
        }
    }

    @Test("API reads by job: the token's account reads what its pages read, and is refused the rest", arguments: apiCases)
    func apiRefusesEveryAccountOutOfScope(_ item: APICase) async throws {
        let harness = try await SharedServer.ready.value
        let tokens = try await SharedTokens.tokens.value
        let status = try await harness.test { client in
            try await client.execute(uri: item.path, method: .get, headers: bearer(item.account.flatMap { tokens[$0] })).status
        }
        switch item.account {
        case nil: #expect(status == .unauthorized)
        case let label? where item.readers.contains(label): #expect(status == .ok)
        default: #expect(status == .forbidden)
        }
    }

    @Test("a token is stored only as its hash, names its account, and a wrong or cookie-only request is refused")
    func tokensAreHashedAndNameTheirAccount() async throws {
        let harness = try await SharedServer.ready.value
        let (token, _) = try harness.server.store.addToken(account: "cityA", label: "city script")
        #expect(try !harness.server.store.storesTokenInClear(token))
        let browsers = try await SharedServer.browsers.value
        let (who, wrong, cookie) = try await harness.test { client in
            (try await client.execute(uri: "/api/v1/whoami", method: .get, headers: bearer(token)),
             try await client.execute(uri: "/api/v1/whoami", method: .get, headers: bearer("zz_" + String(repeating: "0", count: 64))).status,
             try await client.execute(uri: "/api/v1/whoami", method: .get, headers: try #require(browsers["cityA"]).headers).status)
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: who.body)) as? [String: String])
        #expect(object == ["name": "cityA", "role": "city", "scope": "370100"])
        #expect(wrong == .unauthorized)
        #expect(cookie == .unauthorized)
    }

    @Test("a school's script uploads through the API and reads its findings; another school's token is refused")
    func schoolUploadsThroughTheAPI() async throws {
        let harness = try ServeHarness()
        defer { harness.folder.cleanUp() }
        try await harness.server.startJobs()
        let tokenA = try harness.server.store.addToken(account: "schoolA", label: "t").token
        let tokenB = try harness.server.store.addToken(account: "schoolB", label: "t").token
        let files = [("roster", "roster.csv", try readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "roster.csv"))),
                     ("applications", "applications.csv", try readAll(ServeHarness.sampleFile(ServeHarness.schoolA, "applications.csv")))]
        let (refused, accepted): (HTTPResponse.Status, TestResponse) = try await harness.test { client in
            let refused = try await Self.multipart(client, "/api/v1/schools/3701J001/uploads", token: tokenB, files: files)
            let accepted = try await Self.multipart(client, "/api/v1/schools/3701J001/uploads", token: tokenA, files: files)
            return (refused.status, accepted)
        }
        #expect(refused == .forbidden)
        #expect(accepted.status == .accepted)
        let job = try #require(try JSONSerialization.jsonObject(with: Data(buffer: accepted.body)) as? [String: Any])
        #expect(job["kind"] as? String == "submit")
        await harness.server.queue.waitUntilIdle()
        let (status, findings) = try await harness.test { client in
            (try await client.execute(uri: "/api/v1/jobs/1", method: .get, headers: bearer(tokenA)),
             try await client.execute(uri: "/api/v1/jobs/1/findings", method: .get, headers: bearer(tokenA)))
        }
        let state = try #require(try JSONSerialization.jsonObject(with: Data(buffer: status.body)) as? [String: Any])
        #expect(state["state"] as? String == "finished")
        #expect((state["files"] as? [String])?.contains("/api/v1/jobs/1/files/package") == true)
        #expect(findings.status == .ok)
        #expect(OfficePagesTests.wholeIDs(String(buffer: findings.body)).isEmpty)
        #expect(try harness.server.store.auditLog().contains { $0.action == "run" && $0.account == "schoolA" && $0.object.contains("(api)") })
    }

    static func multipart(_ client: any TestClientProtocol, _ uri: String, token: String,
                          files: [(String, String, [UInt8])]) async throws -> TestResponse {
        let boundary = "----zizhuAPIBoundary"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"term\"\r\n\r\n2023-fall\r\n")
        for (field, name, bytes) in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\n\r\n")
            body.writeBytes(bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = bearer(token)
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
    }

    @Test("the tokens page makes a token shown once; without the form's CSRF token nothing is made")
    func tokensPageMakesATokenOnce() async throws {
        let harness = try await SharedServer.ready.value
        let browser = try #require(try await SharedServer.browsers.value["financeB"])
        let (made, refused) = try await harness.test { client in
            (String(buffer: try await browser.post(client, "/account/tokens", fields: ["label": "nightly"]).body),
             try await browser.post(client, "/account/tokens", fields: ["label": "sneaky"], csrf: false).status)
        }
        #expect(made.contains("zz_"))
        #expect(refused == .forbidden)
        let labels = try harness.server.store.tokens(account: "financeB").map(\.label)
        #expect(labels.contains("nightly"))
        #expect(!labels.contains("sneaky"))
    }
}
