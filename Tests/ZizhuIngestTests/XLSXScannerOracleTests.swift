import Testing
import ZizhuCore
import ZizhuIO
import ZizhuTestSupport
@_spi(Oracle) @testable import ZizhuIngest

/// The workbook's own XML scanner (`XMLScanner`) against expat (`XMLStream`), the oracle it
/// replaced for the sheets and the shared strings: the same events and the same records from the
/// same bytes, however the bytes are cut into chunks, and an error from one exactly when the
/// other refuses the document, with the same catalogue words.
@Suite struct XLSXScannerOracleTests {
    // MARK: - What each parser makes of a document

    /// Every event as a line (the fuzz harness's oracle log).
    typealias EventLog = XMLOracle.EventLog

    enum Outcome: Equatable, CustomStringConvertible {
        case events([String])
        case refused(String)

        var description: String {
            switch self {
            case .events(let lines): return lines.joined(separator: "\n")
            case .refused(let key): return "refused: \(key)"
            }
        }
    }

    static let position = InputPosition(file: "book.xlsx", entry: "Sheet1")

    static func refusal(_ error: any Error) -> String {
        guard let error = error as? ZizhuError else { return "not a ZizhuError: \(error)" }
        return error.words?.key ?? error.message
    }

    /// Expat's reading, fed in one piece.
    static func expat(_ document: [UInt8]) -> Outcome {
        let log = EventLog()
        do {
            let stream = try XMLStream(events: log, position: position)
            try stream.parse(ByteInput.memory(document, name: "sheet.xml"), chunkSize: 1 << 16)
            return .events(log.result)
        } catch {
            return .refused(refusal(error))
        }
    }

    /// The scanner's reading, fed in the pieces `cuts` makes (offsets where a chunk ends), with
    /// its quick paths for Excel's own tags on (as in production) or off.
    static func scanner(_ document: [UInt8], cuts: [Int], quickPaths: Bool = true) -> Outcome {
        let log = EventLog()
        let scanner = XMLScanner(events: log, position: position, quickPaths: quickPaths)
        do {
            var start = 0
            for cut in cuts + [document.count] where cut >= start {
                try document[start..<cut].withUnsafeBytes { try scanner.feed($0) }
                start = cut
            }
            try scanner.feed(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true)
            return .events(log.result)
        } catch {
            return .refused(refusal(error))
        }
    }

    /// Chunks of `size` bytes.
    static func cuts(every size: Int, _ count: Int) -> [Int] {
        Array(stride(from: size, to: count, by: size))
    }

    /// Checks the scanner against expat at chunk sizes 1, 2, 3, 7, 64 and whole, and (for short
    /// documents) at every single cut.
    static func agree(_ document: [UInt8], everyCut: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        let oracle = expat(document)
        var cutsToTry = [[Int]()] + [1, 2, 3, 7, 64].map { cuts(every: $0, document.count) }
        if everyCut, document.count <= 400 { cutsToTry += (1..<max(1, document.count)).map { [$0] } }
        for cuts in cutsToTry {
            let outcome = scanner(document, cuts: cuts)
            guard outcome != oracle else { continue }
            Issue.record("scanner and expat differ (cuts \(cuts.prefix(3))…) on\n\(String(decoding: document, as: UTF8.self).debugDescription)\nexpat:\n\(oracle)\nscanner:\n\(outcome)",
                         sourceLocation: sourceLocation)
            return
        }
    }

    static func agree(_ document: String, sourceLocation: SourceLocation = #_sourceLocation) {
        agree(Array(document.utf8), sourceLocation: sourceLocation)
    }

    // MARK: - Generated sheets

    /// The documents' generator: the same documents on every run.
    typealias Generator = SeededRandom

    static let textPieces = ["abc", "王小明", "370102200808246213", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#65;",
                             "&#x4E2D;", "&#X41;", "<![CDATA[x<y&z]]>", "<![CDATA[]]>", "\r\n", "\r", "\n", " ", "\t", "'", "\"",
                             ">", "]", "]]", "&#13;", "&#10;", "😀", "&#128512;", "<!-- note -->", "<?mso-x y?>", "0", "45170.5"]

    static func text(_ g: inout Generator) -> String {
        (0..<g.below(4)).map { _ in g.pick(textPieces) }.joined()
    }

    static func attribute(_ g: inout Generator, _ name: String, _ value: String) -> String {
        let quote = g.chance(20) ? "'" : "\""
        let space = g.chance(10) ? " \n" : " "
        let equals = g.chance(10) ? " = " : "="
        return space + name + equals + quote + value + quote
    }

    /// A sheet as Excel and other writers make them: sparse references, every cell kind, rich
    /// text, entities, CDATA, whitespace, self-closing cells, a namespace prefix or none.
    static func sheet(_ g: inout Generator) -> String {
        let prefix = g.chance(30) ? "x:" : ""
        var xml = g.chance(70) ? "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" + (g.chance(50) ? "\r\n" : "") : ""
        xml += "<\(prefix)worksheet xmlns\(prefix.isEmpty ? "" : ":x")=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        if g.chance(30) { xml += "<\(prefix)dimension ref=\"A1:C9\"/>" }
        xml += "<\(prefix)sheetData>"
        var row = 0
        for _ in 0..<g.below(6) {
            row += 1 + g.below(3)
            if g.chance(10) { xml += "<\(prefix)row r=\"\(row)\"/>"; continue }
            xml += "<\(prefix)row" + (g.chance(85) ? attribute(&g, "r", String(row)) : "") + (g.chance(40) ? attribute(&g, "spans", "1:3") : "") + ">"
            var column = 0
            for _ in 0..<g.below(5) {
                column += 1 + g.below(2)
                let reference = XLSXSheet.columnName(column - 1) + String(row)
                var open = "<\(prefix)c" + (g.chance(80) ? attribute(&g, "r", reference) : "")
                if g.chance(20) { open += attribute(&g, "s", String(g.below(3))) }
                switch g.below(9) {
                case 0:
                    xml += open + "/>"
                case 1:
                    xml += open + attribute(&g, "t", "s") + "><\(prefix)v>\(g.below(4))</\(prefix)v></\(prefix)c>"
                case 2:
                    xml += open + attribute(&g, "t", "inlineStr") + "><\(prefix)is><\(prefix)t>" + text(&g) + "</\(prefix)t></\(prefix)is></\(prefix)c>"
                case 3:
                    xml += open + attribute(&g, "t", "inlineStr") + "><\(prefix)is><\(prefix)r><\(prefix)rPr><\(prefix)b/></\(prefix)rPr><\(prefix)t>"
                        + text(&g) + "</\(prefix)t></\(prefix)r><\(prefix)r><\(prefix)t xml:space=\"preserve\">" + text(&g)
                        + "</\(prefix)t></\(prefix)r><\(prefix)rPh sb=\"0\" eb=\"1\"><\(prefix)t>pin</\(prefix)t></\(prefix)rPh></\(prefix)is></\(prefix)c>"
                case 4:
                    xml += open + attribute(&g, "t", "b") + "><\(prefix)v>\(g.below(2))</\(prefix)v></\(prefix)c>"
                case 5:
                    xml += open + attribute(&g, "t", "e") + "><\(prefix)v>#N/A</\(prefix)v></\(prefix)c>"
                case 6:
                    xml += open + attribute(&g, "t", "str") + "><\(prefix)f>A1&amp;\"\"</\(prefix)f><\(prefix)v>" + text(&g) + "</\(prefix)v></\(prefix)c>"
                case 7:
                    xml += open + "><\(prefix)v>" + g.pick(["45170", "1250.5", "3.70102200808246E+17", "0", "-1", "1E3", ""]) + "</\(prefix)v></\(prefix)c>"
                default:
                    xml += open + attribute(&g, "t", "d") + "><\(prefix)v>2023-09-01T00:00:00</\(prefix)v></\(prefix)c>"
                }
                if g.chance(10) { xml += g.pick(["\n  ", "<!-- between -->", " ", "<?pi x?>"]) }
            }
            xml += "</\(prefix)row>"
        }
        xml += "</\(prefix)sheetData></\(prefix)worksheet>"
        if g.chance(20) { xml += g.pick(["\n", "<!-- after -->", " \r\n"]) }
        return xml
    }

    /// Damage of the kinds a broken or hostile file has: a byte dropped, a markup byte put in,
    /// the end cut off, a stray entity, a document type declaration.
    static func damage(_ document: String, _ g: inout Generator) -> [UInt8] {
        var bytes = Array(document.utf8)
        guard !bytes.isEmpty else { return bytes }
        switch g.below(6) {
        case 0:
            bytes.remove(at: g.below(bytes.count))
        case 1:
            let insert = g.pick(["<", ">", "&", ";", "/", "\"", "'", "=", "!", "?", "[", "]", "-", " ", "\r", "\u{1}", "&foo;", "&#0;",
                                 "&#xD800;", "<!DOCTYPE x>", "<!ENTITY e 'x'>", "]]>", "</c>", "<c>", "\u{FFFE}", "--", "<?xml version=\"1.0\"?>"])
            bytes.insert(contentsOf: Array(insert.utf8), at: g.below(bytes.count + 1))
        case 2:
            bytes.removeLast(1 + g.below(min(bytes.count, 20)))
        case 3:
            bytes[g.below(bytes.count)] = g.pick([0xFF, 0xC3, 0x80, 0xED, 0x00, 0x3C])
        case 4:
            let at = g.below(bytes.count)
            bytes.replaceSubrange(at..<min(bytes.count, at + 1 + g.below(4)), with: [])
        default:
            bytes.insert(contentsOf: Array("<!DOCTYPE worksheet [<!ENTITY a \"aaaa\">]>".utf8), at: 0)
        }
        return bytes
    }

    @Test func generatedSheetsGiveTheSameEventsAtEveryChunkSize() {
        var g = Generator(state: 14)
        for _ in 0..<300 {
            Self.agree(Array(Self.sheet(&g).utf8), everyCut: false)
        }
    }

    @Test func generatedSheetsGiveTheSameEventsAtEveryCut() {
        var g = Generator(state: 1404)
        var tried = 0
        while tried < 60 {
            let document = Self.sheet(&g)
            guard document.utf8.count <= 400 else { continue }
            tried += 1
            Self.agree(document)
        }
    }

    @Test func damagedSheetsAreRefusedExactlyWhenExpatRefusesThem() {
        var g = Generator(state: 2026)
        for _ in 0..<1500 {
            Self.agree(Self.damage(Self.sheet(&g), &g), everyCut: false)
        }
    }

    // MARK: - What the strictness is about

    @Test func aDocumentTypeOrEntityDeclarationIsRefusedWithTheSameWords() {
        for document in ["<!DOCTYPE worksheet [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]><worksheet>&b;</worksheet>",
                         "<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet SYSTEM \"file:///etc/passwd\"><worksheet/>",
                         "<?xml version=\"1.0\"?><!-- x --><!DOCTYPE worksheet [<!ENTITY a SYSTEM \"/etc/passwd\">]><worksheet>&a;</worksheet>"] {
            #expect(Self.scanner(Array(document.utf8), cuts: []) == .refused("error.xml.doctype"), "\(document)")
            for size in [1, 5] {
                #expect(Self.scanner(Array(document.utf8), cuts: Self.cuts(every: size, document.utf8.count)) == .refused("error.xml.doctype"))
            }
        }
        Self.agree("<!DOCTYPE worksheet><worksheet/>")
        // An entity declaration outside a document type declaration is no XML at all.
        for document in ["<!ENTITY a \"x\"><worksheet/>", "<worksheet><!ENTITY a \"x\"></worksheet>", "<worksheet><!DOCTYPE w></worksheet>"] {
            #expect(Self.scanner(Array(document.utf8), cuts: []) == .refused("error.xml.malformed"))
            Self.agree(document)
        }
    }

    @Test func onlyThePredefinedEntitiesAndCharacterReferencesAreRead() {
        let document = "<t>&lt;&gt;&amp;&quot;&apos;&#65;&#x4e2d;&#x1F600;&#9;</t>"
        #expect(Self.scanner(Array(document.utf8), cuts: []) == .events(["S t", "T " + "<>&\"'A中😀\t".debugDescription, "E t"]))
        Self.agree(document)
        for bad in ["<t>&nbsp;</t>", "<t>&#0;</t>", "<t>&#xD800;</t>", "<t>&#x110000;</t>", "<t>&#xFFFE;</t>", "<t>&#;</t>",
                    "<t>&#x;</t>", "<t>&amp</t>", "<t>& amp;</t>", "<t a=\"&bogus;\"/>", "<t a=\"&#1;\"/>", "<t>&#99999999999999999999;</t>"] {
            #expect(Self.scanner(Array(bad.utf8), cuts: []) == .refused("error.xml.malformed"), "\(bad)")
            Self.agree(bad)
        }
    }

    @Test func documentsThatAreNotWellFormedAreRefusedAtTheirLine() throws {
        for bad in ["<worksheet><c>", "<worksheet><c></worksheet>", "<worksheet><c r=\"A1></c></worksheet>", "<worksheet><c r=A1></c></worksheet>",
                    "<worksheet><c r=\"A1\"t=\"s\"></c></worksheet>", "<worksheet><c r=\"A1\" r=\"B1\"/></worksheet>", "text<worksheet/>",
                    "<worksheet/>junk", "<worksheet/><worksheet/>", "", "   ", "<worksheet", "<worksheet><c r=\"A1", "<worksheet><c r=\"A1\"",
                    "<worksheet><!-- a -- b --></worksheet>", "<worksheet>]]></worksheet>", "<worksheet><c a=\"<\"/></worksheet>",
                    "<worksheet>\u{1}</worksheet>", "<1worksheet/>", "<worksheet></worksheet >x", "< worksheet/>",
                    "<worksheet><![CDATA[open</worksheet>", "\n<?xml version=\"1.0\"?><worksheet/>", "<worksheet><?xml version=\"1.0\"?></worksheet>",
                    "<?xml version=\"1.0\" encoding=\"UTF-16\"?><worksheet/>", "<worksheet></x:worksheet>"] {
            #expect(Self.scanner(Array(bad.utf8), cuts: []) == .refused("error.xml.malformed"), "\(bad.debugDescription)")
            Self.agree(bad)
        }
        for bytes: [UInt8] in [[0x3C, 0x74, 0x3E, 0xFF, 0x3C, 0x2F, 0x74, 0x3E], [0x3C, 0x74, 0x3E, 0xC3, 0x3C, 0x2F, 0x74, 0x3E],
                               [0x3C, 0x74, 0x3E, 0xED, 0xA0, 0x80, 0x3C, 0x2F, 0x74, 0x3E], [0x3C, 0x74, 0x3E, 0xC0, 0x80, 0x3C, 0x2F, 0x74, 0x3E]] {
            #expect(Self.scanner(bytes, cuts: []) == .refused("error.xml.malformed"))
            Self.agree(bytes)
        }
        // The line is the XML's line, as expat counts it, in the run's language.
        let log = EventLog()
        let scanner = XMLScanner(events: log, position: Self.position)
        let error = #expect(throws: ZizhuError.self) {
            try Array("<worksheet>\n<row>\n<c></row>".utf8).withUnsafeBytes { try scanner.feed($0, isFinal: true) }
        }
        #expect(error?.message == "the workbook part is not well-formed XML: mismatched tag (XML line 3)")
        #expect(error?.message(.zh) == "工作簿的一个部分不是格式正确的 XML：mismatched tag（XML 第 3 行）")
        #expect(error?.position?.entry == "Sheet1")
    }

    /// Names are checked as UTF-8 like text is: a continuation byte alone, C0/C1 or F5–FF in an
    /// element or attribute name is refused as expat refuses it (found by the workbook fuzzer:
    /// `<` followed by 0x85 bytes was read as a name). Near misses: CJK and other valid UTF-8
    /// names are read.
    @Test func aNameWithBytesThatAreNotUTF8IsRefusedLikeExpatDoes() {
        let bad: [[UInt8]] = [
            [0x3C, 0x85, 0x85, 0x73, 0x7A, 0x2F, 0x3E],  // <\x85\x85sz/>
            [0x3C, 0x77, 0x3E, 0x3C, 0x85, 0x85, 0x85, 0x85, 0x73, 0x7A, 0x2F, 0x3E, 0x3C, 0x2F, 0x77, 0x3E],
            [0x3C, 0x77, 0x80, 0x80, 0x2F, 0x3E],  // continuation bytes inside a name
            [0x3C, 0x77, 0xC0, 0xAF, 0x2F, 0x3E],  // overlong
            [0x3C, 0x77, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x2F, 0x3E],  // F8: no UTF-8 lead byte
            [0x3C, 0x77, 0x20, 0x61, 0x85, 0x85, 0x3D, 0x22, 0x31, 0x22, 0x2F, 0x3E],  // in an attribute name
        ]
        for bytes in bad {
            #expect(Self.scanner(bytes, cuts: []) == .refused("error.xml.malformed"), "\(bytes)")
            Self.agree(bytes)
        }
        for good in ["<工作表/>", "<w 名称=\"1\"/>", "<w><é/></w>"] {
            #expect(Self.scanner(Array(good.utf8), cuts: []) != .refused("error.xml.malformed"), "\(good)")
            Self.agree(good)
        }
    }

    @Test func prefixedNamesAreReadByTheirLocalName() {
        let document = "<x:worksheet xmlns:x=\"urn:x\"><x:c x:r=\"A1\" t='s'><x:v>1</x:v></x:c></x:worksheet>"
        #expect(Self.scanner(Array(document.utf8), cuts: []) == .events([
            "S worksheet x=\"urn:x\"", "S c r=\"A1\" t=\"s\"", "S v", "T \"1\"", "E v", "E c", "E worksheet",
        ]))
        Self.agree(document)
    }

    @Test func lineBreaksAndAttributeWhitespaceAreNormalizedAsXMLSays() {
        let document = "<t a=\"x\ty\r\nz&#10;\">a\r\nb\rc<![CDATA[d\r\ne]]>&#13;</t>"
        #expect(Self.scanner(Array(document.utf8), cuts: []) == .events(["S t a=" + "x y z\n".debugDescription, "T " + "a\nb\ncd\ne\r".debugDescription, "E t"]))
        Self.agree(document)
    }

    @Test func aByteOrderMarkAndTheDeclarationAreAcceptedOnlyAtTheStart() {
        Self.agree([0xEF, 0xBB, 0xBF] + Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><w/>".utf8))
        Self.agree([0xEF, 0xBB, 0xBF] + Array("<w/>".utf8))
        Self.agree(" <w/>")
    }

    @Test func aTokenLongerThanTheCapIsRefusedAsALimit() throws {
        let scanner = XMLScanner(events: EventLog(), position: Self.position)
        let error = #expect(throws: ZizhuError.self) {
            try Array("<w a=\"".utf8).withUnsafeBytes { try scanner.feed($0) }
            let piece = [UInt8](repeating: 0x61, count: 1 << 20)
            for _ in 0...(XMLScanner.maxToken >> 20) {
                try piece.withUnsafeBytes { try scanner.feed($0) }
            }
        }
        #expect(error?.code == .limitExceeded)
        #expect(error?.words?.key == "error.xml.tokenTooLong")
    }

    // MARK: - Sheets read into records by both engines

    typealias Row = (line: Int, offset: Int64, cells: [String])

    static func records(_ engine: XMLEngine, sheet: [UInt8], strings: [UInt8], chunkSize: Int) -> Result<[String], TestFailure> {
        do {
            let shared = SharedStringsPart(limits: WorkbookLimits(), position: position)
            try engine.parser(shared, position: position).parse(ByteInput.memory(strings, name: "sharedStrings.xml"), chunkSize: chunkSize)
            var options = CSVOptions()
            options.batchRecords = 2
            var rows: [String] = []
            let emit: (RecordBatch) throws -> Void = { batch in
                for record in 0..<batch.count {
                    rows.append("\(batch.line(record)) @\(batch.recordOffsets[record]) \(batch.strings(record))")
                }
            }
            let events = XLSXSheet(strings: shared, dateStyles: [false, true, false], system: .from1900, position: position,
                                   records: SheetRecords(sourceIndex: 0, options: options, maxColumns: 16_384), emit: emit)
            let parser = try engine.parser(events, position: position)
            events.byteIndex = { [unowned parser] in parser.byteIndex }
            try parser.parse(ByteInput.memory(sheet, name: "sheet.xml"), chunkSize: chunkSize)
            try events.records.flush(emit)
            rows.append("lastRow \(events.records.lastRow) bytes \(parser.bytesFed)")
            return .success(rows)
        } catch {
            return .failure(TestFailure(refusal(error)))
        }
    }

    struct TestFailure: Error, Equatable { let key: String; init(_ key: String) { self.key = key } }

    static let sharedStrings = "<?xml version=\"1.0\"?><sst xmlns=\"urn:s\"><si><t>姓名</t></si><si><r><t>王</t></r><r><t xml:space=\"preserve\"> 小明&amp;</t></r>"
        + "<rPh><t>wang</t></rPh></si><si><t><![CDATA[a<b]]></t></si><si><t/></si></sst>"

    @Test func generatedSheetsGiveTheSameRecordsOffsetsAndErrors() {
        var g = Generator(state: 77)
        var compared = 0
        for round in 0..<400 {
            let sheet = Self.sheet(&g)
            let bytes = round % 3 == 2 ? Self.damage(sheet, &g) : Array(sheet.utf8)
            let oracle = Self.records(.expat, sheet: bytes, strings: Array(Self.sharedStrings.utf8), chunkSize: 1 << 16)
            for chunk in [1, 7, 1 << 16] {
                let scanned = Self.records(.scanner, sheet: bytes, strings: Array(Self.sharedStrings.utf8), chunkSize: chunk)
                #expect(scanned == oracle, "chunk \(chunk) on \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
            if case .success(let rows) = oracle, rows.count > 1 { compared += 1 }
        }
        #expect(compared > 100)
    }

    @Test func aSharedStringIndexOutOfRangeIsRefusedByBoth() {
        let sheet = Array("<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>4</v></c></row></sheetData></worksheet>".utf8)
        for engine in [XMLEngine.expat, .scanner] {
            #expect(Self.records(engine, sheet: sheet, strings: Array(Self.sharedStrings.utf8), chunkSize: 3)
                    == .failure(TestFailure("error.xlsx.stringIndex")))
        }
    }
}
