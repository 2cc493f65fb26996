import Foundation
import Testing
import ZIPFoundation
import ZizhuCore
import ZizhuIngest
import ZizhuIO
import ZizhuTestSupport

/// A small .xlsx built from SpreadsheetML strings (the XML is what the reader must understand).
struct XLSXBuilder {
    struct Sheet {
        var name: String
        var rows: String
        var hidden = false
    }
    var sheets: [Sheet]
    var shared: [String] = []
    var sharedXML: String? = nil
    var numFmts: [(Int, String)] = []
    /// `numFmtId` of each cell format (the `s=` index).
    var cellFormats: [Int] = [0]
    var date1904 = false
    var extra: [ZipEntryData] = []

    init(_ sheets: [Sheet]) { self.sheets = sheets }
    init(rows: String) { self.sheets = [Sheet(name: "Sheet1", rows: rows)] }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    func entries() -> [ZipEntryData] {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\">"
        workbook += date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>"
        workbook += "<sheets>"
        var rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        var entries: [ZipEntryData] = [ZipEntryData(name: "[Content_Types].xml", bytes: Array("<Types/>".utf8))]
        for (index, sheet) in sheets.enumerated() {
            workbook += "<sheet name=\"\(Self.escape(sheet.name))\" sheetId=\"\(index + 1)\"\(sheet.hidden ? " state=\"hidden\"" : "") r:id=\"rId\(index + 1)\"/>"
            rels += "<Relationship Id=\"rId\(index + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(main)\"><sheetData>\(sheet.rows)</sheetData></worksheet>"
            entries.append(ZipEntryData(name: "xl/worksheets/sheet\(index + 1).xml", bytes: Array(xml.utf8)))
        }
        workbook += "</sheets></workbook>"
        rels += "</Relationships>"
        entries.append(ZipEntryData(name: "xl/workbook.xml", bytes: Array(workbook.utf8)))
        entries.append(ZipEntryData(name: "xl/_rels/workbook.xml.rels", bytes: Array(rels.utf8)))
        let sst = sharedXML ?? ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"\(main)\" count=\"\(shared.count)\">"
            + shared.map { "<si><t>\(Self.escape($0))</t></si>" }.joined() + "</sst>")
        entries.append(ZipEntryData(name: "xl/sharedStrings.xml", bytes: Array(sst.utf8)))
        var styles = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"\(main)\">"
        if !numFmts.isEmpty {
            styles += "<numFmts count=\"\(numFmts.count)\">" + numFmts.map { "<numFmt numFmtId=\"\($0.0)\" formatCode=\"\(Self.escape($0.1))\"/>" }.joined() + "</numFmts>"
        }
        styles += "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\"/></cellStyleXfs>"
        styles += "<cellXfs count=\"\(cellFormats.count)\">" + cellFormats.map { "<xf numFmtId=\"\($0)\" xfId=\"0\"/>" }.joined() + "</cellXfs></styleSheet>"
        entries.append(ZipEntryData(name: "xl/styles.xml", bytes: Array(styles.utf8)))
        return entries + extra
    }

    func bytes() throws -> [UInt8] {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        let path = folder.file("book.xlsx")
        try ZipWriter.write(entries: entries(), to: path)
        return try readBytes(path)
    }

    func input(name: String = "book.xlsx") throws -> ByteInput {
        ByteInput.memory(try bytes(), name: name)
    }
}

/// Every record of an input: its line and its cells.
func readRecords(_ input: ByteInput, sheet: String? = nil) throws -> [(line: Int, cells: [String])] {
    var options = CSVOptions()
    options.sheet = sheet
    var records: [(line: Int, cells: [String])] = []
    _ = try RecordReader(input: input, sourceIndex: 0, options: options).read { batch in
        for record in 0..<batch.count { records.append((batch.line(record), batch.strings(record))) }
    }
    return records
}

@Suite struct WorkbookCellTests {
    @Test func eachCellKindBecomesItsText() throws {
        var book = XLSXBuilder(rows: """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>inline 文本</t></is></c>\
            <c r="C1" t="str"><f>A1&amp;""</f><v>formula text</v></c><c r="D1"><v>45170</v></c>\
            <c r="E1" t="n"><v>1250.5</v></c><c r="F1" t="b"><v>1</v></c><c r="G1" t="b"><v>0</v></c>\
            <c r="H1" t="e"><v>#N/A</v></c><c r="I1" t="d"><v>2023-09-01T00:00:00</v></c></row>
            """)
        book.shared = ["姓名"]
        let records = try readRecords(try book.input())
        #expect(records.count == 1)
        #expect(records[0].line == 1)
        #expect(records[0].cells == ["姓名", "inline 文本", "formula text", "45170", "1250.5", "TRUE", "FALSE", "#N/A", "2023-09-01"])
    }

    @Test func richTextRunsAreJoinedAndPhoneticGuidesLeftOut() throws {
        var book = XLSXBuilder(rows: #"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
        book.sharedXML = """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><rPr><b/></rPr><t>王</t></r>\
            <r><t xml:space="preserve">小 明</t></r><rPh sb="0" eb="1"><t>wang</t></rPh></si></sst>
            """
        #expect(try readRecords(try book.input()).first?.cells == ["王小 明"])
    }

    @Test func textCellsAreKeptExactlyAsTyped() throws {
        var book = XLSXBuilder(rows: #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>"#)
        book.shared = ["370102200808246213", "007", " 01 "]
        #expect(try readRecords(try book.input()).first?.cells == ["370102200808246213", "007", " 01 "])
    }

    @Test func anIdStoredAsANumberIsWrittenInScientificNotation() throws {
        // 18 digits in a double lose the last ones: Excel shows 3.70102E+17.
        let book = XLSXBuilder(rows: #"<row r="1"><c r="A1"><v>3.70102200808246E+17</v></c><c r="B1"><v>6212859549868999296</v></c><c r="C1"><v>123456789012345</v></c></row>"#)
        let cells = try readRecords(try book.input()).first?.cells
        #expect(cells == ["3.70102E+17", "6.21286E+18", "123456789012345"])
    }

    @Test func numbersTakeTheirShortestForm() {
        #expect(CellTextProbe.number(45170) == "45170")
        #expect(CellTextProbe.number(1250.5) == "1250.5")
        #expect(CellTextProbe.number(0.1) == "0.1")
        #expect(CellTextProbe.number(-3) == "-3")
        #expect(CellTextProbe.number(1e15) == "1E+15")
    }

    @Test func datesFollowTheCellsNumberFormat() throws {
        var book = XLSXBuilder(rows: """
            <row r="1"><c r="A1" s="1"><v>45170</v></c><c r="B1" s="2"><v>45170.75</v></c><c r="C1" s="3"><v>45170</v></c>\
            <c r="D1" s="4"><v>45170</v></c><c r="E1" s="0"><v>45170</v></c><c r="F1" s="5"><v>45170</v></c></row>
            """)
        // 14 built-in date; 22 built-in date-time; 164 custom yyyy"年"m"月"d"日"; 165 custom with a
        // quoted "d" only and [Red]: not a date; 166 a plain number format.
        book.numFmts = [(164, "yyyy\"年\"m\"月\"d\"日\""), (165, "0.00\" d\"[Red]"), (166, "#,##0.00")]
        book.cellFormats = [0, 14, 22, 164, 165, 166]
        let cells = try readRecords(try book.input()).first?.cells
        #expect(cells == ["2023-09-01", "2023-09-01", "2023-09-01", "45170", "45170", "45170"])
    }

    @Test func the1904DateSystemCountsFrom1904() throws {
        var book = XLSXBuilder(rows: #"<row r="1"><c r="A1" s="1"><v>43708</v></c></row>"#)
        book.cellFormats = [0, 14]
        book.date1904 = true
        #expect(try readRecords(try book.input()).first?.cells == ["2023-09-01"])
        book.date1904 = false
        #expect(try readRecords(try book.input()).first?.cells == ["2019-08-31"])
    }

    @Test func sparseCellsAreEmptyAndMissingRowsKeepTheirNumbers() throws {
        let book = XLSXBuilder(rows: """
            <row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="D2" t="inlineStr"><is><t>d</t></is></c></row>\
            <row r="3"><c r="A3" s="0"/></row>\
            <row r="7"><c r="B7"><v>2</v></c></row><row><c><v>1</v></c><c><v>2</v></c></row>
            """)
        let records = try readRecords(try book.input())
        #expect(records.map(\.line) == [2, 7, 8])
        #expect(records[0].cells == ["a", "", "", "d"])
        #expect(records[1].cells == ["", "2"])
        #expect(records[2].cells == ["1", "2"])
    }
}

/// Reaches the internal formatter through the module's public surface: a one-cell sheet.
enum CellTextProbe {
    static func number(_ value: Double) -> String {
        let book = XLSXBuilder(rows: "<row r=\"1\"><c r=\"A1\"><v>\(value)</v></c></row>")
        return (try? readRecords(try book.input()).first?.cells.first) ?? "?"
    }
}

@Suite struct WorkbookSheetTests {
    static let book = XLSXBuilder([
        .init(name: "说明", rows: #"<row r="1"><c r="A1" t="inlineStr"><is><t>hidden notes</t></is></c></row>"#, hidden: true),
        .init(name: "Empty", rows: #"<row r="1"><c r="A1" s="0"/></row>"#),
        .init(name: "名册", rows: #"<row r="3"><c r="A3" t="inlineStr"><is><t>data</t></is></c></row>"#),
        .init(name: "Other", rows: #"<row r="1"><c r="A1" t="inlineStr"><is><t>other</t></is></c></row>"#),
    ])

    @Test func theFirstVisibleSheetWithDataIsRead() throws {
        let input = try Self.book.input(name: "book.xlsx")
        let chosen = try WorkbookReader.selectSheet(input, sheet: nil)
        #expect(chosen.position.displayName == "book.xlsx!名册")
        #expect(chosen.position.fileLine == "book.xlsx!名册")
        #expect(try readRecords(chosen).map(\.cells) == [["data"]])
        #expect(try readRecords(input).map(\.line) == [3])
    }

    @Test func aSheetIsChosenByNameOrByIndex() throws {
        let input = try Self.book.input()
        #expect(try readRecords(input, sheet: "Other").map(\.cells) == [["other"]])
        #expect(try readRecords(input, sheet: "4").map(\.cells) == [["other"]])
        #expect(try readRecords(input, sheet: "1").map(\.cells) == [["hidden notes"]])
        #expect(try WorkbookReader.selectSheet(input, sheet: "4").position.displayName == "book.xlsx!Other")
    }

    @Test func anUnknownSheetIsAUsageErrorListingTheSheets() throws {
        let error = #expect(throws: ZizhuError.self) { _ = try WorkbookReader.selectSheet(try Self.book.input(), sheet: "Nope") }
        #expect(error?.code == .usage)
        #expect(error?.hint?.contains("3 名册") == true)
    }

    @Test func aCSVInputIsLeftAsItIs() throws {
        let input = ByteInput.memory(Array("a,b\n".utf8), name: "x.csv")
        #expect(input.format == .text)
        #expect(try WorkbookReader.selectSheet(input, sheet: "2").position.displayName == "x.csv")
    }
}

@Suite struct WorkbookHostileTests {
    static func expectUnreadable(_ book: XLSXBuilder, _ words: String, code: ZizhuError.Code = .archive) throws {
        let input = try book.input()
        let error = #expect(throws: ZizhuError.self) { _ = try readRecords(input) }
        #expect(error?.code == code)
        #expect(error?.code.exitStatus == 3)
        #expect(error?.message.contains(words) == true, "\(String(describing: error))")
    }

    @Test func entityExpansionInSharedStringsIsRefused() throws {
        var book = XLSXBuilder(rows: #"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
        book.sharedXML = """
            <?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&d;&d;&d;</t></si></sst>
            """
        try Self.expectUnreadable(book, "DOCTYPE")
    }

    @Test func anExternalEntityIsRefused() throws {
        let rows = #"<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>"#
        var book = XLSXBuilder(rows: rows)
        book.sheets[0].rows = rows
        // The whole sheet part with a DOCTYPE naming a local file.
        book.extra = []
        var entries = book.entries()
        let index = try #require(entries.firstIndex { $0.name == "xl/worksheets/sheet1.xml" })
        entries[index].bytes = Array("""
            <?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\(rows)</sheetData></worksheet>
            """.utf8)
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        try ZipWriter.write(entries: entries, to: folder.file("x.xlsx"))
        let input = ByteInput.memory(try readBytes(folder.file("x.xlsx")), name: "x.xlsx")
        let error = #expect(throws: ZizhuError.self) { _ = try readRecords(input, sheet: "Sheet1") }
        #expect(error?.code == .archive)
        #expect(error?.message.contains("DOCTYPE") == true)
        #expect(error.map { "\($0)" }?.contains("root:") == false)
    }

    @Test func aSharedStringIndexOutOfRangeIsAnError() throws {
        var book = XLSXBuilder(rows: #"<row r="1"><c r="B1" t="s"><v>5</v></c></row>"#)
        book.shared = ["only one"]
        let input = try book.input()
        let error = #expect(throws: ZizhuError.self) { _ = try readRecords(input) }
        #expect(error?.code == .archive)
        #expect(error?.message.contains("shared string 5") == true)
        #expect(error?.position?.line == 1)
        #expect(error?.position?.column == "B1")
    }

    @Test func aSheetThatIsNotWellFormedIsAnError() throws {
        let book = XLSXBuilder(rows: #"<row r="1"><c r="A1"><v>1</c></row>"#)
        try Self.expectUnreadable(book, "not well-formed")
    }

    @Test func aSheetDeclaringAHugeSizeIsRefusedBeforeInflating() throws {
        let book = XLSXBuilder(rows: #"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        var bytes = try book.bytes()
        // Patch the sheet's uncompressed size in the central directory to ~4 GiB.
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        var patched = false
        for offset in 0..<(bytes.count - 46) where bytes[offset] == 0x50 && bytes[offset + 1] == 0x4b
            && bytes[offset + 2] == 0x01 && bytes[offset + 3] == 0x02 {
            let nameLength = Int(bytes[offset + 28]) | Int(bytes[offset + 29]) << 8
            if nameLength == name.count, Array(bytes[(offset + 46)..<(offset + 46 + nameLength)]) == name {
                bytes.replaceSubrange((offset + 24)..<(offset + 28), with: [0xF0, 0xFF, 0xFF, 0xFF])
                patched = true
            }
        }
        #expect(patched)
        let input = ByteInput.memory(bytes, name: "bomb.xlsx")
        let error = #expect(throws: ZizhuError.self) { _ = try readRecords(input, sheet: "Sheet1") }
        #expect(error?.code == .limitExceeded)
    }

    @Test func aWorkbookWithADotDotPathIsRefused() throws {
        var book = XLSXBuilder(rows: #"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        book.extra = [ZipEntryData(name: "../../evil.txt", bytes: Array("x".utf8))]
        let entries = book.entries()
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        // ZizhuIO's writer refuses such names; ZIPFoundation writes what it is given.
        let archive = try Archive(url: folder.url.appendingPathComponent("evil.xlsx"), accessMode: .create)
        for entry in entries {
            let data = Data(entry.bytes)
            try archive.addEntry(with: entry.name, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let error = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(folder.file("evil.xlsx")) }
        #expect(error?.code == .archive)
        #expect(error?.message.contains("..") == true || error?.message.contains("refused") == true)
    }
}

@Suite struct WorkbookFileTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func csvRecords() throws -> [[String]] {
        try readRecords(ByteInput.memory(readBytes(fixtures.appendingPathComponent("roster-small.csv").path), name: "r.csv"))
            .map(\.cells)
    }

    @Test func anXLSXMadeByLibreOfficeReadsLikeItsCSV() throws {
        let path = Self.fixtures.appendingPathComponent("roster-small.xlsx").path
        let opened = try InputOpener.open(path)
        #expect(opened.inputs.count == 1)
        #expect(opened.inputs[0].format == .xlsx)
        let records = try readRecords(opened.inputs[0])
        #expect(records.map(\.line) == Array(1...12))
        #expect(records.map(\.cells) == (try Self.csvRecords()).map { Self.trimmed($0) })
    }

    @Test func anXLSMadeByLibreOfficeReadsLikeItsCSV() throws {
        let path = Self.fixtures.appendingPathComponent("roster-small.xls").path
        let opened = try InputOpener.open(path)
        #expect(opened.inputs.count == 1)
        #expect(opened.inputs[0].format == .xls)
        let chosen = try WorkbookReader.selectSheet(opened.inputs[0], sheet: nil)
        #expect(chosen.position.displayName.hasPrefix(path + "!"))
        let records = try readRecords(chosen)
        #expect(records.map(\.line) == Array(1...12))
        #expect(records.map(\.cells) == (try Self.csvRecords()).map { Self.trimmed($0) })
    }

    @Test func anXLSXInsideAZipIsRead() throws {
        let folder = try ScratchFolder(prefix: "zizhu-xlsx")
        defer { folder.cleanUp() }
        let xlsx = try readBytes(Self.fixtures.appendingPathComponent("roster-small.xlsx").path)
        try ZipWriter.write(entries: [ZipEntryData(name: "school/roster.xlsx", bytes: xlsx),
                                      ZipEntryData(name: "readme.md", bytes: Array("hi".utf8))], to: folder.file("in.zip"))
        let opened = try InputOpener.open(folder.file("in.zip"))
        #expect(opened.inputs.count == 1)
        #expect(opened.skipped.map(\.entry) == ["readme.md"])
        let chosen = try WorkbookReader.selectSheet(opened.inputs[0], sheet: nil)
        #expect(chosen.position.displayName == folder.file("in.zip") + "!school/roster.xlsx!roster-small")
        #expect(try readRecords(chosen).count == 12)
    }

    /// A CSV row's trailing empty fields: the workbook has no cells there.
    static func trimmed(_ cells: [String]) -> [String] {
        var cells = cells
        while cells.count > 1, cells.last == "" { cells.removeLast() }
        return cells
    }
}
