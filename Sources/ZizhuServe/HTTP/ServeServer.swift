import Crypto
import Foundation
import Hummingbird
import ZizhuCore
import ZizhuHistory
import ZizhuPackage

/// `zizhu serve`: the store, the blobs, the job queue and the routes, on Hummingbird 2.
///
/// Every route that shows or changes a school's data asks `AccessPolicy` with the session's
/// account; every POST checks the session's CSRF token first. Refusals are pages with a reason,
/// never a crash: the server keeps serving.
public final class ServeServer: Sendable {
    public let configuration: ServeConfiguration
    public let store: ServeStore
    public let queue: JobQueue
    let blobs: BlobStore
    let runner: JobRunner
    let pages: PageRenderer
    /// The run history of reconcile and merge runs (`history:`, default `DIR/history.sqlite`; ZizhuHistory's own store).
    let history: History
    /// A hash no password matches, at the configured cost: an unknown name costs what a known one does.
    let decoyHash: String
    /// The trust folder (`--trust`), opened: uploaded packages are verified against it.
    let trust: TrustStore?
    /// The schools' signing keys (`DATA/keys`): the principal's submission signs with the school's.
    public let keys: SchoolKeys

    static let sessionCookie = "zizhu_session"
    static let loginCookie = "zizhu_login"

    public init(configuration: ServeConfiguration) throws {
        self.configuration = configuration
        let folder = configuration.dataFolder
        do {
            try FileManager.default.createDirectory(atPath: "\(folder)/jobs", withIntermediateDirectories: true)
        } catch {
            throw ZizhuError(.ioFailure, Message("serveError.dataFolder"), at: InputPosition(file: folder),
                             hint: Message("serveError.dataFolder.hint"))
        }
        trust = try configuration.trustFolder.map { try TrustStore(folder: $0) }
        keys = SchoolKeys(dataFolder: folder)
        store = try ServeStore(store: configuration.store, dataFolder: folder, clock: configuration.clock)
        blobs = try BlobStore(root: folder)
        runner = JobRunner(store: store, blobs: blobs, dataFolder: folder, trustFolder: configuration.trustFolder,
                           historyPath: configuration.historyLocation)
        queue = JobQueue(store: store, runner: runner, workers: configuration.workers)
        pages = try PageRenderer()
        history = try History.open(runner.historyPath)
        decoyHash = Passwords.hash(Tokens.random(), cost: configuration.bcryptCost)
        // Half-received uploads from before a crash or restart are debris.
        if let debris = try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/tmp") {
            for name in debris where name.hasSuffix(".part") { try? FileManager.default.removeItem(atPath: "\(folder)/tmp/\(name)") }
        }
    }

    /// Starts the job workers (re-queuing jobs a restart interrupted); returns how many were re-queued.
    @discardableResult
    public func startJobs() async throws -> Int {
        try await queue.start()
    }

    /// Serves until SIGINT/SIGTERM.
    public func run(onStarted: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        try await startJobs()
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                onStarted("http://\(self.configuration.host):\(channel.localAddress?.port ?? self.configuration.port)/")
            })
        try await app.runService()
        await queue.stop()
    }

    // MARK: Routes

    public func router() -> Router<ServeContext> {
        let router = Router(context: ServeContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: RefusalMiddleware())
        router.get("/") { request, _ in
            guard let session = self.session(request) else { return PageRenderer.redirect("/login") }
            return PageRenderer.redirect(AccessPolicy.home(of: session.account))
        }
        router.get("/login") { _, _ in self.loginPage(message: nil, name: "", status: .ok) }
        router.post("/login") { request, context in try await self.login(request, context: context) }
        router.post("/logout") { request, context in try await self.logout(request, context: context) }
        router.get("/schools") { request, _ in try self.schoolList(request) }
        router.get("/schools/:code") { request, context in try self.schoolPage(request, context: context) }
        router.post("/schools/:code/uploads") { request, context in try await self.upload(request, context: context) }
        router.post("/schools/:code/packages") { request, context in try await self.uploadPackage(request, context: context) }
        router.get("/schools/:code/jobs/:job") { request, context in try self.jobPage(request, context: context) }
        router.get("/schools/:code/jobs/:job/package") { request, context in try self.download(request, context: context, what: .package) }
        router.get("/schools/:code/jobs/:job/declaration") { request, context in try self.download(request, context: context, what: .declaration) }
        router.get("/schools/:code/jobs/:job/report") { request, context in try self.download(request, context: context, what: .report) }
        router.post("/schools/:code/jobs/:job/submit") { request, context in try await self.submit(request, context: context) }
        router.get("/schools/:code/submissions/:submission") { request, context in try self.receipt(request, context: context) }
        addFinanceRoutes(to: router)
        addRegionRoutes(to: router)
        addAPIRoutes(to: router)
        addTokenRoutes(to: router)
        router.get("/admin/accounts") { request, _ in try self.accountsPage(request, message: nil) }
        router.post("/admin/accounts") { request, context in try await self.addAccount(request, context: context) }
        return router
    }

    // MARK: Sessions

    func session(_ request: Request) -> Session? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else { return nil }
        return try? store.session(token: token)
    }

    func cookie(_ name: String, value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true,
               sameSite: .strict)
    }

    func notSignedIn() -> Response {
        var response = pages.message("请先登录", "请先登录。 Please sign in first.", status: .unauthorized, session: nil, back: "/login")
        response.headers[.location] = "/login"
        return response
    }

    func forbidden(_ session: Session, _ reason: String) -> Response {
        pages.message("无权访问 Forbidden", reason, status: .forbidden, session: session, back: AccessPolicy.home(of: session.account))
    }

    func notFound(_ session: Session?) -> Response {
        pages.message("未找到 Not found", "没有这个页面。 No such page.", status: .notFound, session: session, back: "/")
    }

    /// The fields of a urlencoded form (small: 64 KiB at most).
    func form(_ request: Request) async throws -> [String: String]? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: 64 * 1024) else { return nil }
        return URLForm.parse(String(buffer: buffer))
    }

    func csrfValid(_ fields: [String: String], _ session: Session) -> Bool {
        guard let token = fields["csrf"], !token.isEmpty else { return false }
        return Tokens.equal(token, session.csrf)
    }

    func csrfRefused(_ session: Session) -> Response {
        pages.message("请求无效 Invalid request", "表单已过期或来源不明（缺少有效的 CSRF 令牌）。 The form is stale or did not come from this site.",
                      hint: "返回上一页，刷新后再提交。 Go back, reload the page and send it again.", status: .forbidden, session: session,
                      back: AccessPolicy.home(of: session.account))
    }

    // MARK: Login

    func loginPage(message: String?, name: String, status: HTTPResponse.Status) -> Response {
        let token = Tokens.random()
        var values: [String: Any] = ["csrf": token, "name": name]
        if let message { values["message"] = message }
        var response = pages.page("login", title: "登录", values: values, session: nil, status: status)
        response.setCookie(cookie(Self.loginCookie, value: token))
        return response
    }

    func login(_ request: Request, context: ServeContext) async throws -> Response {
        guard let fields = try await form(request) else { return loginPage(message: "表单无效。 Invalid form.", name: "", status: .badRequest) }
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = fields["password"] ?? ""
        // Login CSRF: the form's token must match the cookie set with the form (double submit).
        guard let cookieToken = request.cookies[Self.loginCookie]?.value, let formToken = fields["csrf"],
              !formToken.isEmpty, Tokens.equal(cookieToken, formToken) else {
            return loginPage(message: "表单已过期，请重新登录。 The form expired; sign in again.", name: name, status: .forbidden)
        }
        let address = context.address
        if try store.loginThrottled(name: name, address: address, limits: configuration.throttle) {
            try store.audit(.loginFailed, account: name, object: "throttled", address: address)
            let minutes = Int(configuration.throttle.window / 60)
            return loginPage(message: "登录失败次数过多，请 \(minutes) 分钟后再试。 Too many failed sign-ins; try again in \(minutes) minutes.",
                             name: name, status: .tooManyRequests)
        }
        let credentials = try store.credentials(name: name)
        let hash = credentials?.1 ?? decoyHash
        let matches = await JobQueue.onThread { Passwords.verify(password, hash: hash) }
        guard let credentials, matches else {
            try store.recordLoginFailure(name: name, address: address)
            try store.audit(.loginFailed, account: name, object: "password", address: address)
            return loginPage(message: "账号或密码不正确。 Wrong account or password.", name: name, status: .unauthorized)
        }
        let account = credentials.0
        try store.clearLoginFailures(name: name)
        let (token, _) = try store.openSession(for: account)
        try store.audit(.login, account: account.name, object: "session", address: address)
        var response = PageRenderer.redirect(AccessPolicy.home(of: account))
        response.setCookie(cookie(Self.sessionCookie, value: token))
        response.setCookie(cookie(Self.loginCookie, value: "-", maxAge: 0))
        return response
    }

    func logout(_ request: Request, context: ServeContext) async throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        guard let fields = try await form(request), csrfValid(fields, session) else { return csrfRefused(session) }
        if let token = request.cookies[Self.sessionCookie]?.value { try store.closeSession(token: token) }
        try store.audit(.logout, account: session.account.name, object: "session", address: context.address)
        var response = PageRenderer.redirect("/login")
        response.setCookie(cookie(Self.sessionCookie, value: "-", maxAge: 0))
        return response
    }

    // MARK: Schools

    /// The school of the URL, when the session may read it; otherwise throws the refusal to send.
    func readableSchool(_ request: Request, context: ServeContext) throws -> (session: Session, code: String, school: School?) {
        guard let session = session(request) else { throw Refusal(response: notSignedIn()) }
        let code = try context.parameters.require("code").uppercased()
        let school = try store.school(code: code)
        guard AccessPolicy.canRead(schoolCode: code, school: school, as: session.account) else {
            throw Refusal(response: forbidden(session, "此账号无权查看学校 \(code) 的数据。 This account may not see school \(code)'s data."))
        }
        return (session, code, school)
    }

    func schoolList(_ request: Request) throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        let account = session.account
        if account.role == .school || account.role == .principal { return PageRenderer.redirect(AccessPolicy.home(of: account)) }
        let visible = try store.schools().filter { AccessPolicy.canRead(schoolCode: $0.code, school: $0, as: account) }
        if visible.isEmpty && (account.role == .admin || account.role == .finance) {
            return forbidden(session, "此账号不能查看学校数据。 This account sees no school data.")
        }
        let rows: [[String: Any]] = try visible.map { school in
            let last = try store.jobs(school: school.code).first
            let submitted = try store.submissions(school: school.code).first
            return ["code": school.code, "name": school.name, "cityCode": school.cityCode, "cityName": school.cityName,
                    "lastRun": last.map { "#\($0.id) \($0.state.title)" } ?? "—",
                    "submitted": submitted.map { Self.format($0.at) } ?? "—"]
        }
        return pages.page("schoolList", title: "学校", values: ["schools": rows], session: session)
    }

    func schoolPage(_ request: Request, context: ServeContext) throws -> Response {
        let (session, code, school) = try readableSchool(request, context: context)
        let jobs: [[String: Any]] = try store.jobs(school: code).map { job in
            ["id": job.id, "school": job.school, "term": job.term, "stateTitle": job.state.title, "account": job.account,
             "created": Self.format(job.createdAt), "outcome": Self.outcome(job)]
        }
        let submissions: [[String: Any]] = try store.submissions(school: code).map { s in
            ["id": s.id, "school": s.school, "term": s.term, "at": Self.format(s.at), "account": s.account]
        }
        var values: [String: Any] = ["code": code, "schoolName": school?.name ?? code, "jobs": jobs, "submissions": submissions,
                                     "csrf": session.csrf, "term": configuration.term,
                                     "limitMB": String(configuration.maxUploadBytes >> 20)]
        if AccessPolicy.canUpload(schoolCode: code, as: session.account) { values["canUpload"] = true }
        if AccessPolicy.canUpload(schoolCode: code, as: session.account) || AccessPolicy.canSubmit(schoolCode: code, as: session.account) {
            values["canUploadPackage"] = true
            if AccessPolicy.canSubmit(schoolCode: code, as: session.account) { values["packageSubmits"] = true }
        }
        return pages.page("school", title: school?.name ?? code, values: values, session: session)
    }

    static func outcome(_ job: JobRecord) -> String {
        switch job.state {
        case .queued, .running: return "—"
        case .failed: return "未能完成"
        case .finished: return job.exitStatus == 0 ? "无错误，可报送" : "有错误，请改正"
        }
    }

    // MARK: Uploads

    func upload(_ request: Request, context: ServeContext) async throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        let code = try context.parameters.require("code").uppercased()
        guard AccessPolicy.canUpload(schoolCode: code, as: session.account) else {
            return forbidden(session, "只有本校的学校用户可以上传。 Only the school's own 学校用户 account uploads.")
        }
        let limit = configuration.maxUploadBytes
        let back = "/schools/\(code)"
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > limit {
            return tooLarge(session, back: back)
        }
        guard let boundary = MultipartReceiver.boundary(of: request.headers[.contentType]) else {
            return pages.message("上传无效 Invalid upload", "请用页面上的表单上传文件。 Send the files with the page's form (multipart/form-data).",
                                 status: .badRequest, session: session, back: back)
        }
        let received: MultipartReceiver.Received
        do {
            received = try await MultipartReceiver(blobs: blobs, limit: limit).receive(request.body, boundary: boundary)
        } catch MultipartReceiver.Failure.tooLarge {
            return tooLarge(session, back: back)
        } catch MultipartReceiver.Failure.malformed(let reason) {
            return pages.message("上传无效 Invalid upload", reason, status: .badRequest, session: session, back: back)
        }
        guard csrfValid(received.fields, session) else {
            received.discard()
            return csrfRefused(session)
        }
        let term = (received.fields["term"] ?? configuration.term).trimmingCharacters(in: .whitespaces)
        guard let roster = received.files.first(where: { $0.field == "roster" }),
              let applications = received.files.first(where: { $0.field == "applications" }),
              (1...40).contains(term.count) else {
            received.discard()
            return pages.message("上传不完整 Incomplete upload", "需要学期、学籍名册和资助申报名单两个文件。 A term, the roster and the applications are needed.",
                                 status: .badRequest, session: session, back: back)
        }
        // Every archive defence before anything is parsed or kept.
        for part in [roster, applications] {
            let name = UploadNames.safe(part.fileName, fallback: part.field)
            let path = part.writer.path
            let refusal = await UploadInspection.refusal(path: path, displayName: name)
            if let refusal {
                received.discard()
                try store.audit(.upload, account: session.account.name, object: "school \(code) refused: \(refusal)", address: context.address)
                return pages.message("文件被拒绝 Upload refused", "上传的文件未通过安全检查，未被保存：\(refusal)",
                                     hint: "请直接上传原始的 Excel 或 CSV 文件，或重新压缩。 Send the original workbook or CSV, or zip the files again.",
                                     status: .unprocessableContent, session: session, back: back)
            }
        }
        var records: [UploadRecord] = []
        for part in [roster, applications] {
            let (sha256, size) = try blobs.commit(part.writer)
            let record = try store.addUpload(sha256: sha256, size: size, fileName: UploadNames.safe(part.fileName, fallback: part.field),
                                             kind: part.field, school: code, account: session.account.name)
            try store.audit(.upload, account: session.account.name,
                            object: "school \(code) \(part.field) upload \(record.id) sha256 \(sha256) (\(size) bytes)", address: context.address)
            records.append(record)
        }
        for extra in received.files where extra.field != "roster" && extra.field != "applications" { extra.writer.discard() }
        let job = try store.addJob(school: code, term: term, roster: records[0].id, applications: records[1].id,
                                   account: session.account.name)
        try store.audit(.run, account: session.account.name, object: "school \(code) job \(job.id) submit \(term)", address: context.address)
        await queue.wake()
        return PageRenderer.redirect("/schools/\(code)/jobs/\(job.id)")
    }

    func tooLarge(_ session: Session, back: String) -> Response {
        let mb = configuration.maxUploadBytes >> 20
        return pages.message("文件太大 Upload too large", "上传超过 \(mb) MB 的上限，未被保存。 The upload is over the \(mb) MB limit and was not kept.",
                             hint: "请分开上传或压缩后再上传。 Send the files separately or zipped.",
                             status: .contentTooLarge, session: session, back: back)
    }

    // MARK: Jobs

    /// The job of the URL, when the session may read its school and the job is that school's.
    func readableJob(_ request: Request, context: ServeContext) throws -> (session: Session, code: String, job: JobRecord) {
        let (session, code, _) = try readableSchool(request, context: context)
        guard let id = context.parameters.get("job", as: Int64.self), let job = try store.job(id: id), job.kind == .submit, job.school == code else {
            throw Refusal(response: notFound(session))
        }
        return (session, code, job)
    }

    func jobPage(_ request: Request, context: ServeContext) throws -> Response {
        let (session, code, job) = try readableJob(request, context: context)
        var values: [String: Any] = ["id": job.id, "school": code, "term": job.term, "stateTitle": job.state.title,
                                     "account": job.account, "created": Self.format(job.createdAt),
                                     "started": job.startedAt.map(Self.format) ?? "—", "finished": job.finishedAt.map(Self.format) ?? "—",
                                     "csrf": session.csrf]
        let position = try store.queuePosition(of: job)
        if position > 0 { values["position"] = String(position) }
        let pending = job.state == .queued || job.state == .running
        if pending { values["pending"] = true }
        if job.state == .failed { values["failure"] = job.message ?? "—" }
        if job.state == .finished {
            let view = FindingsView(outFolder: runner.outFolder(of: job.id))
            values["done"] = true
            if job.isClean { values["clean"] = true }
            if job.isPackageUpload { values["packageUpload"] = true }
            values["rowsRead"] = String(view.rowsRead)
            values["rowsAccepted"] = String(view.rowsAccepted)
            values["rowsRejected"] = String(view.rowsRejected)
            values["findingCount"] = String(view.findingCount)
            values["rejects"] = view.rejects
            if !view.rejects.isEmpty { values["hasRejects"] = true }
            if view.moreRejects > 0 { values["moreRejects"] = String(view.moreRejects) }
            values["findings"] = view.findings
            if !view.findings.isEmpty { values["hasFindings"] = true }
            if view.moreFindings > 0 { values["moreFindings"] = String(view.moreFindings) }
            let submitted = try store.submissions(school: code).first { $0.jobId == job.id }
            if let submitted {
                values["submittedReceipt"] = String(submitted.id)
            } else if job.isClean && AccessPolicy.canSubmit(schoolCode: code, as: session.account) {
                values["canSubmit"] = true
            }
        }
        return pages.page("job", title: "检查 #\(job.id)", values: values, session: session, refresh: pending ? 3 : nil)
    }

    enum Download {
        case package, declaration, report
    }

    func download(_ request: Request, context: ServeContext, what: Download) throws -> Response {
        let (session, code, job) = try readableJob(request, context: context)
        let out = runner.outFolder(of: job.id)
        let path: String?
        switch what {
        case .package: path = job.isClean ? runner.package(of: job.id) : nil
        case .declaration: path = job.isClean ? "\(out)/declaration.html" : nil
        case .report: path = job.state == .finished ? "\(out)/report.html" : nil
        }
        guard let path, let data = FileManager.default.contents(atPath: path) else { return notFound(session) }
        let name = (path as NSString).lastPathComponent
        try store.audit(.download, account: session.account.name, object: "school \(code) job \(job.id) \(name)", address: context.address)
        var headers: HTTPFields = [:]
        if what == .package {
            headers[.contentType] = "application/zip"
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        } else {
            headers[.contentType] = "text/html; charset=utf-8"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func packagePath(in folder: String) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.sorted().first { $0.hasSuffix(".zip") }.map { "\(folder)/\($0)" }
    }

    // MARK: Submission

    func submit(_ request: Request, context: ServeContext) async throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        guard let fields = try await form(request), csrfValid(fields, session) else { return csrfRefused(session) }
        let code = try context.parameters.require("code").uppercased()
        guard AccessPolicy.canSubmit(schoolCode: code, as: session.account) else {
            return forbidden(session, "只有本校的校长用户可以报送（审核不得分配给其他用户）。 Only the school's principal account submits.")
        }
        guard let id = context.parameters.get("job", as: Int64.self), let job = try store.job(id: id), job.kind == .submit, job.school == code else {
            return notFound(session)
        }
        let back = "/schools/\(code)/jobs/\(job.id)"
        if let existing = try store.submissions(school: code).first(where: { $0.jobId == job.id }) {
            return PageRenderer.redirect("/schools/\(code)/submissions/\(existing.id)")
        }
        guard job.isClean, let package = Self.packagePath(in: runner.outFolder(of: job.id)) else {
            return pages.message("不能报送 Cannot submit", "这次检查有错误，没有申报包。 This run has errors and no package.",
                                 status: .conflict, session: session, back: back)
        }
        // A package uploaded from the command line is held to the trust folder. One the server made is
        // signed now, at the principal's submission, with the school's key the server keeps, and held to it.
        let submitted: String
        let verification: PackageVerification
        if job.isPackageUpload {
            submitted = package
            verification = try PackageVerifier.verify(path: package, trust: trust)
        } else {
            submitted = runner.signedPackagePath(of: job.id, name: (package as NSString).lastPathComponent)
            let keys = self.keys
            try await JobQueue.onThreadThrowing {
                try PackageSigning.sign(package: package, with: try keys.key(forSchool: code), to: submitted)
            }
            verification = try PackageVerifier.verify(path: submitted, trust: try TrustStore(folder: keys.folder))
        }
        guard verification.isValid, let fingerprint = verification.fingerprint else {
            return pages.message("不能报送 Cannot submit", "申报包未通过校验：\(verification.problems.map(\.description).joined(separator: "；"))",
                                 status: .conflict, session: session, back: back)
        }
        let digest = try Self.sha256(path: submitted)
        let submission = try store.addSubmission(school: code, term: job.term, jobId: job.id, account: session.account.name,
                                                 fingerprint: fingerprint, packageSHA256: digest)
        try store.audit(.submit, account: session.account.name,
                        object: "school \(code) job \(job.id) submission \(submission.id) fingerprint \(fingerprint)", address: context.address)
        return PageRenderer.redirect("/schools/\(code)/submissions/\(submission.id)")
    }

    func receipt(_ request: Request, context: ServeContext) throws -> Response {
        let (session, code, school) = try readableSchool(request, context: context)
        guard let id = context.parameters.get("submission", as: Int64.self), let submission = try store.submission(id: id),
              submission.school == code else { return notFound(session) }
        let values: [String: Any] = ["id": submission.id, "school": code, "schoolName": school?.name ?? code, "term": submission.term,
                                     "at": Self.format(submission.at), "account": submission.account,
                                     "fingerprint": submission.fingerprint, "packageSHA256": submission.packageSHA256,
                                     "jobId": submission.jobId]
        return pages.page("receipt", title: "报送回执", values: values, session: session)
    }

    static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ZizhuError(.ioFailure, Message("serveError.package.read"), at: InputPosition(file: path))
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Accounts (admin)

    func accountsPage(_ request: Request, message: (String, String)?, generated: String? = nil) throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        guard AccessPolicy.canManageAccounts(session.account) else {
            return forbidden(session, "只有管理员可以管理账号。 Only the admin manages accounts.")
        }
        return try accountsPage(session: session, message: message, generated: generated)
    }

    func accountsPage(session: Session, message: (String, String)?, generated: String?, status: HTTPResponse.Status = .ok) throws -> Response {
        var values: [String: Any] = [
            "csrf": session.csrf,
            "accounts": try store.accounts().map { ["name": $0.name, "roleTitle": $0.role.title, "scope": $0.scope] },
            "roles": Role.allCases.map { ["key": $0.rawValue, "title": $0.title] },
        ]
        if let message { values["message"] = message.0; values["kind"] = message.1 }
        if let generated { values["generated"] = generated }
        return pages.page("accounts", title: "账号管理", values: values, session: session, status: status)
    }

    func addAccount(_ request: Request, context: ServeContext) async throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        guard let fields = try await form(request), csrfValid(fields, session) else { return csrfRefused(session) }
        guard AccessPolicy.canManageAccounts(session.account) else {
            return forbidden(session, "只有管理员可以管理账号。 Only the admin manages accounts.")
        }
        guard let role = Role(argument: fields["role"] ?? "") else {
            return try accountsPage(session: session, message: ("未知角色 Unknown role", "error"), generated: nil, status: .badRequest)
        }
        let password = Passwords.generate()
        let cost = configuration.bcryptCost
        let name = fields["name"] ?? "", scope = fields["scope"] ?? ""
        let store = self.store
        let result: Result<Account, ZizhuError> = await JobQueue.onThread {
            do { return .success(try store.addAccount(name: name, role: role, scope: scope, password: password, cost: cost)) }
            catch let error as ZizhuError { return .failure(error) }
            catch { return .failure(ZizhuError(.ioFailure, Message(verbatim: "\(error)"))) }
        }
        switch result {
        case .failure(let error):
            return try accountsPage(session: session, message: ("\(error.message(.zh))\(error.hint(.zh).map { "（\($0)）" } ?? "")", "error"),
                                    generated: nil, status: .badRequest)
        case .success(let account):
            // A school's 校长用户 signs its submissions: the school's key is made with the account.
            if account.role == .principal { try keys.key(forSchool: account.scope) }
            try store.audit(.accountAdded, account: session.account.name,
                            object: "account \(account.name) \(account.role.rawValue) \(account.scope)", address: context.address)
            return try accountsPage(session: session, message: ("已新建账号 \(account.name)", "ok"), generated: password)
        }
    }

    // MARK: Formatting

    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}

/// A response that ends a route early (not signed in, out of scope, not found).
struct Refusal: Error {
    let response: Response
}

/// Sends a route's `Refusal` as its response.
struct RefusalMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let refusal as Refusal {
            return refusal.response
        }
    }
}

/// `application/x-www-form-urlencoded`.
enum URLForm {
    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(String(parts[0]))
            let value = parts.count > 1 ? decode(String(parts[1])) : ""
            if fields[key] == nil { fields[key] = value }
        }
        return fields
    }

    static func decode(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
