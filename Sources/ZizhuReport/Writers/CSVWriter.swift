import Foundation
import ZizhuCore

/// Writes CSV for people: UTF-8 with a BOM (Excel opens it right), CRLF line ends, RFC 4180
/// quoting, and a `'` before any cell starting with `= + - @`, a tab or a carriage return so a
/// spreadsheet never runs it as a formula (contract §8). Streams through a buffer.
public final class CSVWriter {
    private let handle: UnsafeMutablePointer<FILE>
    private let path: String
    private var buffer: [UInt8] = []
    private var closed = false
    /// The file's digest as written, recorded with `output` under `name` on close.
    private var digest: (output: OutputDirectory, name: String, hash: FileDigest.Streaming)?

    /// A writer of the staged file `name` of `output`, which hashes what it writes: the manifest
    /// takes the digest from the writer instead of reading the file again.
    public convenience init(in output: OutputDirectory, name: String, header: [String], bom: Bool = true) throws {
        try self.init(url: output.stagedURL(name), header: [], bom: false, writesHeader: false)
        digest = (output, name, FileDigest.Streaming())
        if bom { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        try writeRow(header)
    }

    public convenience init(url: URL, header: [String], bom: Bool = true) throws {
        try self.init(url: url, header: header, bom: bom, writesHeader: true)
    }

    private init(url: URL, header: [String], bom: Bool, writesHeader: Bool) throws {
        path = url.path
        guard let handle = fopen(url.path, "wb") else {
            throw ZizhuError(.output, Message("error.write.createFile"), at: InputPosition(file: url.path), hint: WriteFailure.words(errno: errno, doing: "create the file"))
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 16)
        guard writesHeader else { return }
        if bom { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        try writeRow(header)
    }

    /// Appends one row.
    public func writeRow(_ cells: [String]) throws {
        Self.appendRow(cells, to: &buffer)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends rows already encoded (`appendRow`, `encodeCell`): whole rows, CRLF-ended.
    public func writeEncoded(_ rows: [UInt8]) throws {
        if buffer.count + rows.count < 1 << 16 {
            buffer.append(contentsOf: rows)
            return
        }
        try flush()
        try rows.withUnsafeBytes { try write($0) }
    }

    /// Encodes one row (guarded, quoted, CRLF) onto `buffer`.
    public static func appendRow(_ cells: [String], to buffer: inout [UInt8]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { buffer.append(0x2C) }
            appendCell(cell, to: &buffer)
        }
        buffer.append(0x0D)
        buffer.append(0x0A)
    }

    /// Appends one cell, guarded and quoted as needed.
    public static func appendCell(_ cell: String, to buffer: inout [UInt8]) {
        var cell = cell
        cell.withUTF8 { appendCell($0, to: &buffer) }
    }

    /// Appends one cell given as UTF-8 bytes, guarded and quoted as needed.
    public static func appendCell(_ utf8: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        let guarded: Bool
        if let first = utf8.first {
            guarded = first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
        } else {
            guarded = false
        }
        let needsQuotes = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        if needsQuotes {
            buffer.append(0x22)
            if guarded { buffer.append(0x27) }
            for byte in utf8 {
                if byte == 0x22 { buffer.append(0x22) }
                buffer.append(byte)
            }
            buffer.append(0x22)
        } else {
            if guarded { buffer.append(0x27) }
            buffer.append(contentsOf: utf8)
        }
    }

    /// Guards and quotes in place the cell whose raw UTF-8 is `buffer[start...]`: afterwards
    /// `buffer[start...]` holds what `appendCell` makes of those bytes. Most cells need neither,
    /// and are only looked at.
    public static func encodeCell(from start: Int, in buffer: inout [UInt8]) {
        let end = buffer.count
        guard start < end else { return }
        let plain = buffer.withUnsafeBufferPointer { all -> Bool in
            let first = all[start]
            if first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D { return false }
            for k in start..<end {
                let byte = all[k]
                if byte < 0x2D, byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return false }
            }
            return true
        }
        if plain { return }
        let raw = Array(buffer[start..<end])
        buffer.removeSubrange(start..<end)
        raw.withUnsafeBufferPointer { appendCell($0, to: &buffer) }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        digest?.hash.update(bytes)
        let written = fwrite(bytes.baseAddress, 1, bytes.count, handle)
        guard written == bytes.count else {
            throw ZizhuError(.output, Message("error.write.failed"), at: InputPosition(file: path), hint: WriteFailure.words(errno: errno, doing: "write the file"))
        }
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        try flush()
        guard fclose(handle) == 0 else {
            throw ZizhuError(.output, Message("error.write.finish"), at: InputPosition(file: path), hint: WriteFailure.words(errno: errno, doing: "write the file"))
        }
        if let digest { digest.output.recordDigest(digest.hash.digest(as: digest.name), of: digest.name) }
    }

    deinit { if !closed { fclose(handle) } }
}
