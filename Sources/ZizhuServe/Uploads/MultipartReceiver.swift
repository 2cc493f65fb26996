import Foundation
import Hummingbird
import MultipartKit
import ZizhuCore

/// A `multipart/form-data` body streamed to disk: each file part into its own temporary blob,
/// small fields into memory. The whole body is capped (`limit`), counted as it arrives, so a 2 GB
/// body is refused after `limit` bytes, not stored.
struct MultipartReceiver {
    struct FilePart {
        var field: String
        var fileName: String
        var writer: BlobWriter
    }

    struct Received {
        var fields: [String: String] = [:]
        var files: [FilePart] = []

        /// Removes every temporary file (the upload was refused).
        func discard() {
            for file in files { file.writer.discard() }
        }
    }

    enum Failure: Error {
        case tooLarge(limit: Int64)
        case malformed(String)
    }

    let blobs: BlobStore
    let limit: Int64
    /// Largest value of a field that is not a file.
    let fieldLimit = 4096

    /// The boundary of a `multipart/form-data` content type, or nil.
    static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(value.count) ? value : nil
            }
        }
        return nil
    }

    func receive(_ body: RequestBody, boundary: String) async throws -> Received {
        let state = ParseState(blobs: blobs, fieldLimit: fieldLimit)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name: name, value: value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.partComplete() }
        var total: Int64 = 0
        do {
            for try await buffer in body {
                total += Int64(buffer.readableBytes)
                if total > limit { throw Failure.tooLarge(limit: limit) }
                do {
                    try parser.execute(buffer)
                } catch {
                    throw Failure.malformed("the form data cannot be read")
                }
                if let failure = state.failure { throw failure }
            }
            if let failure = state.failure { throw failure }
            if state.current != nil { throw Failure.malformed("the form data ends in the middle of a part") }
        } catch {
            state.received.discard()
            state.current?.writer?.discard()
            throw error
        }
        return state.received
    }

    /// The parser's callbacks cannot throw: they leave a failure here, checked after each chunk.
    private final class ParseState {
        struct Part {
            var field: String?
            var fileName: String?
            var writer: BlobWriter?
            var value: [UInt8] = []
        }

        let blobs: BlobStore
        let fieldLimit: Int
        var received = Received()
        var current: Part?
        var failure: Failure?

        init(blobs: BlobStore, fieldLimit: Int) {
            self.blobs = blobs
            self.fieldLimit = fieldLimit
        }

        func header(name: String, value: String) {
            if current == nil { current = Part() }
            guard name.lowercased() == "content-disposition" else { return }
            current?.field = Self.parameter("name", in: value)
            current?.fileName = Self.parameter("filename", in: value)
        }

        func body(_ buffer: inout ByteBuffer) {
            guard failure == nil else { return }
            if current == nil { current = Part() }
            guard let part = current else { return }
            if part.fileName != nil {
                do {
                    if part.writer == nil { current?.writer = try blobs.temporaryWriter() }
                    try buffer.withUnsafeReadableBytes { try current?.writer?.write($0) }
                } catch {
                    failure = .malformed("the upload cannot be written to disk: \(error)")
                }
            } else {
                current?.value.append(contentsOf: buffer.readableBytesView)
                if part.value.count + buffer.readableBytes > fieldLimit {
                    failure = .malformed("the form field \(part.field ?? "?") is too long")
                }
            }
            buffer.moveReaderIndex(to: buffer.writerIndex)
        }

        func partComplete() {
            defer { current = nil }
            guard failure == nil, let part = current, let field = part.field else {
                current?.writer?.discard()
                return
            }
            if let fileName = part.fileName {
                if fileName.isEmpty && part.writer == nil { return }   // a file input left empty
                let writer: BlobWriter
                if let existing = part.writer {
                    writer = existing
                } else {
                    do { writer = try blobs.temporaryWriter() } catch {
                        failure = .malformed("the upload cannot be written to disk: \(error)")
                        return
                    }
                }
                received.files.append(FilePart(field: field, fileName: fileName, writer: writer))
            } else {
                received.fields[field] = String(decoding: part.value, as: UTF8.self)
            }
        }

        /// `name="roster"` in a Content-Disposition value (quoted or not).
        static func parameter(_ key: String, in value: String) -> String? {
            for item in value.split(separator: ";").dropFirst() {
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == key else { continue }
                var text = pair[1]
                if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
                return text.replacingOccurrences(of: "\\\"", with: "\"")
            }
            return nil
        }
    }
}
