import ZizhuCore
import ZizhuIngest
import ZizhuIO
import ZizhuTestSupport

/// A record as the oracle sees it.
struct ReferenceRecord: Equatable, CustomStringConvertible {
    var fields: [String]
    var line: Int
    /// Offset of the record's first line in the decoded UTF-8 text.
    var textOffset: Int

    var description: String { "\(line)@\(textOffset): \(fields)" }
}

/// A deliberately simple, whole-text CSV parser with libcsv's rules (RFC 4180 quoting; spaces
/// and tabs around unquoted fields trimmed; lines of only blanks skipped; CRLF, LF and a lone
/// CR end lines), written independently of the streaming reader so the two can be compared.
enum ReferenceCSV {
    static func parse(_ text: [UInt8], delimiter: UInt8 = 0x2C) -> (records: [ReferenceRecord], lines: Int) {
        let n = text.count
        var records: [ReferenceRecord] = []
        var line = 1
        var i = 0
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (byte == 0x09 && delimiter != 0x09) }
        func breakLength(_ at: Int) -> Int {
            guard at < n else { return 0 }
            if text[at] == 0x0A { return 1 }
            if text[at] == 0x0D { return at + 1 < n && text[at + 1] == 0x0A ? 2 : 1 }
            return 0
        }
        while i < n {
            var j = i
            while j < n && isBlank(text[j]) { j += 1 }
            if j == n { break }
            let blankBreak = breakLength(j)
            if blankBreak > 0 {
                line += 1
                i = j + blankBreak
                continue
            }
            let recordLine = line
            let recordOffset = i
            var fields: [String] = []
            fieldLoop: while true {
                while j < n && isBlank(text[j]) { j += 1 }
                var field: [UInt8] = []
                if j < n && text[j] == 0x22 {
                    j += 1
                    while j < n {
                        if text[j] == 0x22 {
                            if j + 1 < n && text[j + 1] == 0x22 {
                                field.append(0x22)
                                j += 2
                                continue
                            }
                            j += 1
                            break
                        }
                        let brk = breakLength(j)
                        if brk > 0 {
                            line += 1
                            field.append(contentsOf: text[j..<(j + brk)])
                            j += brk
                            continue
                        }
                        field.append(text[j])
                        j += 1
                    }
                    while j < n && isBlank(text[j]) { j += 1 }
                } else {
                    while j < n && text[j] != delimiter && breakLength(j) == 0 {
                        field.append(text[j])
                        j += 1
                    }
                    while let last = field.last, isBlank(last) { field.removeLast() }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if j >= n { break fieldLoop }
                if text[j] == delimiter {
                    j += 1
                    continue fieldLoop
                }
                let brk = breakLength(j)
                line += 1
                j += brk
                break fieldLoop
            }
            records.append(ReferenceRecord(fields: fields, line: recordLine, textOffset: recordOffset))
            i = j
        }
        return (records, physicalLines(text))
    }

    static func physicalLines(_ text: [UInt8]) -> Int {
        var lines = 0
        var i = 0
        var lineHasBytes = false
        while i < text.count {
            if text[i] == 0x0A || text[i] == 0x0D {
                lines += 1
                lineHasBytes = false
                i += text[i] == 0x0D && i + 1 < text.count && text[i + 1] == 0x0A ? 2 : 1
            } else {
                lineHasBytes = true
                i += 1
            }
        }
        return lines + (lineHasBytes ? 1 : 0)
    }
}

/// Everything a read produced, flattened.
struct ReadResult {
    var records: [[String]] = []
    var lines: [Int] = []
    var offsets: [Int64] = []
    var batchSizes: [Int] = []
    var sequences: [Int] = []
    var sourceIndexes: Set<Int> = []
    var stats: IngestStats?
}

func readAll(_ input: ByteInput, options: CSVOptions = CSVOptions(), sourceIndex: Int = 0) throws -> ReadResult {
    var result = ReadResult()
    let stats = try RecordReader(input: input, sourceIndex: sourceIndex, options: options).read { batch in
        result.batchSizes.append(batch.count)
        result.sequences.append(batch.sequence)
        result.sourceIndexes.insert(batch.sourceIndex)
        for r in 0..<batch.count {
            result.records.append(batch.strings(r))
            result.lines.append(batch.line(r))
            result.offsets.append(batch.recordOffsets[r])
        }
    }
    result.stats = stats
    return result
}

func readAll(_ bytes: [UInt8], options: CSVOptions = CSVOptions()) throws -> ReadResult {
    try readAll(ByteInput.memory(bytes, name: "test.csv"), options: options)
}

func readAll(_ text: String, options: CSVOptions = CSVOptions()) throws -> ReadResult {
    try readAll(Array(text.utf8), options: options)
}

/// Generates a CSV text with awkward fields: quotes, separators, CRLF / LF / CR inside quoted
/// fields, Chinese (2-byte in GB18030), ¥ and 😀 (4-byte in GB18030; 😀 a surrogate pair in
/// UTF-16), blank lines and a title line.
func generateAwkwardCSV(seed: UInt64, records: Int, columns: Int = 4, lineBreak: String = "\n") -> String {
    var random = SeededRandom(state: seed)
    let pieces = ["a", "Z", "7", "0", "中", "文", "张", "¥", "😀", "é", " ", ",", "\t", "\"", "\n", "\r\n", "\r", "x y"]
    var text = "XX技工学校2023年秋季学期国家助学金发放名单" + String(repeating: ",", count: columns - 1) + lineBreak
    for r in 0..<records {
        if random.below(6) == 0 { text += lineBreak }
        var fields: [String] = []
        for _ in 0..<columns {
            var field = ""
            for _ in 0..<random.below(5) { field += pieces[random.below(pieces.count)] }
            let needsQuotes = field.contains(where: { [",", "\"", "\n", "\r", "\r\n"].contains($0) })
                || field.first == " " || field.first == "\t" || field.last == " " || field.last == "\t"
                || random.below(5) == 0
            if needsQuotes { field = "\"" + field.replacingOccurrencesOfQuote() + "\"" }
            fields.append(field)
        }
        text += fields.joined(separator: ",")
        if r + 1 < records || random.below(2) == 0 { text += lineBreak }
    }
    return text
}

extension String {
    func replacingOccurrencesOfQuote() -> String {
        var result = ""
        for character in self {
            if character == "\"" { result += "\"\"" } else { result.append(character) }
        }
        return result
    }
}
