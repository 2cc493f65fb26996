import Foundation
import Hummingbird
import ZizhuCore

/// The multipart upload of an office's page (finance; any number of files per field): received
/// streamed and capped, every file inspected with the archive defences before it is kept, then
/// stored content-addressed and audited.
extension ServeServer {
    /// What an office's upload came to: its fields and its stored files (field, record), or the refusal to send.
    enum OfficeUpload {
        case stored(fields: [String: String], files: [(field: String, record: UploadRecord)])
        case refused(Response)
    }

    /// A refusal as a page (forms) or as JSON (the API): status, heading, text, hint.
    typealias Refuse = (HTTPResponse.Status, String, String, String?) -> Response

    func pageRefusal(_ session: Session, back: String) -> Refuse {
        { status, heading, text, hint in self.pages.message(heading, text, hint: hint, status: status, session: session, back: back) }
    }

    /// `csrf`: a form's POST carries the session's token; the API's (a bearer token, no cookie) does not.
    func receiveOfficeUpload(_ request: Request, context: ServeContext, session: Session, owner: String, back: String,
                             allowed: Set<String>, csrf: Bool = true, refuse: Refuse? = nil) async throws -> OfficeUpload {
        let refuse = refuse ?? pageRefusal(session, back: back)
        let mb = configuration.maxUploadBytes >> 20
        let tooLarge = refuse(.contentTooLarge, "文件太大 Upload too large", "上传超过 \(mb) MB 的上限，未被保存。 The upload is over the \(mb) MB limit and was not kept.",
                              "请分开上传或压缩后再上传。 Send the files separately or zipped.")
        let limit = configuration.maxUploadBytes
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > limit {
            return .refused(tooLarge)
        }
        guard let boundary = MultipartReceiver.boundary(of: request.headers[.contentType]) else {
            return .refused(refuse(.badRequest, "上传无效 Invalid upload", "请用页面上的表单上传文件。 Send the files with the page's form (multipart/form-data).", nil))
        }
        let received: MultipartReceiver.Received
        do {
            received = try await MultipartReceiver(blobs: blobs, limit: limit).receive(request.body, boundary: boundary)
        } catch MultipartReceiver.Failure.tooLarge {
            return .refused(tooLarge)
        } catch MultipartReceiver.Failure.malformed(let reason) {
            return .refused(refuse(.badRequest, "上传无效 Invalid upload", reason, nil))
        }
        guard !csrf || csrfValid(received.fields, session) else {
            received.discard()
            return .refused(csrfRefused(session))
        }
        // A browser sends an empty part for a file input left empty: not a file.
        var parts: [MultipartReceiver.FilePart] = []
        for part in received.files {
            if allowed.contains(part.field), !part.fileName.isEmpty { parts.append(part) } else { part.writer.discard() }
        }
        for part in parts {
            let name = UploadNames.safe(part.fileName, fallback: part.field)
            let path = part.writer.path
            let refusal = await UploadInspection.refusal(path: path, displayName: name)
            if let refusal {
                for part in parts { part.writer.discard() }
                try store.audit(.upload, account: session.account.name, object: "\(owner) refused: \(refusal)", address: context.address)
                return .refused(refuse(.unprocessableContent, "文件被拒绝 Upload refused", "上传的文件未通过安全检查，未被保存：\(refusal)",
                                       "请直接上传原始的 Excel 或 CSV 文件，或重新压缩。 Send the original workbook or CSV, or zip the files again."))
            }
        }
        var stored: [(field: String, record: UploadRecord)] = []
        for part in parts {
            let (sha256, size) = try blobs.commit(part.writer)
            let record = try store.addUpload(sha256: sha256, size: size, fileName: UploadNames.safe(part.fileName, fallback: part.field),
                                             kind: part.field, school: owner, account: session.account.name)
            try store.audit(.upload, account: session.account.name,
                            object: "\(owner) \(part.field) upload \(record.id) sha256 \(sha256) (\(size) bytes)", address: context.address)
            stored.append((part.field, record))
        }
        return .stored(fields: received.fields, files: stored)
    }

    /// A file of a job's output folder as a download (audited), or not found.
    func outputFile(_ path: String, name: String, contentType: String, session: Session, job: JobRecord, context: ServeContext,
                    action: AuditAction = .download) throws -> Response {
        guard let data = FileManager.default.contents(atPath: path) else { return notFound(session) }
        try store.audit(action, account: session.account.name, object: "\(job.kind.rawValue) \(job.scope) job \(job.id) \(name)",
                        address: context.address)
        var headers: HTTPFields = [.contentType: contentType]
        if !contentType.hasPrefix("text/html") {
            let ascii = name.unicodeScalars.allSatisfy { $0.isASCII } ? name : "job-\(job.id)-download"
            let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
            headers[.contentDisposition] = "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
