import Foundation
import Hummingbird
import ZizhuCore
import ZizhuPackage

/// A signed package made with the command line (`zizhu submit --sign-key …`), uploaded by the school's
/// 学校用户 or its 校长用户: received and inspected like every upload, verified with the package verifier
/// against the server's trust folder (`--trust`: M06 when it is unsigned or not the school's key), and
/// kept only when it is this school's package. It becomes a finished, clean run of the school; the
/// principal's upload is the principal's submission at once (the principal reviewed it before signing),
/// a 学校用户's waits on the run's page for the principal, as a run made on the server does.
extension ServeServer {
    enum PackageOutcome {
        /// The package's run, and its submission when the principal sent it (`fresh`: recorded by this request).
        case accepted(job: JobRecord, submission: SubmissionRecord?, fresh: Bool)
        case refused(Response)
    }

    func uploadPackage(_ request: Request, context: ServeContext) async throws -> Response {
        guard let session = session(request) else { return notSignedIn() }
        let code = try context.parameters.require("code").uppercased()
        let back = "/schools/\(code)"
        switch try await acceptPackage(request, context: context, session: session, code: code, csrf: true,
                                       refuse: pageRefusal(session, back: back)) {
        case .refused(let response):
            return response
        case .accepted(let job, let submission, _):
            if let submission { return PageRenderer.redirect("/schools/\(code)/submissions/\(submission.id)") }
            return PageRenderer.redirect("/schools/\(code)/jobs/\(job.id)")
        }
    }

    /// Receives, inspects, verifies and records one package for `code` (the form's and the API's path).
    func acceptPackage(_ request: Request, context: ServeContext, session: Session, code: String, csrf: Bool,
                       refuse: @escaping Refuse) async throws -> PackageOutcome {
        let account = session.account
        let submits = AccessPolicy.canSubmit(schoolCode: code, as: account)
        guard submits || AccessPolicy.canUpload(schoolCode: code, as: account) else {
            return .refused(refuse(.forbidden, "无权访问 Forbidden",
                                   "只有本校的学校用户或校长用户可以上传申报包。 Only the school's own 学校用户 or 校长用户 uploads its package.", nil))
        }
        let upload = try await receiveOfficeUpload(request, context: context, session: session, owner: "school \(code)",
                                                   back: "/schools/\(code)", allowed: ["package"], csrf: csrf, refuse: refuse)
        guard case .stored(_, let files) = upload else {
            if case .refused(let response) = upload { return .refused(response) }
            return .refused(refuse(.badRequest, "上传无效 Invalid upload", "上传被拒绝。 The upload was refused.", nil))
        }
        guard files.count == 1, let record = files.first?.record else {
            return .refused(refuse(.badRequest, "上传不完整 Incomplete upload",
                                   "需要一个申报包文件（.zip）。 One package file (.zip) is needed.", nil))
        }
        let path = blobs.path(of: record.sha256)
        let trust = self.trust
        let verification: PackageVerification? = await JobQueue.onThread {
            try? PackageVerifier.verify(path: path, trust: trust, limits: UploadInspection.limits)
        }
        let name = record.fileName
        func refused(_ reason: String) throws -> PackageOutcome {
            try store.audit(.upload, account: account.name, object: "school \(code) package upload \(record.id) refused: \(reason)",
                            address: context.address)
            return .refused(refuse(.unprocessableContent, "申报包被拒绝 Package refused", reason,
                                   "请上传本校用 zizhu submit 生成并签名的申报包（{学校代码}_{学期}.zip）。 Send the school's own package made and signed with zizhu submit."))
        }
        guard let verification else { return try refused("\(name)：无法读取。 \(name) cannot be read.") }
        if let manifest = verification.manifest, manifest.schoolCode.uppercased() != code {
            return try refused(Masking.text("\(name) 是学校 \(manifest.schoolCode) 的申报包，不是学校 \(code) 的，未被记录。 "
                                            + "\(name) is school \(manifest.schoolCode)'s package, not \(code)'s; it was not recorded."))
        }
        guard verification.isValid, let manifest = verification.manifest, let fingerprint = verification.fingerprint,
              (1...40).contains(manifest.term.count) else {
            let problems = verification.problems.map { Masking.text($0.text(.zh)) }.joined(separator: "；")
            return try refused("\(name) 未通过校验 failed verification：\(problems.isEmpty ? "—" : problems)")
        }
        let term = manifest.term
        // The same package sent again (a retry after a lost answer) is the same submission, not a second one.
        if submits, let existing = try store.submissions(school: code).first(where: { $0.term == term && $0.packageSHA256 == record.sha256 }),
           let job = try store.job(id: existing.jobId) {
            return .accepted(job: job, submission: existing, fresh: false)
        }
        let fileName = UploadNames.safe("\(code)_\(term).zip", fallback: "\(code).zip")
        let runner = self.runner
        let job = try store.addPackageJob(school: code, term: term, upload: record.id, account: account.name) { id in
            let out = runner.outFolder(of: id)
            let fm = FileManager.default
            try? fm.removeItem(atPath: runner.folder(of: id))
            try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
            if link(path, "\(out)/\(fileName)") != 0 { try fm.copyItem(atPath: path, toPath: "\(out)/\(fileName)") }
            BlobStore.syncFolder(out)
        }
        try store.audit(.run, account: account.name,
                        object: "school \(code) job \(job.id) package \(term) upload \(record.id) fingerprint \(fingerprint)", address: context.address)
        guard submits else { return .accepted(job: job, submission: nil, fresh: true) }
        let submission = try store.addSubmission(school: code, term: term, jobId: job.id, account: account.name,
                                                 fingerprint: fingerprint, packageSHA256: record.sha256)
        try store.audit(.submit, account: account.name,
                        object: "school \(code) job \(job.id) submission \(submission.id) fingerprint \(fingerprint)", address: context.address)
        return .accepted(job: job, submission: submission, fresh: true)
    }
}
