import ZizhuCore

/// Validates one input file: finds its header below any title lines, validates every data row,
/// recognizes a trailing 合计 / 总计 row and checks it against the column sums.
///
/// Feed it the file's record batches in order with `consume`, then call `finish`. Rows read =
/// rows accepted + rows rejected, always; blank rows, title lines, the header and the total row
/// are counted apart and never as data.
public final class TableValidator: @unchecked Sendable {
    public let schema: TableSchema
    public let matcher: HeaderMatcher
    public let sourceIndex: Int
    public private(set) var report: FileReport
    public private(set) var validator: RowValidator?
    private let position: InputPosition
    private var scratch = RowValidator.Scratch()
    private var best: (mapping: ColumnMapping, missing: [String])?
    /// A 合计 row seen but not yet known to be the last one.
    private var heldTotal: (cells: [String], line: Int)?
    private var sums: [(field: Int, column: Int, total: Int64)] = []
    private var normalized: [UInt8] = []
    /// How many records may stand above the header before the file is declared headerless.
    public static let maxTitleLines = 30

    public init(schema: TableSchema, matcher: HeaderMatcher, input: InputPosition, sourceIndex: Int) {
        self.schema = schema
        self.matcher = matcher
        self.sourceIndex = sourceIndex
        self.position = input
        report = FileReport(file: input.file, entry: input.entry, schema: schema.name)
    }

    /// Validates the data rows of one batch; returns nil while the header has not been found.
    public func consume(_ batch: RecordBatch) throws -> ValidatedBatch? {
        var record = 0
        while validator == nil, record < batch.count {
            try seekHeader(batch, record: record)
            record += 1
        }
        guard let validator else { return nil }
        var out = ValidatedBatch(sourceIndex: sourceIndex, fieldCount: schema.fields.count,
                                 extraCount: validator.mapping.unknownColumns.count)
        while record < batch.count {
            if isBlank(batch, record: record) {
                report.blankRows += 1
            } else if isTotalRow(batch, record: record) {
                if let held = heldTotal { validateHeld(held, validator: validator, into: &out) }
                heldTotal = (batch.strings(record), batch.line(record))
            } else {
                if let held = heldTotal {
                    // A 合计 row followed by data is not a trailing total: it is a data row.
                    validateHeld(held, validator: validator, into: &out)
                    heldTotal = nil
                }
                validateRow(batch, record: record, validator: validator, into: &out)
            }
            record += 1
        }
        tally(out)
        return out
    }

    /// Ends the file: checks the total row, returns the report. Throws NO_HEADER if none was found.
    public func finish() throws -> FileReport {
        guard validator != nil else {
            if let best {
                throw ZizhuError(.noHeader, "no header row matches schema '\(schema.name)': the closest, line \(best.mapping.headerLine), lacks \(best.missing.joined(separator: ", "))",
                                 at: position, hint: "rename those columns to an accepted title, or map the file's own titles with `columns:` in the pipeline")
            }
            throw ZizhuError(.noHeader, "the file has no rows", at: position, hint: "check that the right file was given")
        }
        if let held = heldTotal { checkTotal(held) }
        return report
    }

    // MARK: header

    private func seekHeader(_ batch: RecordBatch, record: Int) throws {
        let cells = batch.strings(record)
        if cells.allSatisfy({ TextNormalizer.normalize($0, mode: .compact).isEmpty }) { return }
        let mapping = matcher.map(cells, line: batch.line(record))
        let missing = matcher.missingRequired(mapping)
        if missing.isEmpty {
            let validator = RowValidator(schema: schema, mapping: mapping, file: position.displayName)
            self.validator = validator
            report.headerLine = mapping.headerLine
            report.columns = cells.enumerated().map { column, title in
                FileReport.Column(title: title, field: mapping.fieldColumns.firstIndex(of: column).map { schema.fields[$0].name })
            }
            for column in mapping.duplicateColumns {
                report.notes.append("column '\(cells[column])' matches a field already read from an earlier column; it is kept as an extra column")
            }
            for name in schema.totalRow?.sum ?? [] {
                if let field = schema.index(of: name), let column = mapping.fieldColumns[field] { sums.append((field, column, 0)) }
            }
            return
        }
        if best == nil || matcher.score(mapping) > matcher.score(best?.mapping ?? mapping) { best = (mapping, missing) }
        report.titleLines.append(FileReport.TitleLine(line: batch.line(record), text: cells.filter { !$0.isEmpty }.joined(separator: " ")))
        if report.titleLines.count > Self.maxTitleLines, let best {
            throw ZizhuError(.noHeader, "no header row matches schema '\(schema.name)' in the first \(Self.maxTitleLines) rows: the closest, line \(best.mapping.headerLine), lacks \(best.missing.joined(separator: ", "))",
                             at: position, hint: "rename those columns to an accepted title, or map the file's own titles with `columns:` in the pipeline")
        }
    }

    // MARK: rows

    private func validateRow(_ batch: RecordBatch, record: Int, validator: RowValidator, into out: inout ValidatedBatch) {
        let accepted = out.count
        validator.validate(batch, record: record, into: &out, scratch: &scratch)
        let wasAccepted = out.count > accepted
        if !sums.isEmpty { addToSums(batch, record: record, accepted: wasAccepted ? out.count - 1 : nil, out: out) }
        let width = validator.mapping.titles.count
        if batch.fieldCount(record) > width {
            for column in width..<batch.fieldCount(record) where !batch.withField(record, column, { $0.isEmpty }) {
                out.warnings.append(RowIssue(file: position.displayName, line: batch.line(record), column: "(column \(column + 1))",
                                             value: batch.string(record, column), rule: "CELL_PAST_HEADER",
                                             message: "a cell stands past the last header column",
                                             hint: "add a title for it or remove it"))
                break
            }
        }
    }

    private func validateHeld(_ held: (cells: [String], line: Int), validator: RowValidator, into out: inout ValidatedBatch) {
        var single = RecordBatch(sourceIndex: sourceIndex)
        single.appendRecord(held.cells, line: UInt32(truncatingIfNeeded: held.line))
        validateRow(single, record: 0, validator: validator, into: &out)
    }

    private func addToSums(_ batch: RecordBatch, record: Int, accepted row: Int?, out: ValidatedBatch) {
        for i in sums.indices {
            if let row, case .money(let fen) = out.value(row, sums[i].field) {
                sums[i].total &+= fen.value
            } else if row == nil, let fen = money(batch, record: record, column: sums[i].column) {
                sums[i].total &+= fen.value
            } else if let row, case .integer(let n) = out.value(row, sums[i].field) {
                sums[i].total &+= n
            }
        }
    }

    private func money(_ batch: RecordBatch, record: Int, column: Int) -> Fen? {
        normalized.removeAll(keepingCapacity: true)
        batch.withField(record, column) { raw in TextNormalizer.normalize(raw, mode: .compact, into: &normalized) }
        guard !normalized.isEmpty else { return nil }
        return normalized.withUnsafeBufferPointer { try? Fen.parse($0).get() }
    }

    private func checkTotal(_ held: (cells: [String], line: Int)) {
        var checks: [FileReport.TotalRowCheck.Sum] = []
        var single = RecordBatch(sourceIndex: sourceIndex)
        single.appendRecord(held.cells, line: UInt32(truncatingIfNeeded: held.line))
        for sum in sums {
            guard let stated = money(single, record: 0, column: sum.column) else { continue }
            let title = validator?.mapping.title(forField: sum.field, in: schema) ?? schema.fields[sum.field].displayTitle
            let computed = Fen(sum.total)
            checks.append(.init(column: title, stated: stated.yuan, computed: computed.yuan, matches: stated == computed))
            if stated != computed {
                report.notes.append("the total row (line \(held.line)) says \(title) \(stated.yuan), but the data rows add up to \(computed.yuan)")
                report.warningsByRule["TOTAL_MISMATCH", default: 0] += 1
            }
        }
        report.totalRow = FileReport.TotalRowCheck(line: held.line, checks: checks)
    }

    private func tally(_ out: ValidatedBatch) {
        report.rowsRead += out.rowsRead
        report.rowsRejected += out.rowsRejected
        report.rowsAccepted += out.count
        for issue in out.rejects { report.rejectsByRule[issue.rule, default: 0] += 1 }
        for issue in out.warnings { report.warningsByRule[issue.rule, default: 0] += 1 }
    }

    // MARK: row kinds

    private func isBlank(_ batch: RecordBatch, record: Int) -> Bool {
        for column in 0..<batch.fieldCount(record) {
            let empty = batch.withField(record, column) { bytes in
                bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
            }
            if !empty { return false }
        }
        return true
    }

    /// A row whose first non-empty cell starts with 合计 or 总计.
    private func isTotalRow(_ batch: RecordBatch, record: Int) -> Bool {
        for column in 0..<batch.fieldCount(record) {
            // Fast path: a first non-space byte that cannot start 合 / 总 (or their wrappers) decides.
            let first = batch.withField(record, column) { bytes in bytes.first { $0 != 0x20 && $0 != 0x09 } }
            guard let first else { continue }
            if first < 0x80 && first != 0x27 && first != 0x3D { return false }
            normalized.removeAll(keepingCapacity: true)
            batch.withField(record, column) { raw in TextNormalizer.normalize(raw, mode: .compact, into: &normalized) }
            if normalized.isEmpty { continue }
            return normalized.starts(with: Self.heji) || normalized.starts(with: Self.zongji)
        }
        return false
    }

    private static let heji = Array("合计".utf8)
    private static let zongji = Array("总计".utf8)
}
