#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZizhuCore

/// A package data file read whole: its header and its data rows.
public struct PackageTable: Sendable, Equatable {
    /// The header row: the schema's field names (`student_no`, `name`, …).
    public var header: [String]
    /// The data rows, each with as many fields as the header.
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The position of the column named `name` in the header, if any.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}

/// Reads the CSV a package holds: UTF-8, `,`-separated, LF line ends, a header row (RFC 4180
/// quoting: a field in `"…"` may hold commas, line feeds and doubled quotes `""`).
///
/// This is not the ingest reader (which guesses encodings, separators and headers of Excel
/// exports): a package's data files were written by zizhu in one exact form, so anything else —
/// a stray quote, a row with another number of fields than the header, bytes that are not UTF-8
/// — is an error (`.csvSyntax` / `.invalidEncoding`) naming the file and the physical line. A
/// CR is data, not a line end (the format is LF); a leading UTF-8 byte-order mark is skipped.
/// A blank line is a record of one empty field, so it fails the field count.
public enum PackageCSV {
    /// The header and every data row.
    public static func parse(_ bytes: [UInt8], name: String) throws -> PackageTable {
        var rows: [[String]] = []
        let header = try forEachRow(in: bytes, name: name) { fields, _ in rows.append(fields) }
        return PackageTable(header: header, rows: rows)
    }

    /// Calls `body` with each data row's fields and the physical line the row starts on; returns
    /// the header.
    @discardableResult
    public static func forEachRow(in bytes: [UInt8], name: String,
                                  _ body: (_ fields: [String], _ line: Int) throws -> Void) throws -> [String] {
        try scan(bytes, name: name) { scanner, isHeader in
            var fields: [String] = []
            fields.reserveCapacity(scanner.spans.count)
            for index in scanner.spans.indices { fields.append(scanner.string(index)) }
            if !isHeader { try body(fields, scanner.recordLine) }
            return fields
        }
    }

    /// Data rows (records after the header), read with the same rules as `parse`.
    public static func countRows(_ bytes: [UInt8], name: String) throws -> Int {
        var rows = 0
        _ = try scan(bytes, name: name) { scanner, isHeader in
            if isHeader { return scanner.spans.indices.map { scanner.string($0) } }
            rows += 1
            return []
        }
        return rows
    }

    /// Runs `record` on every record (the header first) and returns the header as `record`
    /// gave it back for the first one. Checks every record's field count against the header.
    /// `checked`: the bytes were already read by `scan` without an error (the verifier's data
    /// files), so their UTF-8 is not checked again.
    package static func scan(_ bytes: [UInt8], name: String, checked: Bool = false,
                             _ record: (_ scanner: Scanner, _ isHeader: Bool) throws -> [String]) throws -> [String] {
        try bytes.withUnsafeBufferPointer { buffer in
            if !checked, let (offset, line) = firstInvalidUTF8(buffer) {
                throw ZizhuError(.invalidEncoding, Message("packageCSV.utf8", ["offset": "\(offset)"]),
                                 at: InputPosition(file: name, line: line, byteOffset: Int64(offset)),
                                 hint: Message("packageCSV.utf8.hint"))
            }
            var scanner = Scanner(bytes: buffer, name: name)
            guard try scanner.next() else {
                throw ZizhuError(.noHeader, Message("packageCSV.empty"), at: InputPosition(file: name),
                                 hint: Message("packageCSV.empty.hint"))
            }
            let header = try record(scanner, true)
            let width = header.count
            while try scanner.next() {
                guard scanner.spans.count == width else {
                    throw ZizhuError(.csvSyntax, Message("packageCSV.width", ["cells": "\(scanner.spans.count)", "width": "\(width)"]),
                                     at: InputPosition(file: name, line: scanner.recordLine),
                                     hint: Message("packageCSV.edited.hint"))
                }
                _ = try record(scanner, false)
            }
            return header
        }
    }

    /// The fast path of `scan` for bytes that `scan` already read without an error (the same
    /// bytes, by SHA-256: a merge's pass 2), where nothing is checked again: `header` gets the
    /// header row and says whether to go on; then `record` gets each data record's bytes (without
    /// its line feed) and the physical line it is on. It applies only to a file with no `"` and no
    /// CR anywhere, where every record is one line of unquoted fields and its bytes are exactly
    /// its fields joined by commas; for any other file it returns false without calling either
    /// closure, and the caller uses `scan`. Lines are found with `memchr`; no field is looked at.
    package static func forEachPlainRecord(inChecked bytes: [UInt8], name: String,
                                           header: (_ header: [String]) throws -> Bool,
                                           _ record: (_ bytes: UnsafeBufferPointer<UInt8>, _ line: Int) throws -> Void) throws -> Bool {
        try bytes.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            let count = buffer.count
            guard memchr(base, Int32(UInt8(ascii: "\"")), count) == nil, memchr(base, 0x0D, count) == nil else { return false }
            var scanner = Scanner(bytes: buffer, name: name)
            guard try scanner.next() else {
                throw ZizhuError(.noHeader, Message("packageCSV.empty"), at: InputPosition(file: name),
                                 hint: Message("packageCSV.empty.hint"))
            }
            guard try header(scanner.spans.indices.map { scanner.string($0) }) else { return false }
            var start = scanner.position
            var line = 2
            while start < count {
                let end: Int
                if let found = memchr(base + start, Int32(UInt8(ascii: "\n")), count - start) {
                    end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                } else {
                    end = count
                }
                try record(UnsafeBufferPointer(rebasing: buffer[start..<end]), line)
                start = end + 1
                line += 1
            }
            return true
        }
    }

    /// The offset and line of the first byte that is not part of well-formed UTF-8, if any.
    /// Runs of ASCII are skipped eight bytes at a time and lines are counted only once an invalid
    /// byte is found: a package's data files are read several times, and this ran on every byte
    /// of each read (13 % of a merge). `firstInvalidUTF8Bytewise` is the plain form it must agree with.
    package static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> (offset: Int, line: Int)? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index < count {
            while index + 8 <= count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { break }
            let byte = base[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length = sequenceLength(base, count, at: index)
            if length == 0 {
                var line = 1
                for at in 0..<index where base[at] == 0x0A { line += 1 }
                return (index, line)
            }
            index += length
        }
        return nil
    }

    /// The length of the well-formed multi-byte sequence starting at `index` (whose byte is ≥ 0x80), or 0.
    @inline(__always)
    private static func sequenceLength(_ bytes: UnsafePointer<UInt8>, _ count: Int, at index: Int) -> Int {
        func continuation(_ at: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            at < count && bytes[at] >= low && bytes[at] <= high
        }
        switch bytes[index] {
        case 0xC2...0xDF: return continuation(index + 1) ? 2 : 0
        case 0xE0: return continuation(index + 1, 0xA0) && continuation(index + 2) ? 3 : 0
        case 0xED: return continuation(index + 1, 0x80, 0x9F) && continuation(index + 2) ? 3 : 0
        case 0xE1...0xEF: return continuation(index + 1) && continuation(index + 2) ? 3 : 0
        case 0xF0: return continuation(index + 1, 0x90) && continuation(index + 2) && continuation(index + 3) ? 4 : 0
        case 0xF4: return continuation(index + 1, 0x80, 0x8F) && continuation(index + 2) && continuation(index + 3) ? 4 : 0
        case 0xF1...0xF3: return continuation(index + 1) && continuation(index + 2) && continuation(index + 3) ? 4 : 0
        default: return 0
        }
    }

    /// The byte-at-a-time form of `firstInvalidUTF8`, kept as its oracle in tests.
    package static func firstInvalidUTF8Bytewise(_ bytes: UnsafeBufferPointer<UInt8>) -> (offset: Int, line: Int)? {
        var index = 0
        var line = 1
        let count = bytes.count
        func continuation(_ at: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            at < count && bytes[at] >= low && bytes[at] <= high
        }
        while index < count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x0A: line += 1; length = 1
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = continuation(index + 1) ? 2 : 0
            case 0xE0: length = continuation(index + 1, 0xA0) && continuation(index + 2) ? 3 : 0
            case 0xED: length = continuation(index + 1, 0x80, 0x9F) && continuation(index + 2) ? 3 : 0
            case 0xE1...0xEF: length = continuation(index + 1) && continuation(index + 2) ? 3 : 0
            case 0xF0: length = continuation(index + 1, 0x90) && continuation(index + 2) && continuation(index + 3) ? 4 : 0
            case 0xF4: length = continuation(index + 1, 0x80, 0x8F) && continuation(index + 2) && continuation(index + 3) ? 4 : 0
            case 0xF1...0xF3: length = continuation(index + 1) && continuation(index + 2) && continuation(index + 3) ? 4 : 0
            default: length = 0
            }
            if length == 0 { return (index, line) }
            index += length
        }
        return nil
    }

    /// Splits records into field spans without copying; strings are made only on request.
    package struct Scanner {
        package struct Span {
            package var start: Int
            package var end: Int
            /// The field holds `""` pairs that stand for one `"`.
            package var hasDoubledQuotes: Bool
        }

        let bytes: UnsafeBufferPointer<UInt8>
        let name: String
        private var index = 0
        private var line = 1
        /// The physical line the last record began on.
        package private(set) var recordLine = 1
        /// The fields of the last record.
        package private(set) var spans: [Span] = []

        private static let quote = UInt8(ascii: "\"")
        private static let comma = UInt8(ascii: ",")
        private static let lineFeed = UInt8(ascii: "\n")

        init(bytes: UnsafeBufferPointer<UInt8>, name: String) {
            self.bytes = bytes
            self.name = name
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        }

        /// Reads the next record into `spans`; false at the end of the data.
        mutating func next() throws -> Bool {
            let count = bytes.count
            guard index < count else { return false }
            spans.removeAll(keepingCapacity: true)
            recordLine = line
            while true {
                if index < count, bytes[index] == Self.quote {
                    let fieldLine = line
                    index += 1
                    let start = index
                    var doubled = false
                    while true {
                        guard index < count else {
                            throw error(Message("packageCSV.unclosed", ["line": "\(fieldLine)"]), line: fieldLine)
                        }
                        let byte = bytes[index]
                        if byte == Self.quote {
                            if index + 1 < count, bytes[index + 1] == Self.quote {
                                doubled = true
                                index += 2
                                continue
                            }
                            break
                        }
                        if byte == Self.lineFeed { line += 1 }
                        index += 1
                    }
                    spans.append(Span(start: start, end: index, hasDoubledQuotes: doubled))
                    index += 1
                    guard index < count else { return true }
                    if bytes[index] == Self.comma {
                        index += 1
                        continue
                    }
                    if bytes[index] == Self.lineFeed {
                        index += 1
                        line += 1
                        return true
                    }
                    throw error(Message("packageCSV.afterQuote"), line: line)
                }
                let start = index
                while index < count, bytes[index] != Self.comma, bytes[index] != Self.lineFeed {
                    if bytes[index] == Self.quote {
                        throw error(Message("packageCSV.strayQuote"), line: line)
                    }
                    index += 1
                }
                spans.append(Span(start: start, end: index, hasDoubledQuotes: false))
                guard index < count else { return true }
                if bytes[index] == Self.comma {
                    index += 1
                    continue
                }
                index += 1
                line += 1
                return true
            }
        }

        /// Where the next record starts (a byte offset into the data).
        package var position: Int { index }

        /// The raw bytes of field `index` of the last record (doubled quotes not yet undone).
        package func raw(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            let span = spans[index]
            return UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
        }

        /// True when field `index` is exactly `text` (compared as bytes; no quotes to undo in it).
        package func field(_ index: Int, equals text: StaticString) -> Bool {
            let span = spans[index]
            guard !span.hasDoubledQuotes else { return false }
            // `withUTF8Buffer`, not `utf8Start`: a one-scalar literal has no pointer representation.
            return text.withUTF8Buffer { raw(index).elementsEqual($0) }
        }

        /// Field `index` of the last record as text, doubled quotes undone (the bytes were
        /// checked to be UTF-8 before scanning).
        package func string(_ index: Int) -> String {
            let span = spans[index]
            var piece = Array(raw(index))
            if span.hasDoubledQuotes {
                var undone: [UInt8] = []
                undone.reserveCapacity(piece.count)
                var at = 0
                while at < piece.count {
                    undone.append(piece[at])
                    at += piece[at] == Self.quote ? 2 : 1
                }
                piece = undone
            }
            return String(decoding: piece, as: UTF8.self)
        }

        private func error(_ message: Message, line: Int) -> ZizhuError {
            ZizhuError(.csvSyntax, message, at: InputPosition(file: name, line: line), hint: Message("packageCSV.edited.hint"))
        }
    }
}
