import CExpat
import ZizhuCore
import ZizhuIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an `XMLStream` reports: element starts and ends (local names, namespaces dropped) and
/// character data, as bytes that live only for the call.
protocol XMLEvents: AnyObject {
    func start(_ name: XMLName, _ attributes: XMLAttributes) throws
    func end(_ name: XMLName) throws
    func text(_ bytes: UnsafeBufferPointer<UInt8>) throws
}

/// A parser of one workbook part: expat (`XMLStream`) or the workbook's own scanner (`XMLScanner`).
protocol XMLParsing: AnyObject {
    /// Document offset of the event being reported (for record offsets).
    var byteIndex: Int64 { get }
    /// Bytes fed so far.
    var bytesFed: Int64 { get }
    /// Streams a whole input through the parser.
    func parse(_ input: ByteInput, chunkSize: Int) throws
}

/// Which parser reads a workbook's big parts (the sheets and the shared strings). The scanner is
/// what the product uses; expat stays as the oracle the scanner is tested against.
enum XMLEngine: Sendable {
    case scanner
    case expat

    func parser<Events: XMLEvents>(_ events: Events, position: InputPosition) throws -> any XMLParsing {
        switch self {
        case .scanner: return XMLScanner(events: events, position: position)
        case .expat: return try XMLStream(events: events, position: position)
        }
    }
}

/// An element's local name (the part after the namespace), compared with ASCII literals.
struct XMLName {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ raw: UnsafePointer<CChar>) {
        self.init(qualified: UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw)))
    }

    /// From a name as written, `c` or `x:c`.
    @inline(__always)
    init(qualified full: UnsafeBufferPointer<UInt8>) {
        // Names arrive as `prefix:local` when prefixed.
        if let bar = full.lastIndex(of: 0x3A) {  // `:`
            bytes = UnsafeBufferPointer(rebasing: full[(bar + 1)...])
        } else {
            bytes = full
        }
    }

    static func == (name: XMLName, literal: StaticString) -> Bool {
        guard name.bytes.count == literal.utf8CodeUnitCount else { return false }
        guard let base = name.bytes.baseAddress, name.bytes.count > 0 else { return true }
        // Byte by byte: names of a few bytes, shorter than a call to memcmp.
        let other = literal.utf8Start
        var k = 0
        while k < name.bytes.count {
            if base[k] != other[k] { return false }
            k += 1
        }
        return true
    }
}

/// One attribute as the scanner found it: its qualified name and its value (references decoded).
struct XMLAttribute {
    var name: UnsafeBufferPointer<UInt8>
    var value: UnsafeBufferPointer<UInt8>
}

/// An element's attributes, looked up by local name: expat's NULL-ended name/value pairs, or the
/// scanner's list.
struct XMLAttributes {
    private let pairs: UnsafeMutablePointer<UnsafePointer<CChar>?>?
    private let list: UnsafeBufferPointer<XMLAttribute>

    init(pairs: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        self.pairs = pairs
        list = UnsafeBufferPointer(start: nil, count: 0)
    }

    init(list: UnsafeBufferPointer<XMLAttribute>) {
        pairs = nil
        self.list = list
    }

    /// The value of the attribute whose local name is `key`, or nil.
    func value(_ key: StaticString) -> UnsafeBufferPointer<UInt8>? {
        var found: UnsafeBufferPointer<UInt8>?
        forEach { name, value in
            if found == nil, name == key { found = value }
        }
        return found
    }

    /// Every attribute in order, in one pass (for elements that read several).
    @inline(__always)
    func forEach(_ body: (XMLName, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        guard let pairs else {
            for attribute in list { try body(XMLName(qualified: attribute.name), attribute.value) }
            return
        }
        var index = 0
        while let name = pairs[index], let value = pairs[index + 1] {
            try body(XMLName(name), UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self),
                                                        count: strlen(value)))
            index += 2
        }
    }

    func string(_ key: StaticString) -> String? {
        value(key).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A push parser over expat: bytes go in as they come, events come out. A document type
/// declaration (and so any entity declaration, internal or external) is refused: SpreadsheetML
/// never has one, and entities are how XML bombs and external-entity reads work. External
/// entities are never loaded (no handler is set) and expat's amplification guard stays on.
final class XMLStream: XMLParsing {
    static let separator = UInt8(ascii: ":")

    private let parser: XML_Parser
    private let position: InputPosition
    private let box: Box

    /// An error thrown by a handler (kept while expat unwinds), or the refusal of a DOCTYPE.
    private final class Box {
        // unowned(unsafe): the events object is the caller's, alive for every `feed`/`parse` (the
        // only time expat calls back); a checked `unowned` cost an atomic retain and release per event.
        unowned(unsafe) let events: any XMLEvents
        var failure: (any Error)?
        var parser: XML_Parser?
        init(_ events: any XMLEvents) { self.events = events }

        /// Keeps the first error and stops expat.
        func fail(_ error: any Error) {
            if failure == nil { failure = error }
            if let parser { _ = XML_StopParser(parser, 0) }
        }
    }

    /// A parser for one part of a workbook; `position` names it in errors.
    init(events: any XMLEvents, position: InputPosition) throws {
        // Without namespace processing names stay short (`c`, `x:c`, `r:id`); the local name is
        // what follows a prefix's colon, which is all a workbook reader needs to compare.
        guard let parser = XML_ParserCreate(nil) else {
            throw ZizhuError(.ioFailure, Message("error.xml.parser"), at: position)
        }
        self.parser = parser
        self.position = position
        self.box = Box(events)
        XML_SetUserData(parser, Unmanaged.passUnretained(box).toOpaque())
        XML_SetElementHandler(parser, { data, name, attributes in
            guard let data, let name, let attributes else { return }
            let box = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            guard box.failure == nil else { return }
            do { try box.events.start(XMLName(name), XMLAttributes(pairs: attributes)) } catch { box.fail(error) }
        }, { data, name in
            guard let data, let name else { return }
            let box = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            guard box.failure == nil else { return }
            do { try box.events.end(XMLName(name)) } catch { box.fail(error) }
        })
        XML_SetCharacterDataHandler(parser, { data, text, length in
            guard let data, let text, length > 0 else { return }
            let box = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            guard box.failure == nil else { return }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: Int(length))
            do { try box.events.text(bytes) } catch { box.fail(error) }
        })
        XML_SetStartDoctypeDeclHandler(parser, { data, _, _, _, _ in
            guard let data else { return }
            let box = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            box.fail(DoctypeRefused())
        })
        _ = XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER)
        box.parser = parser
    }

    deinit { XML_ParserFree(parser) }

    /// Bytes of the document consumed so far (for progress and record offsets).
    var byteIndex: Int64 { max(0, Int64(XML_GetCurrentByteIndex(parser))) }
    /// Bytes fed so far.
    private(set) var bytesFed: Int64 = 0

    /// Parses the next chunk; `isFinal` on the last (possibly empty) one.
    func feed(_ chunk: UnsafeRawBufferPointer, isFinal: Bool = false) throws {
        bytesFed += Int64(chunk.count)
        let status = XML_Parse(parser, chunk.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(chunk.count),
                               isFinal ? 1 : 0)
        if let failure = box.failure {
            if failure is DoctypeRefused {
                throw ZizhuError(.archive, Message("error.xml.doctype"), at: position, hint: Message("error.xml.doctype.hint"))
            }
            throw failure
        }
        if status != XML_STATUS_OK {
            let code = XML_GetErrorCode(parser)
            let message = XML_ErrorString(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            let line = Int(XML_GetCurrentLineNumber(parser))
            throw ZizhuError(.archive, Message("error.xml.malformed", ["message": message, "line": String(line)]),
                             at: InputPosition(file: position.file, entry: position.entry, byteOffset: byteIndex),
                             hint: Message("hint.workbook.damaged"))
        }
    }

    /// Streams a whole input through the parser.
    func parse(_ input: ByteInput, chunkSize: Int) throws {
        try input.pump(chunkSize: chunkSize) { try feed($0) }
        try feed(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true)
    }

    private struct DoctypeRefused: Error {}
}
