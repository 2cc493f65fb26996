import Foundation
import Hummingbird
import ZizhuCore

/// 市 and 省: a city keeps its schools' basic information (the expected list); a city and its
/// province see per school whether it submitted (M03 live), what the last merge quarantined
/// (M02/M04/M06) and conflicting resends (M05); either merges on demand (a merge job on the queue)
/// → the merged files and the merge report. A city never sees another city's data.
extension ServeServer {
    func addRegionRoutes(to router: Router<ServeContext>) {
        router.get("/province") { request, _ in try self.provincePage(request) }
        router.get("/cities/:city") { request, context in try self.cityPage(request, context: context) }
        router.post("/cities/:city/schools") { request, context in try await self.keepSchool(request, context: context) }
        router.post("/regions/:region/merges") { request, context in try await self.startMerge(request, context: context) }
        router.get("/merges/:job") { request, context in try self.mergePage(request, context: context) }
        router.get("/merges/:job/files/:file") { request, context in try self.mergeDownload(request, context: context) }
    }

    /// What a merge's reader downloads.
    static let mergeFiles: [String: (name: String, type: String)] = [
        "report": ("report.html", "text/html; charset=utf-8"),
        "roster": ("merged/roster.csv.gz", "application/gzip"),
        "applications": ("merged/applications.csv.gz", "application/gzip"),
        "discrepancies-xlsx": ("discrepancies.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "summary": ("summary.json", "application/json"),
    ]

    /// One school's standing in its region, for the city and province pages.
    struct SchoolStanding {
        var school: School
        var submitted: SubmissionRecord?
        /// Distinct packages (fingerprints) the school submitted for the term: more than one is a resend with other data (M05).
        var fingerprints: Int
        /// The last merge's M02/M04/M06 rows for the school: code and detail.
        var quarantine: [(code: String, detail: String)]
        var conflicts: [(code: String, detail: String)]

        var row: [String: Any] {
            var row: [String: Any] = ["code": school.code, "name": school.name, "cityCode": school.cityCode, "cityName": school.cityName]
            if let submitted { row["submittedAt"] = ServeServer.format(submitted.at); row["submittedBy"] = submitted.account } else { row["missing"] = true }
            if !quarantine.isEmpty { row["quarantine"] = quarantine.map { "\($0.code) \($0.detail)" }.joined(separator: "；") }
            let conflictText = conflicts.map { "\($0.code) \($0.detail)" } + (fingerprints > 1 && conflicts.isEmpty ? ["报送了 \(fingerprints) 个不同的申报包 \(fingerprints) different packages"] : [])
            if !conflictText.isEmpty { row["conflict"] = conflictText.joined(separator: "；") }
            return row
        }
    }

    /// The standing of every expected school in `region` for `term`.
    func standings(region: String, term: String) throws -> [SchoolStanding] {
        let schools = try store.schools().filter { RegionScope.contains(region, cityCode: $0.cityCode) }
        // The newest finished merge that covers the region: its own, or its province's.
        let merges = try store.jobs(kind: .merge).filter {
            $0.state == .finished && $0.term == term && RegionScope.contains($0.scope, cityCode: region)
        }
        var byCode: [String: [(code: String, detail: String)]] = [:]
        if let merge = merges.first {
            for row in SimpleCSV.rows(path: "\(runner.outFolder(of: merge.id))/discrepancies.csv") {
                guard let code = row["code"], ["M02", "M04", "M05", "M06"].contains(code), let school = row["school_code"] else { continue }
                byCode[school, default: []].append((code, Masking.text(row["detail"] ?? "")))
            }
        }
        return try schools.map { school in
            let submissions = try store.submissions(school: school.code).filter { $0.term == term }
            let found = byCode[school.code] ?? []
            return SchoolStanding(school: school, submitted: submissions.first, fingerprints: Set(submissions.map(\.fingerprint)).count,
                                  quarantine: found.filter { $0.code != "M05" }, conflicts: found.filter { $0.code == "M05" })
        }
    }

    func term(of request: Request) -> String {
        let asked = request.uri.queryParameters.get("term").map { String($0) } ?? ""
        return (1...40).contains(asked.count) ? asked : configuration.term
    }

    func mergeRows(region: String) throws -> [[String: Any]] {
        try store.jobs(kind: .merge, scope: region).map { job in
            ["id": job.id, "term": job.term, "stateTitle": job.state.title, "account": job.account, "created": Self.format(job.createdAt),
             "outcome": Self.officeOutcome(job)]
        }
    }

    func provincePage(_ request: Request) throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        guard session.account.role == .province else {
            return forbidden(session, "只有省级账号可以查看全省进度。 Only a province account sees the province's progress.")
        }
        let province = session.account.scope
        let term = term(of: request)
        let all = try standings(region: province, term: term)
        var cities: [String: (name: String, rows: [SchoolStanding])] = [:]
        for standing in all { cities[standing.school.cityCode, default: (standing.school.cityName, [])].rows.append(standing) }
        let progress: [[String: Any]] = cities.keys.sorted().map { code in
            let rows = cities[code]?.rows ?? []
            let submitted = rows.filter { $0.submitted != nil }.count
            return ["cityCode": code, "cityName": cities[code]?.name ?? "", "expected": rows.count, "submitted": submitted,
                    "missing": rows.count - submitted, "quarantined": rows.filter { !$0.quarantine.isEmpty }.count,
                    "conflicts": rows.filter { !$0.conflicts.isEmpty || $0.fingerprints > 1 }.count]
        }
        let values: [String: Any] = ["province": province, "term": term, "cities": progress, "csrf": session.csrf,
                                     "merges": try mergeRows(region: province), "region": province]
        return pages.page("province", title: "全省进度", values: values, session: session)
    }

    func cityPage(_ request: Request, context: ServeContext) throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        let city = try context.parameters.require("city")
        guard AccessPolicy.canReadRegion(city, as: session.account), !RegionScope.isProvince(city) else {
            return forbidden(session, "此账号无权查看 \(city) 的学校。 This account may not see \(city)'s schools.")
        }
        let term = term(of: request)
        let rows = try standings(region: city, term: term)
        var values: [String: Any] = ["city": city, "cityName": rows.first?.school.cityName ?? "", "term": term,
                                     "schools": rows.map(\.row), "csrf": session.csrf, "region": city,
                                     "merges": try mergeRows(region: city),
                                     "submitted": rows.filter { $0.submitted != nil }.count, "expected": rows.count]
        if AccessPolicy.canKeepSchools(cityCode: city, as: session.account) { values["canKeepSchools"] = true }
        return pages.page("city", title: "\(city) 学校", values: values, session: session)
    }

    /// A city adds or corrects one of its schools (code, name as on its seal).
    func keepSchool(_ request: Request, context: ServeContext) async throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        guard let fields = try await form(request), csrfValid(fields, session) else { return csrfRefused(session) }
        let city = try context.parameters.require("city")
        guard AccessPolicy.canKeepSchools(cityCode: city, as: session.account) else {
            return forbidden(session, "只有本市账号可以维护本市学校的基本信息。 Only the city's own account keeps its schools.")
        }
        let back = "/cities/\(city)"
        let code = (fields["code"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let codeOK = (1...20).contains(code.count) && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard codeOK, (1...100).contains(name.count), !name.contains(",") else {
            return pages.message("学校信息无效 Invalid school", "学校代码为字母和数字（最多 20 位），名称与公章一致且不含逗号。 A code of letters and digits; the name as on the seal.",
                                 status: .badRequest, session: session, back: back)
        }
        if let existing = try store.school(code: code), existing.cityCode != city {
            return forbidden(session, "学校 \(code) 属于另一个市。 School \(code) belongs to another city.")
        }
        let cityName = try store.schools().first { $0.cityCode == city }?.cityName ?? ""
        try store.upsertSchools([School(code: code, name: name, cityCode: city, cityName: cityName)])
        try store.audit(.schoolKept, account: session.account.name, object: "city \(city) school \(code) \(name)", address: context.address)
        return PageRenderer.redirect(back)
    }

    func startMerge(_ request: Request, context: ServeContext) async throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        guard let fields = try await form(request), csrfValid(fields, session) else { return csrfRefused(session) }
        let region = try context.parameters.require("region")
        let back = RegionScope.isProvince(region) ? "/province" : "/cities/\(region)"
        let term = (fields["term"] ?? configuration.term).trimmingCharacters(in: .whitespaces)
        switch try await startMergeJob(region: region, term: term, session: session, context: context, refuse: pageRefusal(session, back: back)) {
        case .job(let job): return PageRenderer.redirect("/merges/\(job.id)")
        case .refused(let response): return response
        }
    }

    /// Queues a merge of the packages submitted in `region` for `term` (the form's and the API's path).
    func startMergeJob(region: String, term: String, session: Session, context: ServeContext, refuse: Refuse) async throws -> Started {
        guard AccessPolicy.canMerge(region, as: session.account) else {
            return .refused(refuse(.forbidden, "无权访问 Forbidden", "此账号无权汇总 \(region)。 This account may not merge \(region).", nil))
        }
        let schools = Dictionary(try store.schools().map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var inputs: [(role: String, upload: Int64?, path: String)] = []
        for submission in try store.allSubmissions() where submission.term == term {
            guard let school = schools[submission.school], RegionScope.contains(region, cityCode: school.cityCode),
                  let package = runner.package(of: submission.jobId) else { continue }
            inputs.append((role: "package", upload: nil, path: package))
        }
        guard !inputs.isEmpty, (1...40).contains(term.count) else {
            return .refused(refuse(.conflict, "没有可汇总的申报包 Nothing to merge",
                                   "\(region) 在 \(term) 还没有学校报送。 No school of \(region) has submitted for \(term).", nil))
        }
        let job = try store.addOfficeJob(kind: .merge, scope: region, term: term, account: session.account.name, inputs: inputs)
        try store.audit(.run, account: session.account.name, object: "region \(region) job \(job.id) merge \(term) (\(inputs.count) packages)",
                        address: context.address)
        await queue.wake()
        return .job(job)
    }

    func readableMerge(_ request: Request, context: ServeContext) throws -> (Session, JobRecord) {
        guard let session = session(request) else { throw Refusal(response: notSignedIn()) }
        guard let id = context.parameters.get("job", as: Int64.self), let job = try store.job(id: id), job.kind == .merge else {
            throw Refusal(response: notFound(session))
        }
        guard AccessPolicy.canReadRegion(job.scope, as: session.account) else {
            throw Refusal(response: forbidden(session, "此账号无权查看这次汇总。 This account may not see this merge."))
        }
        return (session, job)
    }

    func mergePage(_ request: Request, context: ServeContext) throws -> Response {
        let (session, job) = try readableMerge(request, context: context)
        var values: [String: Any] = ["id": job.id, "term": job.term, "stateTitle": job.state.title, "account": job.account,
                                     "created": Self.format(job.createdAt), "finished": job.finishedAt.map(Self.format) ?? "—",
                                     "region": job.scope, "back": RegionScope.isProvince(job.scope) ? "/province" : "/cities/\(job.scope)"]
        let pending = job.state == .queued || job.state == .running
        if pending { values["pending"] = true }
        if job.state == .failed { values["failure"] = job.message ?? "—" }
        if job.state == .finished {
            let out = runner.outFolder(of: job.id)
            let view = FindingsView(outFolder: out)
            values["done"] = true
            values["findingCount"] = String(view.findingCount)
            values["findings"] = view.findings
            if !view.findings.isEmpty { values["hasFindings"] = true }
            values["downloads"] = Self.mergeFiles.sorted { $0.key < $1.key }
                .filter { FileManager.default.fileExists(atPath: "\(out)/\($0.value.name)") }
                .map { ["key": $0.key, "name": $0.value.name, "jobId": job.id] as [String: Any] }
        }
        return pages.page("merge", title: "汇总 #\(job.id)", values: values, session: session, refresh: pending ? 3 : nil)
    }

    func mergeDownload(_ request: Request, context: ServeContext) throws -> Response {
        let (session, job) = try readableMerge(request, context: context)
        guard job.state == .finished, let key = context.parameters.get("file"), let file = Self.mergeFiles[key] else {
            return notFound(session)
        }
        let name = (file.name as NSString).lastPathComponent
        return try outputFile("\(runner.outFolder(of: job.id))/\(file.name)", name: "merge-\(job.id)-\(name)", contentType: file.type,
                              session: session, job: job, context: context)
    }
}
