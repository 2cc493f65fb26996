import ZizhuCore

/// A row of a file held aside: a 合计 / 总计 row not yet known to be the last one.
public struct HeldRow: Sendable {
    public var cells: [String]
    public var line: Int
}

/// What validating one batch produced, before the file-level merge.
public struct BatchResult: Sendable {
    public var out: ValidatedBatch
    public var blankRows = 0
    /// Money (or integer) sums of the total row's columns over this batch's data rows.
    public var sums: [Int64]
    /// A total-looking row with no non-blank row after it in this batch but trailer lines.
    public var pendingTotal: HeldRow?
    /// Trailer lines (制表人, 审核人 …) after `pendingTotal`, held with it: trailer if the file ends
    /// with them, data if a data row follows.
    public var pendingTrailers: [HeldRow] = []
    /// Trailer-looking lines at the start of the batch, before any other non-blank row: the
    /// trailer of a total row pending from an earlier batch, else data rows (validated at merge).
    public var leadingTrailers: [HeldRow] = []
    /// Whether the batch holds any non-blank row other than `leadingTrailers` (which makes an
    /// earlier pending total, and its trailer lines, data rows).
    public var sawNonBlank = false
}

/// The per-batch part of file validation, once the header is known: pure and `Sendable`, so
/// batches can be validated on several threads and merged in order by `TableValidator`.
public struct BatchValidator: Sendable {
    public let validator: RowValidator
    /// Columns the total row is checked against: (field, column).
    let sumColumns: [(field: Int, column: Int)]
    let sourceIndex: Int

    init(validator: RowValidator, sumColumns: [(field: Int, column: Int)], sourceIndex: Int) {
        self.validator = validator
        self.sumColumns = sumColumns
        self.sourceIndex = sourceIndex
    }

    var fieldCount: Int { validator.schema.fields.count }

    func emptyBatch() -> ValidatedBatch {
        ValidatedBatch(sourceIndex: sourceIndex, fieldCount: fieldCount, extraCount: validator.mapping.unknownColumns.count)
    }

    /// Validates records `first...` of `batch`. A 合计 row followed by data in the same batch is
    /// validated as data; one at the end of the batch (followed by nothing but blank rows and
    /// trailer lines) is handed back as `pendingTotal`, its trailer lines as `pendingTrailers`.
    ///
    /// Trailer lines (contract §3) count only after a total row: a 备注 line with no 合计 above
    /// it is data. If a data row follows the trailer lines after all, the total row and those
    /// lines were data and are validated as such, in file order.
    public func validate(_ batch: RecordBatch, from first: Int = 0, scratch: inout RowValidator.Scratch) -> BatchResult {
        var result = BatchResult(out: emptyBatch(), sums: [Int64](repeating: 0, count: sumColumns.count))
        result.out.reserve(rows: batch.count - first, textBytes: batch.bytes.count)
        var held: HeldRow?
        var trailers: [HeldRow] = []
        for record in first..<batch.count {
            if batch.hasUnclosedQuote(record) {
                rejectUnclosedQuote(batch, record: record, into: &result)
                continue
            }
            if Self.isBlank(batch, record: record) {
                result.blankRows += 1
                continue
            }
            if Self.isTrailerRow(batch, record: record, scratch: &scratch) {
                let row = HeldRow(cells: batch.strings(record), line: batch.line(record))
                if held != nil { trailers.append(row); continue }
                if !result.sawNonBlank { result.leadingTrailers.append(row); continue }
            }
            result.sawNonBlank = true
            if let previous = held {
                validateHeld(previous, into: &result, scratch: &scratch)
                for trailer in trailers { validateHeld(trailer, into: &result, scratch: &scratch) }
                held = nil
                trailers = []
            }
            if Self.isTotalRow(batch, record: record, scratch: &scratch) {
                held = HeldRow(cells: batch.strings(record), line: batch.line(record))
                continue
            }
            validateRow(batch, record: record, into: &result, scratch: &scratch)
        }
        result.pendingTotal = held
        result.pendingTrailers = trailers
        return result
    }

    /// A record cut where a quote opened in a column that cannot hold a line break was not closed
    /// on its line: read and rejected, and the lines after it are rows of their own.
    func rejectUnclosedQuote(_ batch: RecordBatch, record: Int, into result: inout BatchResult) {
        let column = batch.fieldCount(record) - 1
        let mapping = validator.mapping
        let title = column >= 0 && column < mapping.titles.count ? mapping.titles[column] : "(column \(column + 1))"
        let line = batch.line(record)
        result.sawNonBlank = true
        result.out.rowsRead += 1
        result.out.rowsRejected += 1
        result.out.rejects.append(RowIssue(
            file: validator.file, line: line, column: title, value: "\"" + batch.string(record, column), rule: "UNCLOSED_QUOTE",
            Message("UNCLOSED_QUOTE", ["field": title, "line": "\(line)", "next": "\(line + 1)"]), hint: Message("UNCLOSED_QUOTE.hint")))
    }

    /// Validates a held row as an ordinary data row.
    func validateHeld(_ held: HeldRow, into result: inout BatchResult, scratch: inout RowValidator.Scratch) {
        var single = RecordBatch(sourceIndex: sourceIndex)
        single.appendRecord(held.cells, line: UInt32(truncatingIfNeeded: held.line))
        validateRow(single, record: 0, into: &result, scratch: &scratch)
    }

    private func validateRow(_ batch: RecordBatch, record: Int, into result: inout BatchResult, scratch: inout RowValidator.Scratch) {
        let accepted = result.out.count
        validator.validate(batch, record: record, into: &result.out, scratch: &scratch)
        let row = result.out.count > accepted ? result.out.count - 1 : nil
        for (i, sum) in sumColumns.enumerated() {
            if let row {
                switch result.out.value(row, sum.field) {
                case .money(let fen): result.sums[i] &+= fen.value
                case .integer(let n): result.sums[i] &+= n
                default: break
                }
            } else if let fen = Self.money(batch, record: record, column: sum.column, scratch: &scratch) {
                result.sums[i] &+= fen.value
            }
        }
        let width = validator.mapping.titles.count
        if batch.fieldCount(record) > width {
            for column in width..<batch.fieldCount(record) where !batch.withField(record, column, { $0.isEmpty }) {
                result.out.warnings.append(RowIssue(file: validator.file, line: batch.line(record), column: "(column \(column + 1))",
                                                    value: batch.string(record, column), rule: "CELL_PAST_HEADER",
                                                    Message("CELL_PAST_HEADER"), hint: Message("CELL_PAST_HEADER.hint")))
                break
            }
        }
    }

    /// A cell read as money, if it is money (total rows and rejected rows' amounts).
    static func money(_ batch: RecordBatch, record: Int, column: Int, scratch: inout RowValidator.Scratch) -> Fen? {
        scratch.normalized.removeAll(keepingCapacity: true)
        batch.withField(record, column) { raw in TextNormalizer.normalize(raw, mode: .compact, into: &scratch.normalized) }
        guard !scratch.normalized.isEmpty else { return nil }
        return scratch.normalized.withUnsafeBufferPointer { try? Fen.parse($0).get() }
    }

    static func isBlank(_ batch: RecordBatch, record: Int) -> Bool {
        for column in 0..<batch.fieldCount(record) {
            let empty = batch.withField(record, column) { bytes in
                bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
            }
            if !empty { return false }
        }
        return true
    }

    /// A row whose first non-empty cell starts with 合计 or 总计.
    static func isTotalRow(_ batch: RecordBatch, record: Int, scratch: inout RowValidator.Scratch) -> Bool {
        for column in 0..<batch.fieldCount(record) {
            // Fast path: a first non-space byte that cannot start 合 / 总 (or their wrappers) decides.
            let first = batch.withField(record, column) { bytes in bytes.first { $0 != 0x20 && $0 != 0x09 } }
            guard let first else { continue }
            if first < 0x80 && first != 0x27 && first != 0x3D { return false }
            scratch.normalized.removeAll(keepingCapacity: true)
            batch.withField(record, column) { raw in TextNormalizer.normalize(raw, mode: .compact, into: &scratch.normalized) }
            if scratch.normalized.isEmpty { continue }
            return scratch.normalized.starts(with: heji) || scratch.normalized.starts(with: zongji)
        }
        return false
    }

    /// A row whose first non-empty cell starts with a trailer word (制表人, 审核人, 单位(盖章) …).
    static func isTrailerRow(_ batch: RecordBatch, record: Int, scratch: inout RowValidator.Scratch) -> Bool {
        for column in 0..<batch.fieldCount(record) {
            let first = batch.withField(record, column) { bytes in bytes.first { $0 != 0x20 && $0 != 0x09 } }
            guard let first else { continue }
            // Every trailer word starts with a CJK ideograph (a lead byte of 0xE0 or more).
            if first < 0xE0 { return false }
            scratch.normalized.removeAll(keepingCapacity: true)
            batch.withField(record, column) { raw in TextNormalizer.normalize(raw, mode: .compact, into: &scratch.normalized) }
            if scratch.normalized.isEmpty { continue }
            return trailerWords.contains { scratch.normalized.starts(with: $0) }
        }
        return false
    }

    /// Contract §3's trailer words, as written and as normalized (单位（盖章） with full-width brackets too).
    static let trailerWords: [[UInt8]] = {
        let words = ["制表人", "审核人", "复核人", "负责人", "填报日期", "填表日期", "备注", "说明", "单位(盖章)", "单位（盖章）"]
        var forms: [[UInt8]] = []
        for word in words {
            for form in [Array(word.utf8), Array(TextNormalizer.normalize(word, mode: .compact).utf8)] where !forms.contains(form) { forms.append(form) }
        }
        return forms
    }()

    private static let heji = Array("合计".utf8)
    private static let zongji = Array("总计".utf8)
}
