import Foundation
import Hummingbird
import ZizhuCore

/// `/api/v1/`: the pages' actions as JSON for a city's or a school's own scripts — upload, run,
/// status, findings, downloads — with a per-account bearer token (`Authorization: Bearer zz_…`)
/// and the same AccessPolicy as the pages. `APIDocument.openAPI` describes every route of
/// `apiRoutes`; a test checks both ways.
extension ServeServer {
    enum APIAction: Sendable {
        case openapi, whoami, schoolUpload, schoolPackage, financeUpload, merge, job, findings, file
    }

    struct APIRoute: Sendable {
        let method: HTTPRequest.Method
        /// Hummingbird's form (`:name` parameters).
        let path: String
        let action: APIAction
    }

    /// Every API route: the routes are registered from this table, and the OpenAPI test reads it.
    static let apiRoutes: [APIRoute] = [
        APIRoute(method: .get, path: "/api/v1/openapi.json", action: .openapi),
        APIRoute(method: .get, path: "/api/v1/whoami", action: .whoami),
        APIRoute(method: .post, path: "/api/v1/schools/:code/uploads", action: .schoolUpload),
        APIRoute(method: .post, path: "/api/v1/schools/:code/packages", action: .schoolPackage),
        APIRoute(method: .post, path: "/api/v1/finance/uploads", action: .financeUpload),
        APIRoute(method: .post, path: "/api/v1/regions/:region/merges", action: .merge),
        APIRoute(method: .get, path: "/api/v1/jobs/:job", action: .job),
        APIRoute(method: .get, path: "/api/v1/jobs/:job/findings", action: .findings),
        APIRoute(method: .get, path: "/api/v1/jobs/:job/files/:file", action: .file),
    ]

    func addAPIRoutes(to router: Router<ServeContext>) {
        for route in Self.apiRoutes {
            router.on(RouterPath(route.path), method: route.method) { request, context in
                try await self.api(route.action, request, context: context)
            }
        }
    }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func apiError(_ status: HTTPResponse.Status, _ message: String, hint: String? = nil) -> Response {
        var object: [String: Any] = ["error": message, "status": status.code]
        if let hint { object["hint"] = hint }
        return json(object, status: status)
    }

    static var apiRefuse: Refuse {
        { status, heading, text, hint in apiError(status, "\(heading): \(text)", hint: hint) }
    }

    /// The account of the request's bearer token, as a session without a CSRF token (no cookie, no form).
    func apiSession(_ request: Request) throws -> Session? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        let token = header.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        return try store.account(apiToken: token).map { Session(account: $0, csrf: "") }
    }

    func api(_ action: APIAction, _ request: Request, context: ServeContext) async throws -> Response {
        if action == .openapi {
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: APIDocument.openAPI)))
        }
        guard let session = try apiSession(request) else {
            var response = Self.apiError(.unauthorized, "a valid API token is needed", hint: "Authorization: Bearer zz_… (zizhu users token, or the page /account/tokens)")
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        let account = session.account
        switch action {
        case .openapi:
            return Self.apiError(.notFound, "no such route")
        case .whoami:
            return Self.json(["name": account.name, "role": account.role.rawValue, "scope": account.scope])
        case .schoolUpload:
            let code = try context.parameters.require("code").uppercased()
            guard AccessPolicy.canUpload(schoolCode: code, as: account) else {
                return Self.apiError(.forbidden, "only the school's own 学校用户 account uploads for \(code)")
            }
            let upload = try await receiveOfficeUpload(request, context: context, session: session, owner: "school \(code)", back: "",
                                                       allowed: ["roster", "applications"], csrf: false, refuse: Self.apiRefuse)
            guard case .stored(let fields, let files) = upload else {
                if case .refused(let response) = upload { return response }
                return Self.apiError(.badRequest, "upload refused")
            }
            let term = (fields["term"] ?? configuration.term).trimmingCharacters(in: .whitespaces)
            let rosters = files.filter { $0.field == "roster" }, applications = files.filter { $0.field == "applications" }
            guard rosters.count == 1, applications.count == 1, (1...40).contains(term.count) else {
                return Self.apiError(.badRequest, "send one roster, one applications file and a term")
            }
            let job = try store.addJob(school: code, term: term, roster: rosters[0].record.id, applications: applications[0].record.id,
                                       account: account.name)
            try store.audit(.run, account: account.name, object: "school \(code) job \(job.id) submit \(term) (api)", address: context.address)
            await queue.wake()
            return Self.json(jobObject(job), status: .accepted)
        case .schoolPackage:
            let code = try context.parameters.require("code").uppercased()
            switch try await acceptPackage(request, context: context, session: session, code: code, csrf: false, refuse: Self.apiRefuse) {
            case .refused(let response):
                return response
            case .accepted(let job, let submission, let fresh):
                var object: [String: Any] = ["job": jobObject(job)]
                if let submission {
                    object["submission"] = ["id": submission.id, "school": submission.school, "term": submission.term,
                                            "fingerprint": submission.fingerprint, "package_sha256": submission.packageSHA256,
                                            "at": Self.format(submission.at)] as [String: Any]
                }
                return Self.json(object, status: fresh ? .created : .ok)
            }
        case .financeUpload:
            guard account.role == .finance else { return Self.apiError(.forbidden, "only a finance account reconciles") }
            switch try await startReconcile(request, context: context, session: session, csrf: false, refuse: Self.apiRefuse) {
            case .job(let job): return Self.json(jobObject(job), status: .accepted)
            case .refused(let response): return response
            }
        case .merge:
            let region = try context.parameters.require("region")
            var request = request
            let body = (try? await request.collectBody(upTo: 64 * 1024)).map { String(buffer: $0) } ?? ""
            let fields = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
            let term = (fields["term"] as? String ?? configuration.term).trimmingCharacters(in: .whitespaces)
            switch try await startMergeJob(region: region, term: term, session: session, context: context, refuse: Self.apiRefuse) {
            case .job(let job): return Self.json(jobObject(job), status: .accepted)
            case .refused(let response): return response
            }
        case .job, .findings, .file:
            guard let id = context.parameters.get("job", as: Int64.self), let job = try store.job(id: id) else {
                return Self.apiError(.notFound, "no such job")
            }
            guard try canRead(job, as: account) else { return Self.apiError(.forbidden, "this account may not see job \(id)") }
            if action == .job { return Self.json(jobObject(job)) }
            guard job.state == .finished else { return Self.apiError(.conflict, "the job has not finished", hint: "GET /api/v1/jobs/\(id) shows its state") }
            if action == .findings {
                let view = FindingsView(outFolder: runner.outFolder(of: job.id))
                return Self.json(["job": job.id, "rows_read": view.rowsRead, "rows_rejected": view.rowsRejected,
                                  "finding_count": view.findingCount, "findings": view.findings, "rejects": view.rejects])
            }
            guard let key = context.parameters.get("file"), let file = downloads(of: job)[key] else {
                return Self.apiError(.notFound, "no such file", hint: "GET /api/v1/jobs/\(id) lists the files")
            }
            if file.unmasked && !AccessPolicy.canUnmask(account, roles: configuration.unmaskRoles) {
                return Self.apiError(.forbidden, "this file holds whole ids; this role may not unmask")
            }
            let path = file.name.hasPrefix("/") ? file.name : "\(runner.outFolder(of: job.id))/\(file.name)"
            return try outputFile(path, name: (file.name as NSString).lastPathComponent, contentType: file.type, session: session, job: job,
                                  context: context, action: file.unmasked ? .unmask : .download)
        }
    }

    /// Whether `account` may read a job of any kind: a school's through its school, a reconcile
    /// through the finance office's region, a merge through its region.
    func canRead(_ job: JobRecord, as account: Account) throws -> Bool {
        switch job.kind {
        case .submit: AccessPolicy.canRead(schoolCode: job.school, school: try store.school(code: job.school), as: account)
        case .reconcile: AccessPolicy.canReconcile(scope: job.scope, as: account)
        case .merge: AccessPolicy.canReadRegion(job.scope, as: account)
        }
    }

    /// A finished job's downloads, by key.
    func downloads(of job: JobRecord) -> [String: (name: String, type: String, unmasked: Bool)] {
        guard job.state == .finished else { return [:] }
        let out = runner.outFolder(of: job.id)
        var files: [String: (name: String, type: String, unmasked: Bool)] = [:]
        switch job.kind {
        case .submit:
            files["report"] = ("report.html", "text/html; charset=utf-8", false)
            if job.isClean, let package = runner.package(of: job.id) {
                files["package"] = (package, "application/zip", false)
                files["declaration"] = ("declaration.html", "text/html; charset=utf-8", false)
            }
        case .reconcile:
            files = Self.financeFiles
        case .merge:
            for (key, file) in Self.mergeFiles { files[key] = (file.name, file.type, false) }
        }
        return files.filter { FileManager.default.fileExists(atPath: $0.value.name.hasPrefix("/") ? $0.value.name : "\(out)/\($0.value.name)") }
    }

    func jobObject(_ job: JobRecord) -> [String: Any] {
        var object: [String: Any] = ["id": job.id, "kind": job.kind.rawValue, "scope": job.scope, "term": job.term, "state": job.state.rawValue,
                                     "account": job.account, "created_at": Self.format(job.createdAt)]
        if let status = job.exitStatus { object["exit_status"] = status }
        if let message = job.message { object["message"] = message }
        if let run = job.historyRun { object["history_run"] = run }
        object["files"] = downloads(of: job).keys.sorted().map { "/api/v1/jobs/\(job.id)/files/\($0)" }
        return object
    }
}
