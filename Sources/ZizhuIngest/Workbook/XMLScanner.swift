import CExpat
import ZizhuCore
import ZizhuIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The workbook's own XML tokeniser for the big parts (the sheets and `xl/sharedStrings.xml`):
/// the same events as `XMLStream` (element starts and ends by local name, character data) from
/// the inflated bytes as they come, with no C string, no String and no copy per event.
///
/// Expat spends about 56,000 instructions on each 12-cell row of a sheet (issue 14's callgrind);
/// this scanner does what SpreadsheetML needs of XML and no more, and is as strict as expat where
/// it matters: a document type declaration (so any entity declaration) is refused with the same
/// message; only the five predefined entities and character references to XML characters are
/// read; a document that is not well formed (unclosed or mismatched tags, a token cut off by the
/// end, bad attribute quoting, text where markup must be, bytes that are not UTF-8 or not XML
/// characters) stops with the same located error as expat's, its words from expat's own table.
/// Tokens cut by a chunk boundary are carried into the next chunk; character data is handed on
/// in pieces and never held whole, so only markup (a tag, comment, CDATA section) is bounded.
final class XMLScanner: XMLParsing {
    /// Longest markup token carried across chunks (a tag, comment, CDATA section, instruction).
    static var maxToken: Int { 16 << 20 }

    /// The scanner's state. A struct, scanned with one exclusive access per chunk: the state of
    /// a class would be checked for exclusive access at every property access, several times a
    /// tag (a third of the instructions before it was moved here).
    private var core: XMLScanCore
    /// Kept alive here: the core holds it unowned (no reference counting per event).
    private let events: any XMLEvents
    private let position: InputPosition
    /// Where `byteIndex` lives (written by the core while events run, read by the events).
    private let cursor: UnsafeMutablePointer<Int64>
    private let classes: UnsafeMutablePointer<UInt8>

    /// The unconsumed tail of the bytes fed so far (a token cut by a chunk boundary).
    private var carry: [UInt8] = []
    /// Carry length at which scanning it again can make progress (doubling keeps a long token linear).
    private var retryAt = 0
    private(set) var bytesFed: Int64 = 0
    /// Document offset of the token being reported (expat's current byte index).
    var byteIndex: Int64 { cursor.pointee }

    /// `quickPaths: false` reads every tag the general way (for the tests that hold the quick
    /// paths to it).
    init(events: any XMLEvents, position: InputPosition, quickPaths: Bool = true) {
        self.events = events
        self.position = position
        cursor = UnsafeMutablePointer<Int64>.allocate(capacity: 1)
        cursor.initialize(to: 0)
        classes = XMLScanCore.makeClasses()
        core = XMLScanCore(events: events, position: position, classes: classes, cursor: cursor, quickPaths: quickPaths)
    }

    deinit {
        core.release()
        cursor.deallocate()
        classes.deallocate()
    }

    func parse(_ input: ByteInput, chunkSize: Int) throws {
        try input.pump(chunkSize: chunkSize) { try feed($0) }
        try feed(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true)
    }

    /// Scans the next chunk; `isFinal` on the last (possibly empty) one.
    func feed(_ chunk: UnsafeRawBufferPointer, isFinal: Bool = false) throws {
        bytesFed += Int64(chunk.count)
        let bytes = UnsafeBufferPointer(start: chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), count: chunk.count)
        if carry.isEmpty {
            let used = try core.scan(bytes, final: isFinal)
            core.consumed(UnsafeBufferPointer(rebasing: bytes[0..<used]))
            if used < bytes.count {
                carry.append(contentsOf: bytes[used...])
                retryAt = carry.count + 1
            }
        } else {
            carry.append(contentsOf: bytes)
            try checkCarry()
            guard isFinal || carry.count >= retryAt else { return }
            let used = try carry.withUnsafeBufferPointer { all in
                let used = try core.scan(all, final: isFinal)
                core.consumed(UnsafeBufferPointer(rebasing: all[0..<used]))
                return used
            }
            carry.removeFirst(used)
            retryAt = used == 0 ? carry.count * 2 : carry.count + 1
        }
        try checkCarry()
        if isFinal { try core.finish(carry) }
    }

    private func checkCarry() throws {
        guard carry.count <= XMLScanner.maxToken else {
            throw ZizhuError(.limitExceeded, Message("error.xml.tokenTooLong", ["limit": String(XMLScanner.maxToken)]),
                             at: InputPosition(file: position.file, entry: position.entry, byteOffset: core.base),
                             hint: Message("hint.workbook.damaged"))
        }
    }
}

/// The scanner proper: where the document is (its stage, the open elements, the offset and line
/// of the bytes being scanned) and the scanning of one buffer.
struct XMLScanCore {
    /// The events, read once per `scan` and handed down as an argument: a method of an
    /// existential read from a stored property costs a retain and a release per call (per tag).
    unowned(unsafe) let eventsReference: any XMLEvents
    private let position: InputPosition
    private let classes: UnsafeMutablePointer<UInt8>
    private let cursor: UnsafeMutablePointer<Int64>
    /// Whether the quick paths for SpreadsheetML's tags are taken (always, but in tests).
    private let quickPaths: Bool

    /// Document offset of the first byte of the buffer being scanned.
    private(set) var base: Int64 = 0
    /// Newlines before `base` (for the error's line).
    private var linesBefore = 0

    private enum Stage { case start, prolog, content, epilog }
    private var stage = Stage.start
    /// Open elements' qualified names, one after the other.
    private var openNames = Slab<UInt8>()
    private var openEnds = Slab<Int>()

    /// The current start tag's attributes: ranges of the buffer, or of `decoded` when the value
    /// had references or white space to normalize.
    private var spans = Slab<Span>()
    private var decoded = Slab<UInt8>()
    private var attributes = Slab<XMLAttribute>()

    private struct Span {
        var name: Range<Int>
        var value: Range<Int>
        var decodedValue: Bool
    }

    /// Gives back the buffers (the scanner's `deinit`).
    func release() {
        openNames.release()
        openEnds.release()
        spans.release()
        decoded.release()
        attributes.release()
    }

    init(events: any XMLEvents, position: InputPosition, classes: UnsafeMutablePointer<UInt8>, cursor: UnsafeMutablePointer<Int64>,
         quickPaths: Bool = true) {
        eventsReference = events
        self.quickPaths = quickPaths
        self.position = position
        self.classes = classes
        self.cursor = cursor
    }

    // MARK: - Byte classes

    private static var plain: UInt8 { 0 }
    private static var lessThan: UInt8 { 1 }
    private static var ampersand: UInt8 { 2 }
    private static var carriageReturn: UInt8 { 3 }
    private static var bracket: UInt8 { 4 }
    private static var invalid: UInt8 { 5 }
    private static var lead: UInt8 { 6 }

    static func makeClasses() -> UnsafeMutablePointer<UInt8> {
        // Two tables: the class of a byte in character data, then (from 256) the class of a
        // byte in a name: 1 an ASCII name byte, 2 a byte of a multi-byte character, 0 none.
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 512)
        for byte in 0..<256 {
            let value = UInt8(truncatingIfNeeded: byte)
            table[256 + byte] = value >= 0x80 ? 2 : isNameByte(value) ? 1 : 0
        }
        for byte in 0..<256 {
            let value: UInt8
            switch byte {
            case 0x3C: value = lessThan
            case 0x26: value = ampersand
            case 0x0D: value = carriageReturn
            case 0x5D: value = bracket
            case 0x09, 0x0A: value = plain
            case 0..<0x20: value = invalid
            case 0x20..<0x80: value = plain
            case 0xC2...0xF4: value = lead
            default: value = invalid  // a continuation byte alone, C0, C1, F5–FF
            }
            table[byte] = value
        }
        return table
    }

    /// Moves past bytes scanned.
    mutating func consumed(_ bytes: UnsafeBufferPointer<UInt8>) {
        linesBefore += XMLScanCore.newlines(bytes)
        base += Int64(bytes.count)
    }

    private static func newlines(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let start = bytes.baseAddress else { return 0 }
        var offset = 0
        var count = 0
        while offset < bytes.count, let found = memchr(start + offset, 0x0A, bytes.count - offset) {
            count += 1
            offset = UnsafeRawPointer(found) - UnsafeRawPointer(start) + 1
        }
        return count
    }

    /// At the end of the document: nothing may be left open.
    func finish(_ carry: [UInt8]) throws {
        guard carry.isEmpty else {
            throw carry.withUnsafeBufferPointer { malformed(carry.first == 0x3C ? XML_ERROR_UNCLOSED_TOKEN : XML_ERROR_PARTIAL_CHAR, $0, 0) }
        }
        guard stage == .epilog else {
            throw malformed(XML_ERROR_NO_ELEMENTS, UnsafeBufferPointer(start: nil, count: 0), 0)
        }
    }

    // MARK: - Errors

    /// Expat's words for `code`, located at `index` of `buffer`.
    private func malformed(_ code: XML_Error, _ buffer: UnsafeBufferPointer<UInt8>, _ index: Int) -> ZizhuError {
        let message = XML_ErrorString(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
        let line = linesBefore + XMLScanCore.newlines(UnsafeBufferPointer(rebasing: buffer[0..<min(index, buffer.count)])) + 1
        return ZizhuError(.archive, Message("error.xml.malformed", ["message": message, "line": String(line)]),
                          at: InputPosition(file: position.file, entry: position.entry, byteOffset: base + Int64(index)),
                          hint: Message("hint.workbook.damaged"))
    }

    private func doctype() -> ZizhuError {
        ZizhuError(.archive, Message("error.xml.doctype"), at: position, hint: Message("error.xml.doctype.hint"))
    }

    // MARK: - Scanning

    /// Scans `p` as far as whole tokens go; returns how many bytes were used (the rest is a token
    /// cut by the end of the chunk, unless `final`).
    mutating func scan(_ p: UnsafeBufferPointer<UInt8>, final: Bool) throws -> Int {
        let events = eventsReference
        let n = p.count
        var i = 0
        if stage == .start, base == 0 {
            // A byte order mark (UTF-8 only: expat would read UTF-16, SpreadsheetML is UTF-8).
            if n < 3, !final, p.first == 0xEF { return 0 }
            if n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
            if let first = p.first, first == 0xFE || first == 0xFF || first == 0 {
                throw malformed(XML_ERROR_INCORRECT_ENCODING, p, 0)
            }
        }
        while i < n {
            if p[i] == 0x3C {
                guard let next = try markup(p, i, final: final, events) else { return i }
                i = next
            } else {
                let next = try text(p, i, final: final, events)
                if next == i { return i }
                i = next
            }
        }
        return i
    }

    /// Character data from `i` to the next `<` (or a safe point before the end); returns where it stopped.
    private mutating func text(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, final: Bool, _ events: any XMLEvents) throws -> Int {
        let n = p.count
        let inside = stage == .content
        var i = start
        var run = start
        @inline(__always) func flush(_ end: Int) throws {
            guard end > run else { return }
            let piece = UnsafeBufferPointer(rebasing: p[run..<end])
            if inside {
                cursor.pointee = base + Int64(run)
                try events.text(piece)
            } else if piece.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 }) {
                throw malformed(stage == .epilog ? XML_ERROR_JUNK_AFTER_DOC_ELEMENT : XML_ERROR_SYNTAX, p, run)
            }
        }
        while i < n {
            let byte = p[i]
            let kind = classes[Int(byte)]
            if kind == XMLScanCore.plain { i += 1; continue }
            switch kind {
            case XMLScanCore.lessThan:
                try flush(i)
                if stage == .start { stage = .prolog }
                return i
            case XMLScanCore.lead:
                let length = utf8Length(p, i)
                if length > 0 { i += length; continue }
                if length == 0 {
                    // Cut by the end of the chunk.
                    guard final else { try flush(i); return i }
                    throw malformed(XML_ERROR_PARTIAL_CHAR, p, i)
                }
                throw malformed(XML_ERROR_INVALID_TOKEN, p, i)
            case XMLScanCore.carriageReturn:
                // CR LF and a lone CR are a line feed.
                guard i + 1 < n || final else { try flush(i); if stage == .start { stage = .prolog }; return i }
                try flush(i)
                try newline(inside, events)
                i += (i + 1 < n && p[i + 1] == 0x0A) ? 2 : 1
                run = i
            case XMLScanCore.bracket:
                // `]]>` may not appear in character data.
                if i + 2 < n {
                    if p[i + 1] == 0x5D && p[i + 2] == 0x3E { throw malformed(XML_ERROR_INVALID_TOKEN, p, i) }
                    i += 1
                } else if final {
                    i += 1
                } else {
                    try flush(i)
                    if stage == .start { stage = .prolog }
                    return i
                }
            case XMLScanCore.ampersand:
                guard inside else { throw malformed(stage == .epilog ? XML_ERROR_JUNK_AFTER_DOC_ELEMENT : XML_ERROR_SYNTAX, p, i) }
                var scalar = [UInt8](repeating: 0, count: 4)
                guard let (next, count) = try reference(p, i, final: final, into: &scalar) else {
                    try flush(i)
                    return i
                }
                try flush(i)
                cursor.pointee = base + Int64(i)
                try scalar.withUnsafeBufferPointer { units in try events.text(UnsafeBufferPointer(rebasing: units[0..<count])) }
                i = next
                run = i
            default:
                throw malformed(XML_ERROR_INVALID_TOKEN, p, i)
            }
        }
        try flush(i)
        if stage == .start, i > start { stage = .prolog }
        return i
    }

    private func newline(_ inside: Bool, _ events: any XMLEvents) throws {
        guard inside else { return }
        var lineFeed: UInt8 = 0x0A
        try withUnsafePointer(to: &lineFeed) { unit in try events.text(UnsafeBufferPointer(start: unit, count: 1)) }
    }

    /// The length of the UTF-8 sequence at `i` (a lead byte) when it is a valid XML character;
    /// 0 when cut by the end of `p`, -1 when invalid (surrogates, U+FFFE, U+FFFF, overlong, too large).
    @inline(__always)
    private func utf8Length(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let lead = p[i]
        // Not a lead byte (a continuation byte alone, C0, C1, F5–FF): a name's bytes come here
        // unchecked by the class table (found by the fuzzer: `<` and 0x85 0x85 … read as a name).
        guard lead >= 0xC2 && lead <= 0xF4 else { return -1 }
        let n = p.count
        @inline(__always) func continuation(_ k: Int) -> Bool { p[k] & 0xC0 == 0x80 }
        if lead < 0xE0 {
            guard i + 1 < n else { return 0 }
            return continuation(i + 1) ? 2 : -1
        }
        if lead < 0xF0 {
            guard i + 1 < n else { return 0 }
            let second = p[i + 1]
            let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
            guard second >= low && second <= high else { return -1 }
            guard i + 2 < n else { return 0 }
            guard continuation(i + 2) else { return -1 }
            // U+FFFE and U+FFFF are not XML characters.
            if lead == 0xEF, second == 0xBF, p[i + 2] >= 0xBE { return -1 }
            return 3
        }
        guard i + 1 < n else { return 0 }
        let second = p[i + 1]
        let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
        let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
        guard second >= low && second <= high else { return -1 }
        guard i + 2 < n else { return 0 }
        guard continuation(i + 2) else { return -1 }
        guard i + 3 < n else { return 0 }
        return continuation(i + 3) ? 4 : -1
    }

    /// A reference at `i` (`&`): the byte after it and the UTF-8 of what it stands for, or nil
    /// when it is cut by the end of `p`.
    private func reference(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, final: Bool,
                           into out: inout [UInt8]) throws -> (Int, Int)? {
        let n = p.count
        var end = i + 1
        while end < n, p[end] != 0x3B, end - i < 64 { end += 1 }
        guard end < n else {
            guard final else { return nil }
            throw malformed(XML_ERROR_UNCLOSED_TOKEN, p, i)
        }
        guard p[end] == 0x3B else { throw malformed(XML_ERROR_INVALID_TOKEN, p, i) }
        let body = UnsafeBufferPointer(rebasing: p[(i + 1)..<end])
        guard let first = body.first else { throw malformed(XML_ERROR_INVALID_TOKEN, p, i) }
        if first == 0x23 {  // #
            var value: UInt32 = 0
            var digits = 0
            if body.count > 1, body[1] == 0x78 {  // x
                for byte in body.dropFirst(2) {
                    let digit: UInt32
                    switch byte {
                    case 0x30...0x39: digit = UInt32(byte - 0x30)
                    case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                    case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                    default: throw malformed(XML_ERROR_INVALID_TOKEN, p, i)
                    }
                    value = value > 0x10FFFF ? value : value * 16 + digit
                    digits += 1
                }
            } else {
                for byte in body.dropFirst() {
                    guard byte >= 0x30 && byte <= 0x39 else { throw malformed(XML_ERROR_INVALID_TOKEN, p, i) }
                    value = value > 0x10FFFF ? value : value * 10 + UInt32(byte - 0x30)
                    digits += 1
                }
            }
            guard digits > 0 else { throw malformed(XML_ERROR_INVALID_TOKEN, p, i) }
            let isCharacter = value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
            guard isCharacter, let scalar = Unicode.Scalar(value) else { throw malformed(XML_ERROR_BAD_CHAR_REF, p, i) }
            var count = 0
            for unit in UTF8.encode(scalar) ?? UTF8.EncodedScalar() {
                out[count] = unit
                count += 1
            }
            return (end + 1, count)
        }
        let byte: UInt8
        switch (body.count, first) {
        case (2, 0x6C) where body[1] == 0x74: byte = 0x3C  // lt
        case (2, 0x67) where body[1] == 0x74: byte = 0x3E  // gt
        case (3, 0x61) where body[1] == 0x6D && body[2] == 0x70: byte = 0x26  // amp
        case (4, 0x71) where body[1] == 0x75 && body[2] == 0x6F && body[3] == 0x74: byte = 0x22  // quot
        case (4, 0x61) where body[1] == 0x70 && body[2] == 0x6F && body[3] == 0x73: byte = 0x27  // apos
        default:
            guard XMLScanCore.isNameStart(first), body.dropFirst().allSatisfy({ XMLScanCore.isNameByte($0) }) else { throw malformed(XML_ERROR_INVALID_TOKEN, p, i) }
            throw malformed(XML_ERROR_UNDEFINED_ENTITY, p, i)
        }
        out[0] = byte
        return (end + 1, 1)
    }

    @inline(__always)
    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F || byte == 0x3A || byte >= 0x80
    }

    @inline(__always)
    private static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// A name at `i`: the index after it, nil when cut by the end of `p`.
    private func name(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) throws -> Int? {
        let n = p.count
        guard i < n else { return nil }
        guard XMLScanCore.isNameStart(p[i]) else { throw malformed(XML_ERROR_INVALID_TOKEN, p, i) }
        let nameClasses = classes + 256
        var j = i
        while j < n {
            let kind = nameClasses[Int(p[j])]
            if kind == 1 {
                j += 1
            } else if kind == 0 {
                return j
            } else {
                let length = utf8Length(p, j)
                if length == 0 { return nil }
                guard length > 0 else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
                j += length
            }
        }
        return nil
    }

    /// Markup at `i` (`<`): the index after it, nil when cut by the end of `p` (an error when `final`).
    private mutating func markup(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, final: Bool, _ events: any XMLEvents) throws -> Int? {
        let next: Int?
        let n = p.count
        if i + 1 >= n {
            next = nil
        } else {
            switch p[i + 1] {
            case 0x2F: next = try endTag(p, i, events)  // </
            case 0x3F: next = try instruction(p, i)  // <?
            case 0x21: next = try declaration(p, i, events)  // <!
            default: next = try quickStartTag(p, i, events) ?? startTag(p, i, events)
            }
        }
        if next == nil, final {
            throw malformed(XML_ERROR_UNCLOSED_TOKEN, p, i)
        }
        if next != nil, stage == .start { stage = .prolog }
        return next
    }

    /// A start tag as SpreadsheetML writes them inside the root (`<c r="B7" s="3" t="s">`,
    /// `<v>`, `<row r="7">`): ASCII names, attributes apart by spaces, `="` right after the name,
    /// values of printable ASCII without references, all in `p`. Reported straight from `p`;
    /// nil for anything else (a tag cut by the end of the chunk, a duplicate attribute, a
    /// reference, a tab, a character beyond ASCII…), which `startTag` then reads (and judges)
    /// from the start: what this takes, `startTag` would read the same way.
    @inline(__always)
    private mutating func quickStartTag(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ events: any XMLEvents) throws -> Int? {
        guard quickPaths, stage == .content, let start = p.baseAddress else { return nil }
        let n = p.count
        let nameClasses = classes + 256
        @inline(__always) func isASCIINameStart(_ byte: UInt8) -> Bool {
            (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F || byte == 0x3A
        }
        var j = i + 1
        guard j < n, isASCIINameStart(p[j]) else { return nil }
        j += 1
        while j < n, nameClasses[Int(p[j])] == 1 { j += 1 }
        let nameEnd = j
        attributes.removeAll()
        var selfClosing = false
        while true {
            guard j < n else { return nil }
            let byte = p[j]
            if byte == 0x3E { j += 1; break }
            if byte == 0x2F {
                guard j + 1 < n, p[j + 1] == 0x3E else { return nil }
                j += 2
                selfClosing = true
                break
            }
            guard byte == 0x20 else { return nil }
            j += 1
            while j < n, p[j] == 0x20 { j += 1 }
            guard j < n else { return nil }
            let keyStart = j
            guard isASCIINameStart(p[j]) else {
                if p[j] == 0x3E || p[j] == 0x2F { continue }
                return nil
            }
            j += 1
            while j < n, nameClasses[Int(p[j])] == 1 { j += 1 }
            let keyLength = j - keyStart
            guard j + 1 < n, p[j] == 0x3D, p[j + 1] == 0x22 else { return nil }
            j += 2
            let valueStart = j
            while j < n {
                let value = p[j]
                if value == 0x22 { break }
                guard value >= 0x20 && value < 0x80 && value != 0x3C && value != 0x26 else { return nil }
                j += 1
            }
            guard j < n else { return nil }
            for attribute in attributes.buffer {
                guard let other = attribute.name.baseAddress else { return nil }
                if attribute.name.count == keyLength && XMLScanCore.same(other, start + keyStart, keyLength) { return nil }
            }
            attributes.append(XMLAttribute(name: UnsafeBufferPointer(start: start + keyStart, count: keyLength),
                                           value: UnsafeBufferPointer(start: start + valueStart, count: j - valueStart)))
            j += 1
        }
        let qualified = UnsafeBufferPointer(start: start + i + 1, count: nameEnd - i - 1)
        openNames.append(contentsOf: qualified)
        openEnds.append(openNames.count)
        cursor.pointee = base + Int64(i)
        try events.start(XMLName(qualified: qualified), XMLAttributes(list: attributes.buffer))
        if selfClosing { try close(p, i, events) }
        return j
    }

    private mutating func startTag(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ events: any XMLEvents) throws -> Int? {
        let n = p.count
        guard let nameEnd = try name(p, i + 1) else { return nil }
        spans.removeAll()
        decoded.removeAll()
        var j = nameEnd
        var selfClosing = false
        while true {
            let spaced = j
            while j < n, XMLScanCore.isSpace(p[j]) { j += 1 }
            guard j < n else { return nil }
            if p[j] == 0x3E { j += 1; break }
            if p[j] == 0x2F {
                guard j + 1 < n else { return nil }
                guard p[j + 1] == 0x3E else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
                j += 2
                selfClosing = true
                break
            }
            guard j > spaced else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
            guard let keyEnd = try name(p, j) else { return nil }
            let key = j..<keyEnd
            j = keyEnd
            while j < n, XMLScanCore.isSpace(p[j]) { j += 1 }
            guard j < n else { return nil }
            guard p[j] == 0x3D else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
            j += 1
            while j < n, XMLScanCore.isSpace(p[j]) { j += 1 }
            guard j < n else { return nil }
            let quote = p[j]
            guard quote == 0x22 || quote == 0x27 else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
            j += 1
            let valueStart = j
            var plain = true
            while true {
                guard j < n else { return nil }
                let byte = p[j]
                if byte == quote { break }
                switch classes[Int(byte)] {
                case XMLScanCore.plain, XMLScanCore.bracket:
                    if byte < 0x20 { plain = false }  // tab, line feed: normalized to a space
                    j += 1
                case XMLScanCore.lead:
                    let length = utf8Length(p, j)
                    if length == 0 { return nil }
                    guard length > 0 else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
                    j += length
                case XMLScanCore.ampersand, XMLScanCore.carriageReturn:
                    plain = false
                    j += 1
                default:  // `<` or a control character
                    throw malformed(XML_ERROR_INVALID_TOKEN, p, j)
                }
            }
            if plain {
                spans.append(Span(name: key, value: valueStart..<j, decodedValue: false))
            } else {
                guard let value = try attributeValue(p, valueStart, j) else { return nil }
                spans.append(Span(name: key, value: value, decodedValue: true))
            }
            j += 1
            // Attributes must be apart: `a="1"b="2"` is not well formed.
            guard j < n else { return nil }
            let after = p[j]
            guard XMLScanCore.isSpace(after) || after == 0x3E || after == 0x2F else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
        }
        // Duplicate attribute names.
        if spans.count > 16 {
            var seen = Set<ArraySlice<UInt8>>()
            for span in spans.buffer where !seen.insert(ArraySlice(p[span.name])).inserted {
                throw malformed(XML_ERROR_DUPLICATE_ATTRIBUTE, p, span.name.lowerBound)
            }
        } else if spans.count > 1, let start = p.baseAddress {
            let list = spans.buffer
            for a in 1..<list.count {
                let name = list[a].name
                for b in 0..<a where list[b].name.count == name.count
                    && XMLScanCore.same(start + list[b].name.lowerBound, start + name.lowerBound, name.count) {
                    throw malformed(XML_ERROR_DUPLICATE_ATTRIBUTE, p, name.lowerBound)
                }
            }
        }
        switch stage {
        case .epilog: throw malformed(XML_ERROR_JUNK_AFTER_DOC_ELEMENT, p, i)
        default: stage = .content
        }
        let qualified = UnsafeBufferPointer(rebasing: p[(i + 1)..<nameEnd])
        openNames.append(contentsOf: qualified)
        openEnds.append(openNames.count)
        cursor.pointee = base + Int64(i)
        attributes.removeAll()
        let decodedValues = decoded.buffer
        for span in spans.buffer {
            attributes.append(XMLAttribute(name: UnsafeBufferPointer(rebasing: p[span.name]),
                                           value: span.decodedValue ? UnsafeBufferPointer(rebasing: decodedValues[span.value])
                                                                    : UnsafeBufferPointer(rebasing: p[span.value])))
        }
        try events.start(XMLName(qualified: qualified), XMLAttributes(list: attributes.buffer))
        if selfClosing { try close(p, i, events) }
        return j
    }

    /// An attribute value with references and whitespace: decoded into `decoded`; its range there.
    private mutating func attributeValue(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) throws -> Range<Int>? {
        let first = decoded.count
        var j = start
        var scalar = [UInt8](repeating: 0, count: 4)
        while j < end {
            let byte = p[j]
            switch byte {
            case 0x26:
                guard let (next, count) = try reference(p, j, final: true, into: &scalar), next <= end else {
                    throw malformed(XML_ERROR_INVALID_TOKEN, p, j)
                }
                for unit in scalar[0..<count] { decoded.append(unit) }
                j = next
            case 0x0D:
                decoded.append(0x20)
                j += (j + 1 < end && p[j + 1] == 0x0A) ? 2 : 1
            case 0x09, 0x0A:
                decoded.append(0x20)
                j += 1
            default:
                decoded.append(byte)
                j += 1
            }
        }
        return first..<decoded.count
    }

    private mutating func endTag(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ events: any XMLEvents) throws -> Int? {
        let n = p.count
        // The common case first: `</` the innermost open name `>`, compared as bytes (that name
        // was read as a name when it opened, and `>` ends a name, so the slow path below would
        // read the same).
        if quickPaths, let top = openEnds.buffer.last, let start = p.baseAddress {
            let topStart = openEnds.count > 1 ? openEnds.buffer[openEnds.count - 2] : 0
            let length = top - topStart
            let after = i + 2 + length
            if after < n, p[after] == 0x3E, XMLScanCore.same(openNames.base + topStart, start + i + 2, length) {
                try close(p, i, events)
                return after + 1
            }
        }
        guard let nameEnd = try name(p, i + 2) else { return nil }
        var j = nameEnd
        while j < n, XMLScanCore.isSpace(p[j]) { j += 1 }
        guard j < n else { return nil }
        guard p[j] == 0x3E else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
        guard let top = openEnds.buffer.last else {
            throw malformed(stage == .epilog ? XML_ERROR_JUNK_AFTER_DOC_ELEMENT : XML_ERROR_SYNTAX, p, i)
        }
        let topStart = openEnds.count > 1 ? openEnds.buffer[openEnds.count - 2] : 0
        let closing = UnsafeBufferPointer(rebasing: p[(i + 2)..<nameEnd])
        guard let closingStart = closing.baseAddress else { throw malformed(XML_ERROR_INVALID_TOKEN, p, i) }
        let matches = closing.count == top - topStart && memcmp(openNames.base + topStart, closingStart, closing.count) == 0
        guard matches else { throw malformed(XML_ERROR_TAG_MISMATCH, p, i) }
        try close(p, i, events)
        return j + 1
    }

    /// Whether `count` bytes at `a` and `b` are the same (names of a few bytes: no call to memcmp).
    @inline(__always)
    static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var k = 0
        while k < count {
            if a[k] != b[k] { return false }
            k += 1
        }
        return true
    }

    /// Ends the innermost open element (its end tag at `i`).
    private mutating func close(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ events: any XMLEvents) throws {
        let top = openEnds.removeLast()
        let topStart = openEnds.buffer.last ?? 0
        cursor.pointee = base + Int64(i)
        try events.end(XMLName(qualified: UnsafeBufferPointer(rebasing: openNames.buffer[topStart..<top])))
        openNames.count = topStart
        if openEnds.count == 0 { stage = .epilog }
    }

    /// `<?target …?>`; the XML declaration only at the very start, in UTF-8.
    private func instruction(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) throws -> Int? {
        guard let targetEnd = try name(p, i + 2) else { return nil }
        guard let close = find(p, from: targetEnd, 0x3F, 0x3E) else { return nil }
        try checkCharacters(p, targetEnd, close)
        let target = p[(i + 2)..<targetEnd]
        if target.count == 3, target.elementsEqual("xml".utf8) {
            guard stage == .start, base + Int64(i) <= 3 else { throw malformed(XML_ERROR_MISPLACED_XML_PI, p, i) }
            try declarationEncoding(p, targetEnd, close)
        } else if target.count == 3, target.map({ $0 | 0x20 }).elementsEqual("xml".utf8) {
            throw malformed(XML_ERROR_INVALID_TOKEN, p, i)
        } else if targetEnd < close, !XMLScanCore.isSpace(p[targetEnd]) {
            throw malformed(XML_ERROR_INVALID_TOKEN, p, targetEnd)
        }
        return close + 2
    }

    /// The XML declaration's pseudo-attributes as XML 1.0 has them: `version`, then `encoding`
    /// (UTF-8 only: SpreadsheetML is always UTF-8), then `standalone` (`yes` or `no`), each
    /// after white space, nothing else.
    private func declarationEncoding(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) throws {
        let body = Array(p[start..<end])
        var j = 0
        var pairs: [(String, String)] = []
        while true {
            let spaced = j
            while j < body.count, XMLScanCore.isSpace(body[j]) { j += 1 }
            if j == body.count { break }
            guard j > spaced else { throw malformed(XML_ERROR_XML_DECL, p, start) }
            let keyStart = j
            while j < body.count, body[j] >= 0x61 && body[j] <= 0x7A { j += 1 }
            let key = String(decoding: body[keyStart..<j], as: UTF8.self)
            while j < body.count, XMLScanCore.isSpace(body[j]) { j += 1 }
            guard j < body.count, body[j] == 0x3D else { throw malformed(XML_ERROR_XML_DECL, p, start) }
            j += 1
            while j < body.count, XMLScanCore.isSpace(body[j]) { j += 1 }
            guard j < body.count, body[j] == 0x22 || body[j] == 0x27 else { throw malformed(XML_ERROR_XML_DECL, p, start) }
            let quote = body[j]
            guard let close = body[(j + 1)...].firstIndex(of: quote) else { throw malformed(XML_ERROR_XML_DECL, p, start) }
            pairs.append((key, String(decoding: body[(j + 1)..<close], as: UTF8.self)))
            j = close + 1
        }
        var order = ["version", "encoding", "standalone"][...]
        for (index, (key, value)) in pairs.enumerated() {
            guard let at = order.firstIndex(of: key), index > 0 || key == "version" else { throw malformed(XML_ERROR_XML_DECL, p, start) }
            order = order[(at + 1)...]
            switch key {
            case "version":
                guard value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._:-".unicodeScalars.contains($0)) }) else {
                    throw malformed(XML_ERROR_XML_DECL, p, start)
                }
            case "encoding":
                guard let first = value.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
                      value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) })
                else { throw malformed(XML_ERROR_XML_DECL, p, start) }
                let name = value.lowercased()
                guard name == "utf-8" else { throw malformed(XML_ERROR_UNKNOWN_ENCODING, p, start) }
            default:
                guard value == "yes" || value == "no" else { throw malformed(XML_ERROR_XML_DECL, p, start) }
            }
        }
        guard !pairs.isEmpty else { throw malformed(XML_ERROR_XML_DECL, p, start) }
    }

    /// `<!--`, `<![CDATA[`, or a refused `<!DOCTYPE` / `<!ENTITY`.
    private func declaration(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ events: any XMLEvents) throws -> Int? {
        let n = p.count
        @inline(__always) func startsWith(_ literal: StaticString) -> Bool? {
            let count = literal.utf8CodeUnitCount
            let available = min(count, n - i)
            guard let start = p.baseAddress else { return nil }
            let same = memcmp(start + i, literal.utf8Start, available) == 0
            guard same else { return false }
            return available == count ? true : nil
        }
        switch startsWith("<!--") {
        case nil: return nil
        case true?:
            // A comment may not hold `--`.
            guard let dashes = find(p, from: i + 4, 0x2D, 0x2D) else { return nil }
            guard dashes + 2 < n else { return nil }
            guard p[dashes + 2] == 0x3E else { throw malformed(XML_ERROR_INVALID_TOKEN, p, dashes) }
            try checkCharacters(p, i + 4, dashes)
            return dashes + 3
        case false?: break
        }
        switch startsWith("<![CDATA[") {
        case nil: return nil
        case true?:
            guard let close = find(p, from: i + 9, 0x5D, 0x5D, 0x3E) else { return nil }
            guard stage == .content else { throw malformed(XML_ERROR_INVALID_TOKEN, p, i) }
            try checkCharacters(p, i + 9, close)
            cursor.pointee = base + Int64(i)
            var run = i + 9
            var j = run
            while j < close {
                if p[j] == 0x0D {
                    if j > run { try events.text(UnsafeBufferPointer(rebasing: p[run..<j])) }
                    try newline(true, events)
                    j += (j + 1 < close && p[j + 1] == 0x0A) ? 2 : 1
                    run = j
                } else {
                    j += 1
                }
            }
            if close > run { try events.text(UnsafeBufferPointer(rebasing: p[run..<close])) }
            return close + 3
        case false?: break
        }
        // A document type declaration (where declarations of entities live) is refused with its
        // own words where expat would read it, before the root; anywhere else it is no XML.
        if stage == .start || stage == .prolog {
            switch startsWith("<!DOCTYPE") {
            case nil: return nil
            case true?: throw doctype()
            case false?: break
            }
        }
        throw malformed(stage == .content ? XML_ERROR_INVALID_TOKEN : XML_ERROR_SYNTAX, p, i)
    }

    /// Comments, instructions and CDATA hold XML characters in UTF-8 only.
    private func checkCharacters(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) throws {
        var j = start
        while j < end {
            let byte = p[j]
            if byte >= 0x20 && byte < 0x80 || byte == 0x09 || byte == 0x0A || byte == 0x0D { j += 1; continue }
            guard byte >= 0x80 else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
            let length = classes[Int(byte)] == XMLScanCore.lead ? utf8Length(UnsafeBufferPointer(rebasing: p[0..<end]), j) : -1
            guard length > 0 else { throw malformed(XML_ERROR_INVALID_TOKEN, p, j) }
            j += length
        }
    }

    /// The index of the first `a b` (or `a b c`) at or after `from`, nil when not in `p`.
    private func find(_ p: UnsafeBufferPointer<UInt8>, from: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8? = nil) -> Int? {
        guard let base = p.baseAddress else { return nil }
        var j = from
        let n = p.count
        while j < n, let found = memchr(base + j, Int32(a), n - j) {
            let k = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            guard k + 1 < n else { return nil }
            if p[k + 1] == b {
                guard let c else { return k }
                guard k + 2 < n else { return nil }
                if p[k + 2] == c { return k }
            }
            j = k + 1
        }
        return nil
    }
}

/// A growable buffer of plain values (bytes, offsets, spans) without reference counting,
/// uniqueness or exclusivity checks: the scanner's per-tag lists. `release()` frees it.
struct Slab<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// Elements held; lowering it drops the ones after (they are plain values).
    var count = 0 {
        didSet { assert(count >= 0 && count <= capacity) }
    }

    init() {
        capacity = 16
        base = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
    }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(count + 1) }
        (base + count).initialize(to: element)
        count += 1
    }

    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        let added = elements.count
        if count + added > capacity { grow(count + added) }
        guard let from = elements.baseAddress else { return }
        // Element by element: these are names and values of a few bytes, shorter than a call to memcpy.
        let to = base + count
        var offset = 0
        while offset < added {
            (to + offset).initialize(to: from[offset])
            offset += 1
        }
        count += added
    }

    mutating func removeLast() -> Element {
        precondition(count > 0, "removeLast on an empty Slab")  // the scanner closes only open elements
        count -= 1
        return base[count]
    }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    func release() { base.deallocate() }
}
