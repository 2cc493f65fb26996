import Foundation
import ZizhuCore
import ZizhuIO

/// Where a `CSVWriter` sends its bytes: a file, a GB18030 converter, a gzip stream, or memory
/// (a zip entry).
protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
    func close() throws
}

/// A plain file, created (or truncated) on open.
final class FileSink: ByteSink {
    private let handle: FileHandle
    private let path: String
    private var closed = false

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ZizhuError(.output, Message("sample.create", ["path": path]), hint: Message("sample.create.hint"))
        }
        do {
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch {
            throw ZizhuError(.output, Message("sample.open", ["path": path]), cause: UnderlyingFailure(error))
        }
    }

    func write(_ bytes: [UInt8]) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw ZizhuError(.output, Message("sample.write", ["path": path]), cause: UnderlyingFailure(error))
        }
    }

    func close() throws {
        guard !closed else { return }
        closed = true
        do {
            try handle.close()
        } catch {
            throw ZizhuError(.output, Message("sample.close", ["path": path]), cause: UnderlyingFailure(error))
        }
    }
}

/// Bytes kept in memory (zip entries are small and written in one go).
final class MemorySink: ByteSink {
    private(set) var bytes: [UInt8] = []

    func write(_ bytes: [UInt8]) throws {
        self.bytes.append(contentsOf: bytes)
    }

    func close() throws {}
}

/// The text of a Foundation error, carried as a `ZizhuError` cause (Foundation's errors are not
/// `Sendable`).
struct UnderlyingFailure: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ error: any Error) { description = String(describing: error) }
}

/// Converts UTF-8 to GB18030 on the way to the next sink. Writers flush at row boundaries, so
/// every chunk is whole characters.
final class GB18030Sink: ByteSink {
    private let next: ByteSink
    private let converter: IconvConverter
    private var converted: [UInt8] = []

    init(next: ByteSink) throws {
        self.next = next
        converter = try IconvConverter(from: "UTF-8", to: "GB18030")
    }

    func write(_ bytes: [UInt8]) throws {
        converted.removeAll(keepingCapacity: true)
        _ = try bytes.withUnsafeBytes { try converter.convert($0, into: &converted, final: true) }
        try next.write(converted)
    }

    func close() throws {
        try next.close()
    }
}

/// A gzip file (reproducible header: no name, no time).
final class GzipSink: ByteSink {
    private let writer: GzipFileWriter

    init(path: String, level: Int32) throws {
        writer = try GzipFileWriter(path: path, level: level)
    }

    func write(_ bytes: [UInt8]) throws {
        try writer.write(bytes)
    }

    func close() throws {
        try writer.close()
    }
}
