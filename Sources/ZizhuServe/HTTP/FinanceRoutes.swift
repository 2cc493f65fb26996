import Foundation
import Hummingbird
import ZizhuCore
import ZizhuHistory

/// 财务: upload the approved list and bank files (+ roster, allocations) → a reconcile job on the
/// queue → the report, the discrepancies, 发放台账.xlsx, and the history view (new / open /
/// resolved since the last run, with notes). A finance office sees only its own region's runs.
extension ServeServer {
    func addFinanceRoutes(to router: Router<ServeContext>) {
        router.get("/finance") { request, _ in try self.financePage(request) }
        router.post("/finance/uploads") { request, context in try await self.financeUpload(request, context: context) }
        router.get("/finance/jobs/:job") { request, context in try self.financeJobPage(request, context: context) }
        router.get("/finance/jobs/:job/files/:file") { request, context in try self.financeDownload(request, context: context) }
        router.post("/finance/jobs/:job/findings/:finding/note") { request, context in try await self.financeNote(request, context: context) }
    }

    /// The files of a reconcile a finance office downloads: people's files for every reader; the
    /// machine files hold whole ids, so they are an unmask (the configured roles only, audited).
    static let financeFiles: [String: (name: String, type: String, unmasked: Bool)] = [
        "report": ("report.html", "text/html; charset=utf-8", false),
        "ledger-xlsx": ("发放台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false),
        "discrepancies-xlsx": ("discrepancies.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false),
        "discrepancies-csv": ("discrepancies.csv", "text/csv; charset=utf-8", true),
        "ledger-csv": ("ledger.csv", "text/csv; charset=utf-8", true),
    ]

    func financeSession(_ request: Request) throws -> Session {
        guard let session = session(request) else { throw Refusal(response: notSignedIn()) }
        guard session.account.role == .finance else {
            throw Refusal(response: forbidden(session, "只有财务账号可以对账。 Only a finance account reconciles."))
        }
        return session
    }

    /// The reconcile job of the URL, when it is the session's region's.
    func readableReconcile(_ request: Request, context: ServeContext) throws -> (Session, JobRecord) {
        guard let session = session(request) else { throw Refusal(response: notSignedIn()) }
        guard let id = context.parameters.get("job", as: Int64.self), let job = try store.job(id: id), job.kind == .reconcile else {
            throw Refusal(response: notFound(session))
        }
        guard AccessPolicy.canReconcile(scope: job.scope, as: session.account) else {
            throw Refusal(response: forbidden(session, "此账号无权查看这次对账。 This account may not see this reconciliation."))
        }
        return (session, job)
    }

    func financePage(_ request: Request) throws -> Response {
        let session = try financeSession(request)
        let jobs: [[String: Any]] = try store.jobs(kind: .reconcile, scope: session.account.scope).map { job in
            ["id": job.id, "term": job.term, "stateTitle": job.state.title, "account": job.account,
             "created": Self.format(job.createdAt), "outcome": Self.officeOutcome(job)]
        }
        let values: [String: Any] = ["scope": session.account.scope, "jobs": jobs, "csrf": session.csrf, "term": configuration.term,
                                     "limitMB": String(configuration.maxUploadBytes >> 20)]
        return pages.page("finance", title: "财务对账", values: values, session: session)
    }

    static func officeOutcome(_ job: JobRecord) -> String {
        switch job.state {
        case .queued, .running: return "—"
        case .failed: return "未能完成"
        case .finished: return job.exitStatus == 0 ? "无错误" : "有问题，请核对"
        }
    }

    func financeUpload(_ request: Request, context: ServeContext) async throws -> Response {
        let session = try financeSession(request)
        switch try await startReconcile(request, context: context, session: session, csrf: true, refuse: pageRefusal(session, back: "/finance")) {
        case .job(let job): return PageRenderer.redirect("/finance/jobs/\(job.id)")
        case .refused(let response): return response
        }
    }

    /// A job queued, or the refusal to send.
    enum Started {
        case job(JobRecord)
        case refused(Response)
    }

    /// Receives a finance office's files and queues its reconcile (the form's and the API's path).
    func startReconcile(_ request: Request, context: ServeContext, session: Session, csrf: Bool, refuse: @escaping Refuse) async throws -> Started {
        let scope = session.account.scope
        let upload = try await receiveOfficeUpload(request, context: context, session: session, owner: "finance \(scope)", back: "/finance",
                                                   allowed: ["approved", "ledger", "roster", "allocations"], csrf: csrf, refuse: refuse)
        guard case .stored(let fields, let files) = upload else {
            if case .refused(let response) = upload { return .refused(response) }
            return .refused(notFound(session))
        }
        let term = (fields["term"] ?? configuration.term).trimmingCharacters(in: .whitespaces)
        let roles = files.map(\.field)
        guard roles.contains("approved"), roles.contains("ledger"), (1...40).contains(term.count),
              roles.filter({ $0 == "allocations" }).count <= 1 else {
            return .refused(refuse(.badRequest, "上传不完整 Incomplete upload",
                                   "需要学期、审批名单和至少一个银行发放文件（学籍名册、资金分配表可选，分配表最多一个）。 A term, the approved list and at least one bank file are needed.", nil))
        }
        let job = try store.addOfficeJob(kind: .reconcile, scope: scope, term: term, account: session.account.name,
                                         inputs: files.map { (role: $0.field, upload: $0.record.id, path: "") })
        try store.audit(.run, account: session.account.name, object: "finance \(scope) job \(job.id) reconcile \(term)", address: context.address)
        await queue.wake()
        return .job(job)
    }

    func financeJobPage(_ request: Request, context: ServeContext) throws -> Response {
        let (session, job) = try readableReconcile(request, context: context)
        let canUnmask = AccessPolicy.canUnmask(session.account, roles: configuration.unmaskRoles)
        let unmask = canUnmask && request.uri.queryParameters.get("unmask") == "1"
        var values: [String: Any] = ["id": job.id, "term": job.term, "stateTitle": job.state.title, "account": job.account,
                                     "created": Self.format(job.createdAt), "finished": job.finishedAt.map(Self.format) ?? "—",
                                     "csrf": session.csrf, "scope": job.scope]
        let pending = job.state == .queued || job.state == .running
        if pending { values["pending"] = true }
        if job.state == .failed { values["failure"] = job.message ?? "—" }
        if canUnmask { values["canUnmask"] = true }
        if unmask { values["unmasked"] = true }
        if job.state == .finished {
            let out = runner.outFolder(of: job.id)
            let view = FindingsView(outFolder: out)
            values["done"] = true
            values["rowsRead"] = String(view.rowsRead)
            values["rowsRejected"] = String(view.rowsRejected)
            values["findingCount"] = String(view.findingCount)
            if let runID = job.historyRun, let run = try history.backend.run(runID) {
                values["run"] = ["id": run.id, "new": run.newCount, "open": run.stillOpen, "resolved": run.resolvedCount]
                let previous = try history.backend.runs().filter {
                    $0.id < runID && $0.job == "reconcile" && $0.term == run.term && $0.outcome != "failed"
                }.map(\.id).max()
                if let previous { values["previousRun"] = previous }
                let whole = unmask ? Self.wholeIDs(outFolder: out) : [:]
                let occurrences = try history.backend.occurrences(ofRun: runID)
                let current = Dictionary(try history.backend.findings(FindingFilter(term: run.term)).map { ($0.id, $0) },
                                         uniquingKeysWith: { first, _ in first })
                var present: [[String: Any]] = [], resolved: [[String: Any]] = []
                for occurrence in occurrences.prefix(FindingsView.shown) {
                    let facts = occurrence.display
                    let finding = current[occurrence.findingID]
                    var row: [String: Any] = [
                        "findingID": occurrence.findingID, "code": facts.code, "severity": facts.severity,
                        "school": facts.schoolCode, "studentNo": facts.studentNo, "name": Masking.text(facts.name),
                        "idNumber": facts.idMasked, "expected": Masking.text(facts.expected), "actual": Masking.text(facts.actual),
                        "detail": Masking.text(facts.detail), "status": Self.statusTitle(finding?.status ?? occurrence.status),
                        "note": finding?.note ?? "", "decidedBy": finding?.decidedBy ?? "",
                    ]
                    if unmask, let id = whole[Self.wholeKey(facts.code, facts.studentNo, facts.idMasked)] { row["idNumber"] = id }
                    if occurrence.present { present.append(row) } else { resolved.append(row) }
                }
                values["findings"] = present
                values["resolvedFindings"] = resolved
                if !present.isEmpty { values["hasFindings"] = true }
                if !resolved.isEmpty { values["hasResolved"] = true }
            }
            values["downloads"] = Self.financeFiles.sorted { $0.key < $1.key }
                .filter { !$0.value.unmasked || canUnmask }
                .filter { FileManager.default.fileExists(atPath: "\(out)/\($0.value.name)") }
                .map { ["key": $0.key, "name": $0.value.name, "jobId": job.id, "unmasked": $0.value.unmasked] as [String: Any] }
        }
        if unmask {
            try store.audit(.unmask, account: session.account.name, object: "reconcile \(job.scope) job \(job.id) findings page",
                            address: context.address)
        }
        return pages.page("financeJob", title: "对账 #\(job.id)", values: values, session: session, refresh: pending ? 3 : nil)
    }

    static func statusTitle(_ status: FindingStatus) -> String {
        switch status {
        case .new: "新增 new"
        case .open: "未解决 open"
        case .resolved: "已解决 resolved"
        case .reopened: "重新出现 reopened"
        case .explained: "已说明 explained"
        case .accepted: "已接受 accepted"
        }
    }

    static func wholeKey(_ code: String, _ studentNo: String, _ masked: String) -> String { "\(code)|\(studentNo)|\(masked)" }

    /// The whole ids of a run's findings (its machine discrepancies.csv), keyed by what a page shows.
    static func wholeIDs(outFolder: String) -> [String: String] {
        var ids: [String: String] = [:]
        for row in SimpleCSV.rows(path: "\(outFolder)/discrepancies.csv") {
            let id = row["id_number"] ?? ""
            guard !id.isEmpty else { continue }
            ids[wholeKey(row["code"] ?? "", row["student_no"] ?? "", Masking.id(id))] = id
        }
        return ids
    }

    func financeDownload(_ request: Request, context: ServeContext) throws -> Response {
        let (session, job) = try readableReconcile(request, context: context)
        guard job.state == .finished, let key = context.parameters.get("file"), let file = Self.financeFiles[key] else {
            return notFound(session)
        }
        if file.unmasked && !AccessPolicy.canUnmask(session.account, roles: configuration.unmaskRoles) {
            return forbidden(session, "此文件含完整证件号，此角色无权查看。 This file holds whole ids; this role may not unmask.")
        }
        return try outputFile("\(runner.outFolder(of: job.id))/\(file.name)", name: file.name, contentType: file.type, session: session,
                              job: job, context: context, action: file.unmasked ? .unmask : .download)
    }

    func financeNote(_ request: Request, context: ServeContext) async throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        guard let fields = try await form(request), csrfValid(fields, session) else { return csrfRefused(session) }
        let (_, job) = try readableReconcile(request, context: context)
        let back = "/finance/jobs/\(job.id)"
        guard let findingID = context.parameters.get("finding"), let runID = job.historyRun,
              try history.backend.occurrences(ofRun: runID).contains(where: { $0.findingID == findingID }) else {
            return notFound(session)
        }
        guard let status = FindingStatus(rawValue: fields["status"] ?? ""), status.isDecision else {
            return pages.message("说明无效 Invalid note", "请选择“已说明”或“已接受”。 Choose explained or accepted.",
                                 status: .badRequest, session: session, back: back)
        }
        let note = Masking.text(String((fields["note"] ?? "").prefix(500)))
        do {
            _ = try history.note(findingID: findingID, status: status, by: session.account.name, note: note, at: configuration.clock.now())
        } catch let error as ZizhuError {
            return pages.message("说明未记录 Note not recorded", error.message, status: .conflict, session: session, back: back)
        }
        try store.audit(.note, account: session.account.name, object: "reconcile \(job.scope) job \(job.id) finding \(findingID) \(status.rawValue): \(note)",
                        address: context.address)
        return PageRenderer.redirect(back)
    }
}
