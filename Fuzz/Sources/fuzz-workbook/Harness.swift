// libFuzzer harness: arbitrary bytes → the workbook readers (.xlsx through the workbook's own XML
// scanner for the sheets and shared strings, expat for the small parts; .xls through FreeXL) →
// records → the roster schema's TableValidator. See Fuzz/README.md. When the payload is XML (sources
// 3 and 4), the scanner is also checked against expat on it: the same events, or the same refusal.
//
// Input layout: byte 0 picks how the payload becomes a workbook, byte 1 the reading options.
//   source (byte 0 % 5): 0 the payload is a whole file in memory, `book.xlsx` (a zip, or an OLE2
//     .xls: sniffed as in production); 1 the payload as a file `input.xlsx` opened by InputOpener;
//     2 the payload as a file `input.xls` (FreeXL reads files only); 3 the payload is the sheet XML
//     (`xl/worksheets/sheet1.xml`) of a workbook otherwise fixed, zipped by ZipWriter — so the
//     fuzzer mutates XML, not deflated bytes; 4 the payload is three parts split at NUL bytes,
//     `xl/sharedStrings.xml`, `xl/styles.xml`, the sheet XML, of such a workbook.
//   options (byte 1): bits 0-1 the sheet asked for (the first visible with data, "1", "Sheet1",
//     "2" — the hidden one); bits 2-3 the chunk size the parser is fed (64 KiB, 1, 7, 64 bytes), so chunk
//     boundaries fall everywhere; bit 4 the 1904 date system in the fixed workbook.
import Foundation
import FuzzSupport
import ZizhuCore
import ZizhuIO
@_spi(Oracle) import ZizhuIngest
import ZizhuSchema

let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
let relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/// A workbook of two sheets (the second hidden) around the parts given.
func workbook(sheet: [UInt8], strings: [UInt8]?, styles: [UInt8]?, uses1904: Bool) throws -> [UInt8] {
    let book = "<workbook xmlns=\"\(main)\" xmlns:r=\"\(relations)\">" + (uses1904 ? "<workbookPr date1904=\"1\"/>" : "")
        + "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"隐藏\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/></sheets></workbook>"
    let rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"\(relations)/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        + "<Relationship Id=\"rId2\" Type=\"\(relations)/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/></Relationships>"
    let defaultStyles = "<styleSheet xmlns=\"\(main)\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts>"
        + "<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>"
    var entries = [
        ZipEntryData(name: "[Content_Types].xml", bytes: Array("<Types/>".utf8)),
        ZipEntryData(name: "xl/workbook.xml", bytes: Array(book.utf8)),
        ZipEntryData(name: "xl/_rels/workbook.xml.rels", bytes: Array(rels.utf8)),
        ZipEntryData(name: "xl/styles.xml", bytes: styles ?? Array(defaultStyles.utf8)),
        ZipEntryData(name: "xl/worksheets/sheet1.xml", bytes: sheet),
        ZipEntryData(name: "xl/worksheets/sheet2.xml", bytes: Array("<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>hidden</t></is></c></row></sheetData></worksheet>".utf8)),
    ]
    if let strings { entries.append(ZipEntryData(name: "xl/sharedStrings.xml", bytes: strings)) }
    let path = (Fuzz.scratch as NSString).appendingPathComponent("built.xlsx")
    try ZipWriter.write(entries: entries, to: path)
    return try Array(Data(contentsOf: URL(fileURLWithPath: path)))
}

/// OLE2 compound files (.xls) are read by FreeXL in a child process, the `zizhu` executable's hidden
/// `xls-cells` (FreeXL 1.0.6 reads damaged files out of bounds: Fuzz/known/workbook-freexl-*); a crash
/// there must come back as a ZizhuError. The harness finds that executable in the checkout
/// (`.build/release/zizhu`, else `.build/debug/zizhu`) unless ZIZHU_XLS_HELPER names one;
/// `ZIZHU_FUZZ_XLS=0` leaves .xls out.
let ole2Magic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
let fuzzXLS = ProcessInfo.processInfo.environment["ZIZHU_FUZZ_XLS"] != "0"

/// Points ZIZHU_XLS_HELPER at the checkout's built `zizhu` (the harness lives in
/// `.build-fuzz/<triple>/<config>/`); stops with a message when there is none.
func findXLSHelper() {
    guard fuzzXLS, ProcessInfo.processInfo.environment["ZIZHU_XLS_HELPER"] == nil else { return }
    guard let binary = Bundle.main.executableURL else { Fuzz.fail("cannot tell where the harness runs from (set ZIZHU_XLS_HELPER)") }
    var checkout = binary.resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<3 { checkout = checkout.deletingLastPathComponent() }
    for config in ["release", "debug"] {
        let candidate = checkout.appendingPathComponent(".build/\(config)/zizhu").path
        if FileManager.default.isExecutableFile(atPath: candidate) {
            setenv("ZIZHU_XLS_HELPER", candidate, 1)
            return
        }
    }
    Fuzz.fail("no zizhu executable to read .xls with: build it first (swift build --product zizhu), set ZIZHU_XLS_HELPER, or ZIZHU_FUZZ_XLS=0")
}

func inputs(source: UInt8, options: UInt8, payload: [UInt8]) throws -> [ByteInput] {
    if !fuzzXLS, (source % 5 == 2 || payload.starts(with: ole2Magic)) { return [] }
    switch source % 5 {
    case 0:
        return [ByteInput.memory(payload, name: "book.xlsx")]
    case 1:
        return try InputOpener.open(Fuzz.file("input.xlsx", payload)).inputs
    case 2:
        return try InputOpener.open(Fuzz.file("input.xls", payload)).inputs
    case 3:
        differential(payload, options: options)
        return [ByteInput.memory(try workbook(sheet: payload, strings: nil, styles: nil, uses1904: options & 0x10 != 0), name: "built.xlsx")]
    default:
        let parts = payload.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        let sheet = parts.count > 2 ? parts[2] : parts.last ?? []
        differential(sheet, options: options)
        if parts.count > 1 { differential(parts[0], options: options) }
        return [ByteInput.memory(try workbook(sheet: sheet, strings: parts.first, styles: parts.count > 2 ? parts[1] : nil,
                                              uses1904: options & 0x10 != 0), name: "built.xlsx")]
    }
}

/// The workbook's XML scanner and expat (its oracle) read `xml` alike: the same events, or the same refusal.
func differential(_ xml: [UInt8], options: UInt8) {
    let chunkSize = [1 << 16, 1, 7, 64][Int((options >> 2) & 3)]
    if let difference = XMLOracle.difference(xml, chunkSize: chunkSize) {
        Fuzz.fail("the XML scanner and expat disagree on \(String(decoding: xml, as: UTF8.self).debugDescription)\n\(difference)")
    }
}

/// Reads the chosen sheet and validates it as a roster; checks what must hold of any workbook:
/// records handed on = records counted, rows strictly increasing, nothing thrown but ZizhuError.
func read(_ input: ByteInput, index: Int, options selector: UInt8) {
    var options = CSVOptions()
    options.sheet = [nil, "1", "Sheet1", "2"][Int(selector & 3)]
    options.chunkSize = [1 << 16, 1, 7, 64][Int((selector >> 2) & 3)]
    options.batchRecords = 3
    do {
        let chosen = try WorkbookReader.selectSheet(input, sheet: options.sheet)
        let table = TableValidator(schema: Roster.loaded.schema, matcher: Roster.loaded.matcher, input: chosen.position, sourceIndex: index)
        var records = 0
        var lastLine: UInt32 = 0
        let stats = try RecordReader(input: chosen, sourceIndex: index, options: options).read { batch in
            for record in 0..<batch.count {
                let line = batch.recordLines[record]
                if chosen.format == .xlsx && line <= lastLine && records + record > 0 {
                    Fuzz.fail("record \(records + record) is row \(line), not after row \(lastLine)")
                }
                lastLine = line
            }
            records += batch.count
            _ = try table.consume(batch)
        }
        if stats.records != records { Fuzz.fail("the reader counted \(stats.records) records but handed on \(records)") }
        _ = try table.finish()
    } catch {
        Fuzz.expectZizhuError(error, from: "reading \(input.position.file)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWorkbook(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let source = input.selector()
    let options = input.selector()
    do {
        for (index, byteInput) in try inputs(source: source, options: options, payload: input.payload).enumerated() {
            read(byteInput, index: index, options: options)
        }
    } catch {
        Fuzz.expectZizhuError(error, from: "opening the input")
    }
    return 0
}

/// Called by libFuzzer once, before the first input: loads the schema (a failure stops here).
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?,
                           _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    _ = Roster.loaded
    findXLSHelper()
    return 0
}
