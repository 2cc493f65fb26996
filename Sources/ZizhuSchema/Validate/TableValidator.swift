import ZizhuCore

/// Validates one input file: finds its header below any title lines, validates every data row,
/// recognizes a trailing 合计 / 总计 row and checks it against the column sums.
///
/// Two ways to drive it. Sequentially: feed the file's batches in order to `consume`, then call
/// `finish`. In parallel: once `batchValidator` is set (the header was found), validate later
/// batches on any thread with it and hand the results, in batch order, to `merge`. Either way
/// rows read = rows accepted + rows rejected; blank rows, title lines, the header and the total
/// row are counted apart and never as data.
public final class TableValidator: @unchecked Sendable {
    public let schema: TableSchema
    public let matcher: HeaderMatcher
    public let sourceIndex: Int
    public private(set) var report: FileReport
    /// Set once the header is found.
    public private(set) var batchValidator: BatchValidator?
    public var validator: RowValidator? { batchValidator?.validator }
    private let position: InputPosition
    private var scratch = RowValidator.Scratch()
    private var best: ColumnMapping?
    /// The first row above the header that is a header once split by another separator.
    private var separated: (name: String, line: Int)?
    /// A 合计 row at the end of the batches so far, not yet known to be the last row of the file.
    private var pending: HeldRow?
    /// Trailer lines after `pending` so far.
    private var pendingTrailers: [HeldRow] = []
    private var sums: [Int64] = []
    /// How many records may stand above the header before the file is declared headerless.
    public static let maxTitleLines = 30

    /// The language of the file report's notes.
    public var language: Language = .zh

    public init(schema: TableSchema, matcher: HeaderMatcher, input: InputPosition, sourceIndex: Int) {
        self.schema = schema
        self.matcher = matcher
        self.sourceIndex = sourceIndex
        self.position = input
        report = FileReport(file: input.file, entry: input.entry, schema: schema.name)
    }

    /// Validates one batch on this thread; returns the validated rows (none while the header is
    /// still being looked for).
    public func consume(_ batch: RecordBatch) throws -> [ValidatedBatch] {
        var record = 0
        while batchValidator == nil, record < batch.count {
            try seekHeader(batch, record: record)
            record += 1
        }
        guard let batchValidator, record < batch.count else { return [] }
        return merge(batchValidator.validate(batch, from: record, scratch: &scratch))
    }

    /// Folds one batch's result into the file, in batch order.
    public func merge(_ result: BatchResult) -> [ValidatedBatch] {
        var emitted: [ValidatedBatch] = []
        if pending != nil, !result.sawNonBlank {
            // Only trailer lines (or nothing): they join the pending total's trailer.
            pendingTrailers += result.leadingTrailers
        } else if let batchValidator {
            // Rows follow an earlier batch's 合计 row (and its trailer-looking lines): all are data.
            // Trailer-looking lines opening a batch with no 合计 before them are data too.
            let held = (pending.map { [$0] } ?? []) + pendingTrailers + result.leadingTrailers
            if !held.isEmpty {
                var extra = BatchResult(out: batchValidator.emptyBatch(), sums: [Int64](repeating: 0, count: sums.count))
                for row in held { batchValidator.validateHeld(row, into: &extra, scratch: &scratch) }
                add(extra)
                emitted.append(extra.out)
            }
            pending = nil
            pendingTrailers = []
        }
        add(result)
        emitted.append(result.out)
        if let held = result.pendingTotal {
            pending = held
            pendingTrailers = result.pendingTrailers
        }
        return emitted
    }

    /// Ends the file: checks the total row, returns the report. Throws NO_HEADER if none was found.
    public func finish() throws -> FileReport {
        guard batchValidator != nil else {
            if let best { throw noHeader(best, within: nil) }
            throw ZizhuError(.noHeader, Message("error.noRows"), at: position, hint: Message("error.noRows.hint"))
        }
        if let held = pending {
            checkTotal(held)
            if !pendingTrailers.isEmpty {
                report.trailerLines = pendingTrailers.map { FileReport.TitleLine(line: $0.line, text: $0.cells.filter { !$0.isEmpty }.joined(separator: " ")) }
            }
        }
        return report
    }

    // MARK: header

    private func seekHeader(_ batch: RecordBatch, record: Int) throws {
        let cells = batch.strings(record)
        if cells.allSatisfy({ TextNormalizer.normalize($0, mode: .compact).isEmpty }) { return }
        let mapping = matcher.map(cells, line: batch.line(record))
        let missing = matcher.missingRequired(mapping)
        if missing.isEmpty {
            var validator = RowValidator(schema: schema, mapping: mapping, file: position.displayName)
            validator.language = language
            var sumColumns: [(field: Int, column: Int)] = []
            for name in schema.totalRow?.sum ?? [] {
                if let field = schema.index(of: name), let column = mapping.fieldColumns[field] { sumColumns.append((field, column)) }
            }
            sums = [Int64](repeating: 0, count: sumColumns.count)
            batchValidator = BatchValidator(validator: validator, sumColumns: sumColumns, sourceIndex: sourceIndex)
            report.headerLine = mapping.headerLine
            report.columns = cells.enumerated().map { column, title in
                FileReport.Column(title: title, field: mapping.fieldColumns.firstIndex(of: column).map { schema.fields[$0].name })
            }
            for column in mapping.duplicateColumns {
                report.notes.append(language("note.column.repeated", ["title": cells[column]]))
            }
            return
        }
        if best == nil || matcher.score(mapping) > matcher.score(best ?? mapping) { best = mapping }
        report.titleLines.append(FileReport.TitleLine(line: batch.line(record), text: cells.filter { !$0.isEmpty }.joined(separator: " ")))
        if separated == nil, let separator = Self.otherSeparator(cells, matcher: matcher) {
            separated = (separator, batch.line(record))
        }
        if report.titleLines.count > Self.maxTitleLines, let best {
            throw noHeader(best, within: Self.maxTitleLines)
        }
    }

    /// The separators a wrong-separator file may use, with their names' catalogue keys.
    static let separators: [(separator: Character, name: String)] = [(";", "separator.semicolon"), ("|", "separator.bar"), ("\t", "separator.tab"), (",", "separator.comma")]

    /// A separator that, splitting the row's cells, turns it into a header of the schema.
    static func otherSeparator(_ cells: [String], matcher: HeaderMatcher) -> String? {
        for (separator, name) in separators where cells.contains(where: { $0.contains(separator) }) {
            let split = cells.flatMap { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) }
            if matcher.missingRequired(matcher.map(split, line: 0)).isEmpty { return name }
        }
        return nil
    }

    /// NO_HEADER for a file with no header row: a row that is the header once split by another
    /// separator says so; else the closest row's missing fields, their accepted titles and the
    /// file's nearest titles.
    private func noHeader(_ closest: ColumnMapping, within rows: Int?) -> ZizhuError {
        let scope = rows.map { Message("error.noHeader.scope", ["rows": "\($0)"]) } ?? Message(verbatim: "")
        if let separated {
            let name = Message(separated.name)
            return ZizhuError(.noHeader, Message("error.noHeader.separator", ["schema": schema.name, "line": "\(separated.line)"],
                                                 parts: ["scope": scope, "separator": name]),
                              at: position, hint: Message(separated.name == "separator.tab" ? "error.noHeader.separator.tab.hint" : "error.noHeader.separator.hint"))
        }
        let missing = matcher.diagnose(closest)
        var hint = Message("error.noHeader.missing.hint")
        if let first = missing.first(where: { !$0.nearest.isEmpty }), let title = first.nearest.first {
            hint = Message("error.noHeader.missing.hint.example", ["title": title, "field": first.field])
        }
        let lacks = missing.map { field in
            field.nearest.isEmpty
                ? Message("error.noHeader.lacks", ["title": field.title, "accepted": field.accepted.joined(separator: ", ")])
                : Message("error.noHeader.lacks.nearest", ["title": field.title, "accepted": field.accepted.joined(separator: ", "),
                                                           "nearest": field.nearest.map { $0 + "?" }.joined(separator: ", ")])
        }
        var parts: [String: Message] = ["scope": scope]
        parts["lacks"] = Message(list: lacks, separator: "summary.semicolon")
        return ZizhuError(.noHeader, Message("error.noHeader.missing", ["schema": schema.name, "line": "\(closest.headerLine)"], parts: parts),
                          at: position, hint: hint)
    }

    // MARK: totals and counts

    private func add(_ result: BatchResult) {
        for i in sums.indices where i < result.sums.count { sums[i] &+= result.sums[i] }
        report.blankRows += result.blankRows
        report.rowsRead += result.out.rowsRead
        report.rowsRejected += result.out.rowsRejected
        report.rowsAccepted += result.out.count
        for issue in result.out.rejects { report.rejectsByRule[issue.rule, default: 0] += 1 }
        for issue in result.out.warnings { report.warningsByRule[issue.rule, default: 0] += 1 }
    }

    private func checkTotal(_ held: HeldRow) {
        guard let batchValidator else { return }
        var checks: [FileReport.TotalRowCheck.Sum] = []
        var single = RecordBatch(sourceIndex: sourceIndex)
        single.appendRecord(held.cells, line: UInt32(truncatingIfNeeded: held.line))
        for (i, sum) in batchValidator.sumColumns.enumerated() {
            guard let stated = BatchValidator.money(single, record: 0, column: sum.column, scratch: &scratch) else { continue }
            let title = batchValidator.validator.mapping.title(forField: sum.field, in: schema)
            let computed = Fen(sums[i])
            checks.append(.init(column: title, stated: stated.yuan, computed: computed.yuan, matches: stated == computed))
            if stated != computed {
                report.notes.append(language("note.total.differs", ["line": "\(held.line)", "title": title, "stated": stated.yuan, "computed": computed.yuan]))
                report.warningsByRule["TOTAL_MISMATCH", default: 0] += 1
            }
        }
        report.totalRow = FileReport.TotalRowCheck(line: held.line, checks: checks)
    }
}
