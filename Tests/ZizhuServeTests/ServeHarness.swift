import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZizhuServe
import ZizhuTestSupport

/// A server on a scratch data folder with the sample schools and one account per role (and a
/// second school, city and province to be refused), driven through the router (no socket).
struct ServeHarness: Sendable {
    static let password = "correct-horse-battery"
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let schoolA = "3701J001"   // 济南市 370100
    static let schoolB = "3702J001"   // 青岛市 370200

    /// Every account, by a short label: the school A side, the other school's side, the others.
    static let accounts: [(label: String, role: Role, scope: String)] = [
        ("schoolA", .school, schoolA), ("principalA", .principal, schoolA),
        ("schoolB", .school, schoolB), ("principalB", .principal, schoolB),
        ("cityA", .city, "370100"), ("cityB", .city, "370200"),
        ("provinceA", .province, "370000"), ("provinceOther", .province, "440000"),
        ("financeA", .finance, "370100"), ("financeB", .finance, "370200"), ("admin", .admin, "-"),
    ]

    let folder: ScratchFolder
    let server: ServeServer

    init(maxUploadBytes: Int64 = 20 << 20, throttle: LoginThrottle = LoginThrottle(), clock: ServeClock = .system,
         unmaskRoles: Set<Role> = [], trustFolder: String? = nil, store: String? = nil) throws {
        folder = try ScratchFolder(prefix: "zizhu-serve-test")
        var configuration = ServeConfiguration(dataFolder: folder.file("data"))
        configuration.bcryptCost = 4
        configuration.maxUploadBytes = maxUploadBytes
        configuration.throttle = throttle
        configuration.clock = clock
        configuration.unmaskRoles = unmaskRoles
        configuration.trustFolder = trustFolder
        configuration.store = store
        server = try ServeServer(configuration: configuration)
        try server.store.upsertSchools(SchoolList.read(path: "\(Self.packageRoot)/sample-data/schools.csv"))
        for account in Self.accounts {
            _ = try server.store.addAccount(name: account.label, role: account.role, scope: account.scope,
                                            password: Self.password, cost: 4)
        }
    }

    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: server.router())
        return try await app.test(.router, body)
    }

    static func financeFile(_ name: String) -> String { "\(packageRoot)/sample-data/finance/\(name)" }

    /// The finance office's sample upload: approved list, two bank files, roster, allocations.
    static func financeUpload() throws -> [(field: String, name: String, bytes: [UInt8])] {
        [("approved", "approved.csv", try readAll(financeFile("approved.csv"))),
         ("ledger", "ledger-ccb.csv", try readAll(financeFile("ledger-ccb.csv"))),
         ("ledger", "ledger-icbc.csv.gz", try readAll(financeFile("ledger-icbc.csv.gz"))),
         ("roster", "roster.csv.gz", try readAll(financeFile("roster.csv.gz"))),
         ("allocations", "allocations.csv", try readAll(financeFile("allocations.csv")))]
    }

    static func sampleFile(_ school: String, _ name: String) -> String {
        let city = school == schoolA ? "370100" : school == schoolB ? "370200" : "440100"
        return "\(packageRoot)/sample-data/city/\(city)/\(school)/\(name)"
    }
}

/// A signed-in browser: the session cookie and the session's CSRF token.
struct Browser: Sendable {
    var cookie: String
    var csrf: String

    static let anonymous = Browser(cookie: "", csrf: "")

    var headers: HTTPFields {
        cookie.isEmpty ? [:] : [.cookie: cookie]
    }

    /// Signs in through the login form, as a browser would.
    static func signIn(_ client: any TestClientProtocol, name: String, password: String = ServeHarness.password,
                       address: String? = nil) async throws -> (status: HTTPResponse.Status, browser: Browser?) {
        let form = try await client.execute(uri: "/login", method: .get)
        let loginCookie = cookieValue(form, "zizhu_login") ?? ""
        let token = hiddenCSRF(String(buffer: form.body)) ?? ""
        let body = "csrf=\(token)&name=\(name)&password=\(password)"
        let response = try await client.execute(uri: "/login", method: .post,
                                                headers: [.cookie: "zizhu_login=\(loginCookie)", .contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: body))
        guard response.status == .seeOther, let session = cookieValue(response, "zizhu_session") else {
            return (response.status, nil)
        }
        var browser = Browser(cookie: "zizhu_session=\(session)", csrf: "")
        let home = try await client.execute(uri: response.headers[.location] ?? "/", method: .get, headers: browser.headers)
        browser.csrf = hiddenCSRF(String(buffer: home.body)) ?? ""
        return (response.status, browser)
    }

    static func cookieValue(_ response: TestResponse, _ name: String) -> String? {
        for header in response.headers[values: .setCookie] {
            let first = header.split(separator: ";").first.map(String.init) ?? ""
            if first.hasPrefix("\(name)=") { return String(first.dropFirst(name.count + 1)) }
        }
        return nil
    }

    static func hiddenCSRF(_ html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// A urlencoded POST with (or without) the CSRF token.
    func post(_ client: any TestClientProtocol, _ uri: String, fields: [String: String] = [:], csrf: Bool = true) async throws -> TestResponse {
        var fields = fields
        if csrf { fields["csrf"] = self.csrf }
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        var headers = self.headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// A multipart POST of any files (field, file name, bytes) and fields, with (or without) the CSRF token.
    func uploadFiles(_ client: any TestClientProtocol, _ uri: String, files: [(field: String, name: String, bytes: [UInt8])],
                     fields: [String: String] = ["term": "2023-fall"], csrf: Bool = true) async throws -> TestResponse {
        let boundary = "----zizhuTestBoundaryQ7kd02LxM"
        var body = ByteBuffer()
        var fields = fields
        if csrf { fields["csrf"] = self.csrf }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = self.headers
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
    }

    func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// A multipart upload of two files (roster, applications) and the form's fields.
    func upload(_ client: any TestClientProtocol, school: String, roster: (name: String, bytes: [UInt8]),
                applications: (name: String, bytes: [UInt8]), csrf: Bool = true, term: String = "2023-fall") async throws -> TestResponse {
        let boundary = "----zizhuTestBoundary7MA4YWxkTrZu0gW"
        var body = ByteBuffer()
        if csrf { body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(self.csrf)\r\n") }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"term\"\r\n\r\n\(term)\r\n")
        for (field, file) in [("roster", roster), ("applications", applications)] {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = self.headers
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await client.execute(uri: "/schools/\(school)/uploads", method: .post, headers: headers, body: body)
    }
}

/// A clock tests move by hand (throttling windows), never by sleeping.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = Date(timeIntervalSince1970: 1_700_000_000)

    var clock: ServeClock { ServeClock { self.read() } }

    func read() -> Date { lock.withLock { now } }

    func advance(_ seconds: TimeInterval) { lock.withLock { now += seconds } }
}

func readAll(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}
