// libFuzzer harness: arbitrary bytes → RecordReader (through the real byte sources) → the roster
// schema's TableValidator. See Fuzz/README.md.
//
// Input layout: byte 0 picks the byte source, byte 1 the reader's options, the rest is the payload.
//   source (byte 0 % 5): 0 bytes in memory (gzip magic sniffed as in production);
//     1 the payload gzip-compressed, in memory; 2 the payload as a file `input.csv`, opened with
//     InputOpener (a file starting PK… is read as a zip); 3 the payload as the entry `roster.csv`
//     of a zip written by ZipWriter; 4 the payload as a file `input.zip` (a raw, hostile archive).
//   options (byte 1): bits 0-2 the encoding (0-2 detected, 3-7 forced: UTF-8, UTF-8-BOM,
//     UTF-16LE, UTF-16BE, GB18030); bits 3-4 the separator (detected, detected, comma, tab);
//     bit 5 every line through libcsv; bits 6-7 the chunk size (1 MiB, 1, 7, 64 bytes), so chunk
//     boundaries fall everywhere.
import Foundation
import FuzzSupport
import ZizhuCore
import ZizhuIO
import ZizhuIngest
import ZizhuSchema


func options(_ selector: UInt8) -> CSVOptions {
    var options = CSVOptions()
    let encoding = Int(selector & 7)
    if encoding >= 3 { options.encoding = TextEncoding.allCases[(encoding - 3) % TextEncoding.allCases.count] }
    switch (selector >> 3) & 3 {
    case 2: options.delimiter = UInt8(ascii: ",")
    case 3: options.delimiter = UInt8(ascii: "\t")
    default: break
    }
    options.splitsQuoteFreeLines = selector & 0x20 == 0
    switch selector >> 6 {
    case 1: options.chunkSize = 1
    case 2: options.chunkSize = 7
    case 3: options.chunkSize = 64
    default: break
    }
    if options.chunkSize < 1 << 20 { options.batchRecords = 3 }
    return options
}

func inputs(source: UInt8, payload: [UInt8]) throws -> [ByteInput] {
    switch source % 5 {
    case 0:
        return [ByteInput.memory(payload, name: "input.csv")]
    case 1:
        return [ByteInput.memory(try Gzip.compress(payload, level: 1), name: "input.csv.gz")]
    case 2:
        return try InputOpener.open(Fuzz.file("input.csv", payload)).inputs
    case 3:
        let path = (Fuzz.scratch as NSString).appendingPathComponent("written.zip")
        try ZipWriter.write(entries: [ZipEntryData(name: "roster.csv", bytes: payload)], to: path)
        return try InputOpener.open(path).inputs
    default:
        return try InputOpener.open(Fuzz.file("input.zip", payload)).inputs
    }
}

/// Reads every input of the fuzz case and validates it as a roster; checks what must hold of any
/// input: records handed on = records counted, lines never go backwards, nothing but ZizhuError.
func read(_ input: ByteInput, index: Int, options: CSVOptions) {
    let table = TableValidator(schema: Roster.loaded.schema, matcher: Roster.loaded.matcher, input: input.position, sourceIndex: index)
    var records = 0
    var lastLine: UInt32 = 0
    do {
        let stats = try RecordReader(input: input, sourceIndex: index, options: options).read { batch in
            for record in 0..<batch.count {
                let line = batch.recordLines[record]
                if line < lastLine { Fuzz.fail("record \(records + record) starts on line \(line), after line \(lastLine)") }
                lastLine = line
            }
            records += batch.count
            _ = try table.consume(batch)
        }
        if stats.records != records { Fuzz.fail("the reader counted \(stats.records) records but handed on \(records)") }
        if records > 0 && stats.physicalLines < Int(lastLine) {
            Fuzz.fail("\(stats.physicalLines) physical lines, but a record starts on line \(lastLine)")
        }
        _ = try table.finish()
    } catch {
        Fuzz.expectZizhuError(error, from: "reading \(input.position.file)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let source = input.selector()
    let csv = options(input.selector())
    do {
        for (index, byteInput) in try inputs(source: source, payload: input.payload).enumerated() {
            read(byteInput, index: index, options: csv)
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
    return 0
}
