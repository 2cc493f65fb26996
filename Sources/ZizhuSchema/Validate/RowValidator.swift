import Foundation
import ZizhuCore

/// Normalizes and validates the data rows of one file against a schema, cell by cell.
///
/// Built once per file from its column mapping; `validate(_:record:into:)` is the per-row hot
/// path and allocates nothing for the common cell (normalization goes through a reused scratch
/// buffer and parsers read bytes). Every row ends accepted (values appended) or rejected (one
/// `RowIssue` per reason); findings the contract names (S09) are reported on accepted rows.
public struct RowValidator: Sendable {
    public let schema: TableSchema
    public let mapping: ColumnMapping
    public let file: String
    /// The language of the findings' detail column (S09).
    public var language: Language = .zh
    /// Canonical code lists per field (nil for non-code fields).
    public let codeTables: [CodeTable?]

    /// What the per-cell loop needs, trivially copyable (no reference counting per cell).
    struct Plan: Sendable {
        var field: Int
        /// -1: the column is absent from the file.
        var column: Int
        var type: TableSchema.FieldType
        var mode: TextNormalizer.Mode
        var required: Bool
        /// Required when field `requiredWhenField` (≥ 0) holds code `requiredWhenCode`.
        var requiredWhenField: Int
        var requiredWhenCode: UInt16
        var monthAllowed: Bool
        /// -1: none.
        var defaultCode: Int
        /// -1: none.
        var idTypeField: Int
        var warnOnInvalid: Bool
        var personal: Bool
        /// Any constraint beyond required/type (checked off the fast path).
        var constrained: Bool
        /// Length limits in characters (-1: none), read here rather than from `Detail` so the
        /// common length-only check copies nothing reference-counted.
        var maxLength: Int
        var minLength: Int
        /// A constraint that needs `Detail` (enum, pattern, minimum, maximum).
        var detailed: Bool
        /// Bit `c` set: the GB 11643 check applies to id type code `c` (codes below 64; others
        /// are looked up in `Detail.checkedIDTypes`).
        var checkedIDTypeMask: UInt64
    }

    /// What only errors and constraint checks need, per field.
    struct Detail: Sendable {
        var title: String
        /// Code indexes of `idTypeField` for which the GB 11643 check applies.
        var checkedIDTypes: Set<UInt16>
        var minimum: Double?
        var maximum: Double?
        var maxLength: Int?
        var minLength: Int?
        var enumValues: Set<String>?
        var pattern: NSRegularExpressionBox?
    }

    let plans: [Plan]
    /// Indexed by field.
    let details: [Detail]
    let oneOfGroups: [[Int]]
    let identity: (id: Int, gender: Int?, birth: Int?, finding: String)?
    let genderCodes: (male: UInt16?, female: UInt16?)
    let contextFields: (school: Int?, studentNo: Int?, name: Int?, term: Int?)

    public init(schema: TableSchema, mapping: ColumnMapping, file: String) {
        self.schema = schema
        self.mapping = mapping
        self.file = file
        let tables = schema.fields.map { $0.type == .code ? CodeTable($0.codes ?? [:]) : nil }
        codeTables = tables
        var plans: [Plan] = []
        var details: [Detail] = []
        for (i, field) in schema.fields.enumerated() {
            let constraints = field.constraints
            var requiredWhen: (field: Int, code: UInt16) = (-1, 0)
            if let condition = field.requiredWhen, let j = schema.index(of: condition.field),
               let code = tables[j]?.index(of: condition.equals) {
                requiredWhen = (j, code)
            }
            var checked = Set<UInt16>()
            if let j = field.idTypeField.flatMap(schema.index(of:)), let table = tables[j] {
                for name in ["居民身份证", "港澳台居民居住证"] { if let c = table.index(of: name) { checked.insert(c) } }
            }
            let mode: TextNormalizer.Mode
            switch field.type {
            case .personName: mode = .name
            case .string, .date: mode = .text
            default: mode = .compact
            }
            let detail = Detail(
                title: mapping.title(forField: i, in: schema), checkedIDTypes: checked,
                minimum: constraints?.minimum, maximum: constraints?.maximum, maxLength: constraints?.maxLength,
                minLength: constraints?.minLength, enumValues: constraints?.enum.map(Set.init),
                pattern: constraints?.pattern.flatMap { try? NSRegularExpression(pattern: $0) }.map(NSRegularExpressionBox.init))
            details.append(detail)
            plans.append(Plan(
                field: i, column: mapping.fieldColumns[i] ?? -1, type: field.type, mode: mode, required: field.isRequired,
                requiredWhenField: requiredWhen.field, requiredWhenCode: requiredWhen.code, monthAllowed: field.format == "month",
                defaultCode: field.default.flatMap { tables[i]?.index(of: $0) }.map(Int.init) ?? -1,
                idTypeField: field.idTypeField.flatMap(schema.index(of:)) ?? -1,
                warnOnInvalid: field.warnsOnInvalid, personal: field.type == .residentID || field.type == .bankAccount,
                constrained: detail.minimum != nil || detail.maximum != nil || detail.maxLength != nil
                    || detail.minLength != nil || detail.enumValues != nil || detail.pattern != nil,
                maxLength: detail.maxLength ?? -1, minLength: detail.minLength ?? -1,
                detailed: detail.minimum != nil || detail.maximum != nil || detail.enumValues != nil || detail.pattern != nil,
                checkedIDTypeMask: checked.reduce(UInt64(0)) { $1 < 64 ? $0 | (1 << UInt64($1)) : $0 }))
        }
        self.details = details
        // Fields others depend on (id type, the condition of requiredWhen) are read first.
        let dependedOn = Set(plans.map(\.idTypeField) + plans.map(\.requiredWhenField)).subtracting([-1])
        self.plans = plans.filter { dependedOn.contains($0.field) } + plans.filter { !dependedOn.contains($0.field) }
        oneOfGroups = (schema.requireOneOf ?? []).map { $0.compactMap(schema.index(of:)) }
        if let check = schema.checks?.first(where: { $0.kind == "identity" }), let id = check.id.flatMap(schema.index(of:)) {
            identity = (id, check.gender.flatMap(schema.index(of:)), check.birthDate.flatMap(schema.index(of:)), check.finding ?? "S09")
        } else {
            identity = nil
        }
        if let g = identity?.gender, let table = tables[g] {
            genderCodes = (table.index(of: Gender.male.rawValue), table.index(of: Gender.female.rawValue))
        } else {
            genderCodes = (nil, nil)
        }
        contextFields = (schema.index(of: "school_code"), schema.index(of: "student_no"), schema.index(of: "name"), schema.index(of: "term"))
    }

    /// Scratch space reused across rows (one per validating thread).
    public struct Scratch: Sendable {
        var normalized: [UInt8] = []
        var issues: [RowIssue] = []
        var regions = RegionCache()
        var terms = TermCache()
        public init() { normalized.reserveCapacity(256) }
    }

    /// Validates record `record` of `batch`, appending the accepted row, or the reject reasons, to `out`.
    ///
    /// The row's values are written in place at the end of `out.values` (removed again when the
    /// row is rejected), so an accepted row is never copied.
    public func validate(_ batch: RecordBatch, record: Int, into out: inout ValidatedBatch, scratch: inout Scratch) {
        let line = batch.line(record)
        out.rowsRead += 1
        scratch.issues.removeAll(keepingCapacity: true)
        let base = out.values.count
        out.values.append(contentsOf: repeatElement(Value.empty, count: plans.count))
        let textStart = out.text.count
        for plan in plans {
            let value = cell(plan, batch: batch, record: record, line: line, row: base, out: &out, scratch: &scratch)
            out.values[base + plan.field] = value
        }
        // requiredWhen is checked once the condition's field is known.
        for plan in plans where plan.requiredWhenField >= 0 && out.values[base + plan.field].isEmpty {
            let title = details[plan.field].title
            if case .code(plan.requiredWhenCode) = out.values[base + plan.requiredWhenField],
               !scratch.issues.contains(where: { $0.column == title }) {
                let name = codeTables[plan.requiredWhenField]?.names[Int(plan.requiredWhenCode)] ?? ""
                scratch.issues.append(issue(plan, line: line, value: "", rule: "REQUIRED_MISSING",
                                            Message("reject.requiredWhen", ["field": title, "value": name]), hint: Message("reject.fillIn.hint")))
            }
        }
        for group in oneOfGroups where !group.isEmpty && group.allSatisfy({ out.values[base + $0].isEmpty }) {
            let titles = group.map { mapping.title(forField: $0, in: schema) }.joined(separator: " / ")
            scratch.issues.append(RowIssue(file: file, line: line, column: titles, value: "", rule: "REQUIRED_MISSING",
                                           Message("reject.oneOf", ["fields": titles]), hint: Message("reject.oneOf.hint")))
        }
        if !scratch.issues.isEmpty, batch.fieldCount(record) < mapping.titles.count {
            shortRow(batch, record: record, line: line, scratch: &scratch)
        }
        if !scratch.issues.isEmpty {
            out.rowsRejected += 1
            out.rejects.append(contentsOf: scratch.issues)
            out.values.removeSubrange(base...)
            out.text.removeSubrange(textStart...)
            return
        }
        out.lines.append(UInt32(truncatingIfNeeded: line))
        if out.extraCount > 0 {
            for column in mapping.unknownColumns {
                out.extras.append(appendText(batch, record: record, column: column, mode: .text, out: &out))
            }
        }
        if identity != nil { checkIdentity(row: out.count - 1, batch: out, line: line, out: &out) }
    }

    /// Reads, normalizes and parses one cell of the row whose values start at `out.values[row]`.
    /// A plain cell (nothing for normalization to change) is parsed where it lies in the record
    /// batch; any other is normalized into the row's scratch buffer (cleared once per row) first.
    private func cell(_ plan: Plan, batch: RecordBatch, record: Int, line: Int, row: Int,
                      out: inout ValidatedBatch, scratch: inout Scratch) -> Value {
        if plan.type == .string || plan.type == .personName {
            return textCell(plan, batch: batch, record: record, line: line, out: &out, scratch: &scratch)
        }
        guard plan.column >= 0 else { return emptyCell(plan, line: line, scratch: &scratch) }
        return batch.withField(record, plan.column) { raw -> Value in
            if let plain = TextNormalizer.unchangedRange(raw, mode: plan.mode) {
                if plain.isEmpty { return emptyCell(plan, line: line, scratch: &scratch) }
                return checked(plan, UnsafeBufferPointer(rebasing: raw[plain]), line: line, row: row, out: &out, scratch: &scratch)
            }
            // The buffer is moved out of `scratch` while it is read, not copied.
            var normalized: [UInt8] = []
            swap(&normalized, &scratch.normalized)
            defer { swap(&normalized, &scratch.normalized) }
            normalized.removeAll(keepingCapacity: true)
            TextNormalizer.normalize(raw, mode: plan.mode, into: &normalized)
            if normalized.isEmpty { return emptyCell(plan, line: line, scratch: &scratch) }
            return normalized.withUnsafeBufferPointer { checked(plan, $0, line: line, row: row, out: &out, scratch: &scratch) }
        }
    }

    /// Parses a normalized, non-empty cell and checks its constraints; a problem is recorded in
    /// `scratch.issues` (or `out.warnings`) and the cell reads as empty.
    private func checked(_ plan: Plan, _ bytes: UnsafeBufferPointer<UInt8>, line: Int, row: Int,
                         out: inout ValidatedBatch, scratch: inout Scratch) -> Value {
        let isExcelError = ExcelErrorValue.matches(bytes)
        let parsed = isExcelError
            ? .failure(ExcelErrorValue.error(title: details[plan.field].title, column: plan.column, line: line,
                                             literal: String(decoding: bytes, as: UTF8.self)))
            : parse(plan, bytes, row: row, out: &out, regions: &scratch.regions, terms: &scratch.terms)
        switch parsed {
        case .success(let value):
            if plan.constrained, let problem = checkConstraints(plan, value, out: out) {
                scratch.issues.append(issue(plan, line: line, value: shown(plan, bytes), rule: problem.rule,
                                            problem.messageWords, hint: problem.hintMessage))
                return .empty
            }
            if plan.type == .bankAccount, case .account(let ref) = value {
                let passes = out.withBytes(ref) { BankAccount.passesLuhn($0) }
                if !passes {
                    out.warnings.append(issue(plan, line: line, value: shown(plan, bytes), rule: "ACCOUNT_LUHN",
                                              Message("ACCOUNT_LUHN", ["field": details[plan.field].title]),
                                              hint: Message("ACCOUNT_LUHN.hint")))
                }
            }
            return value
        case .failure(let error):
            // An error value is no personal data: shown as Excel shows it, never masked; its message
            // names the cell itself, so it is not prefixed with the field.
            let words = isExcelError ? error.messageWords
                : Message("reject.field", ["field": details[plan.field].title], parts: ["message": error.messageWords])
            let problem = issue(plan, line: line, value: isExcelError ? String(decoding: bytes, as: UTF8.self) : shown(plan, bytes),
                                rule: error.rule, words, hint: error.hintMessage)
            if plan.warnOnInvalid {
                out.warnings.append(problem)
            } else {
                scratch.issues.append(problem)
            }
            return .empty
        }
    }

    /// A text cell (string, person name), normalized straight into the batch's text buffer: no
    /// scratch copy. A rejected row's text is dropped by `validate` with the rest of the row.
    private func textCell(_ plan: Plan, batch: RecordBatch, record: Int, line: Int,
                          out: inout ValidatedBatch, scratch: inout Scratch) -> Value {
        let start = out.text.count
        if plan.column >= 0 {
            batch.withField(record, plan.column) { raw in
                if !raw.isEmpty { TextNormalizer.normalize(raw, mode: plan.mode, into: &out.text) }
            }
        }
        let length = out.text.count - start
        if length == 0 { return emptyCell(plan, line: line, scratch: &scratch) }
        if out.text.withUnsafeBufferPointer({ ExcelErrorValue.matches(UnsafeBufferPointer(rebasing: $0[start...])) }) {
            let literal = String(decoding: out.text[start...], as: UTF8.self)
            let error = ExcelErrorValue.error(title: details[plan.field].title, column: plan.column, line: line, literal: literal)
            let problem = issue(plan, line: line, value: literal, rule: error.rule, error.messageWords, hint: error.hintMessage)
            if plan.warnOnInvalid { out.warnings.append(problem) } else { scratch.issues.append(problem) }
            return .empty
        }
        let value = Value.text(TextRef(offset: UInt32(truncatingIfNeeded: start), length: UInt32(truncatingIfNeeded: length)))
        if plan.constrained, let problem = checkConstraints(plan, value, out: out) {
            scratch.issues.append(issue(plan, line: line, value: Array(out.text[start...]).withUnsafeBufferPointer { shown(plan, $0) }, rule: problem.rule,
                                        problem.messageWords, hint: problem.hintMessage))
            return .empty
        }
        return value
    }

    /// An empty cell: the field's default code, else nothing (and REQUIRED_MISSING when required).
    private func emptyCell(_ plan: Plan, line: Int, scratch: inout Scratch) -> Value {
        if plan.defaultCode >= 0 { return .code(UInt16(plan.defaultCode)) }
        if plan.required {
            scratch.issues.append(issue(plan, line: line, value: "", rule: "REQUIRED_MISSING",
                                        Message("REQUIRED_MISSING", ["field": details[plan.field].title]), hint: Message("reject.fillIn.hint")))
        }
        return .empty
    }

    private func parse(_ plan: Plan, _ bytes: UnsafeBufferPointer<UInt8>, row: Int,
                       out: inout ValidatedBatch, regions: inout RegionCache,
                       terms: inout TermCache) -> Result<Value, ValueError> {
        switch plan.type {
        case .string, .personName:
            return .success(.text(store(bytes, in: &out)))
        case .money:
            return Fen.parse(bytes).map(Value.money)
        case .date:
            return CalendarDate.parse(bytes, allowMonthOnly: plan.monthAllowed).map {
                $0.precision == .month ? .month($0.date) : .date($0.date)
            }
        case .residentID:
            if plan.idTypeField >= 0, case .code(let type) = out.values[row + plan.idTypeField],
               type < 64 ? plan.checkedIDTypeMask & (1 << UInt64(type)) == 0 : !details[plan.field].checkedIDTypes.contains(type) {
                let upper = String(decoding: bytes, as: UTF8.self).uppercased()
                return .success(.otherID(store(Array(upper.utf8), in: &out)))
            }
            return ResidentID.parse(bytes).map(Value.residentID)
        case .bankAccount:
            return BankAccount.parse(bytes).map { account in
                switch account {
                case .full(let digits): return .account(store(Array(digits.utf8), in: &out))
                case .masked: return .maskedAccount(store(bytes, in: &out))
                }
            }
        case .term:
            return terms.term(bytes).map(Value.term)
        case .integer:
            guard let n = parseInteger(bytes) else {
                return .failure(ValueError(rule: "INTEGER_INVALID", Message("INTEGER_INVALID", ["value": String(decoding: bytes, as: UTF8.self)])))
            }
            return .success(.integer(n))
        case .grade:
            return Grade.parse(bytes).map { grade in
                switch grade {
                case .number(let n): return .integer(Int64(n))
                case .entryYear(let year): return .integer(Int64(year))
                }
            }
        case .region:
            guard let code = regions.resolve(bytes) else {
                return .failure(ValueError(rule: "REGION_UNKNOWN", Message("REGION_UNKNOWN", ["value": String(decoding: bytes, as: UTF8.self)]),
                                           hint: Message("REGION_UNKNOWN.hint")))
            }
            return .success(.region(code))
        case .code:
            guard let table = codeTables[plan.field], let index = table.lookup(bytes) else {
                return .failure(ValueError(rule: "CODE_UNKNOWN", Message("CODE_UNKNOWN", ["value": String(decoding: bytes, as: UTF8.self)]),
                                           hint: Message("CODE_UNKNOWN.hint", ["values": codeTables[plan.field]?.listing ?? ""])))
            }
            return .success(.code(index))
        }
    }

    private func checkConstraints(_ plan: Plan, _ value: Value, out: ValidatedBatch) -> ValueError? {
        if !plan.detailed {
            // Length limits only (student_no, school_code): no copy of `Detail`.
            guard case .text(let ref) = value else { return nil }
            let length = out.withBytes(ref) { bytes in bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
            if plan.maxLength >= 0, length > plan.maxLength {
                return ValueError(rule: "LENGTH", Message("LENGTH.long", ["field": details[plan.field].title, "limit": "\(plan.maxLength)"]))
            }
            if plan.minLength >= 0, length < plan.minLength {
                return ValueError(rule: "LENGTH", Message("LENGTH.short", ["field": details[plan.field].title, "limit": "\(plan.minLength)"]))
            }
            return nil
        }
        let detail = details[plan.field]
        if let enumValues = detail.enumValues {
            let text: String
            switch value {
            case .text(let ref): text = out.string(ref)
            case .code(let c): text = codeTables[plan.field]?.names[Int(c)] ?? ""
            default: text = ""
            }
            if !text.isEmpty, !enumValues.contains(text) {
                return ValueError(rule: "ENUM", Message("ENUM", ["field": detail.title, "value": text]),
                                  hint: Message("ENUM.hint", ["values": enumValues.sorted().joined(separator: ", ")]))
            }
        }
        if detail.minimum != nil || detail.maximum != nil {
            let number: Double?
            switch value {
            case .money(let fen): number = Double(fen.value) / 100
            case .integer(let n): number = Double(n)
            default: number = nil
            }
            if let number {
                if let minimum = detail.minimum, number < minimum {
                    return ValueError(rule: "RANGE", Message("RANGE.below", ["field": detail.title, "limit": "\(minimum)"]))
                }
                if let maximum = detail.maximum, number > maximum {
                    return ValueError(rule: "RANGE", Message("RANGE.above", ["field": detail.title, "limit": "\(maximum)"]))
                }
            }
        }
        if detail.maxLength != nil || detail.minLength != nil || detail.pattern != nil, case .text(let ref) = value {
            let length = out.withBytes(ref) { bytes in bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
            if let maxLength = detail.maxLength, length > maxLength {
                return ValueError(rule: "LENGTH", Message("LENGTH.long", ["field": detail.title, "limit": "\(maxLength)"]))
            }
            if let minLength = detail.minLength, length < minLength {
                return ValueError(rule: "LENGTH", Message("LENGTH.short", ["field": detail.title, "limit": "\(minLength)"]))
            }
            if let pattern = detail.pattern {
                let text = out.string(ref)
                let range = NSRange(text.startIndex..., in: text)
                let match = pattern.regex.firstMatch(in: text, options: [.anchored], range: range)
                if match?.range != range {
                    return ValueError(rule: "PATTERN", Message("PATTERN", ["field": detail.title, "pattern": pattern.regex.pattern]))
                }
            }
        }
        return nil
    }

    /// S09: stated gender or birth date disagrees with the id number (a finding, not a reject).
    private func checkIdentity(row: Int, batch: ValidatedBatch, line: Int, out: inout ValidatedBatch) {
        guard let identity, case .residentID(let id) = batch.value(row, identity.id) else { return }
        var details: [String] = []
        var expected: [String] = []
        var actual: [String] = []
        if let g = identity.gender, case .code(let code) = batch.value(row, g) {
            let stated: Gender? = code == genderCodes.male ? .male : code == genderCodes.female ? .female : nil
            if let stated, stated != id.gender {
                details.append(language("detail.S09.gender", ["stated": stated.rawValue, "id": id.gender.rawValue]))
                expected.append(id.gender.rawValue)
                actual.append(stated.rawValue)
            }
        }
        if let b = identity.birth, case .date(let stated) = batch.value(row, b), stated != id.birthDate {
            details.append(language("detail.S09.birthDate", ["stated": stated.iso, "id": id.birthDate.iso]))
            expected.append(id.birthDate.iso)
            actual.append(stated.iso)
        }
        guard !details.isEmpty else { return }
        var finding = context(row: row, batch: batch)
        finding.code = identity.finding
        finding.severity = FindingCatalog.entry(identity.finding)?.severity ?? .warning
        finding.idNumber = id.string
        finding.expected = expected.joined(separator: "; ")
        finding.actual = actual.joined(separator: "; ")
        finding.detail = details.joined(separator: "; ")
        finding.sources = ["\(file):\(line)"]
        out.findings.append(finding)
    }

    /// A finding pre-filled with the row's school, student number, name and term.
    public func context(row: Int, batch: ValidatedBatch) -> Discrepancy {
        func text(_ field: Int?) -> String {
            guard let field else { return "" }
            switch batch.value(row, field) {
            case .text(let ref): return batch.string(ref)
            case .term(let term): return term.canonical
            default: return ""
            }
        }
        return Discrepancy(code: "", term: text(contextFields.term), schoolCode: text(contextFields.school),
                           studentNo: text(contextFields.studentNo), name: text(contextFields.name))
    }

    // MARK: helpers

    /// A row with fewer cells than the header. Excel trims empty cells at the end of a row, so a
    /// short row whose missing cells are all optional (or have a default) is read as usual; but
    /// when a required field's cell is missing because the row stops before it, the row is cut
    /// short (a stray line break or separator), and its REQUIRED_MISSING reasons for those
    /// fields become one SHORT_ROW reason that counts the cells.
    private func shortRow(_ batch: RecordBatch, record: Int, line: Int, scratch: inout Scratch) {
        let cells = batch.fieldCount(record)
        let cut = Set(plans.filter { $0.column >= cells }.map { details[$0.field].title })
        let lost = scratch.issues.filter { $0.rule == "REQUIRED_MISSING" && cut.contains($0.column) }.map(\.column)
        guard let first = lost.first else { return }
        scratch.issues.removeAll { $0.rule == "REQUIRED_MISSING" && cut.contains($0.column) }
        scratch.issues.append(RowIssue(
            file: file, line: line, column: first, value: "", rule: "SHORT_ROW",
            Message("SHORT_ROW", ["cells": "\(cells)", "header": "\(mapping.titles.count)", "fields": lost.joined(separator: ", ")]),
            hint: Message("SHORT_ROW.hint")))
    }

    private func issue(_ plan: Plan, line: Int, value: String, rule: String, _ message: Message, hint: Message?) -> RowIssue {
        RowIssue(file: file, line: line, column: details[plan.field].title, value: value, rule: rule, message, hint: hint)
    }

    /// The value as shown in a reject: masked when personal.
    private func shown(_ plan: Plan, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard plan.personal else { return text }
        return plan.type == .bankAccount ? Masking.account(text) : Masking.id(text)
    }

    private func store(_ bytes: UnsafeBufferPointer<UInt8>, in out: inout ValidatedBatch) -> TextRef {
        let ref = TextRef(offset: UInt32(truncatingIfNeeded: out.text.count), length: UInt32(truncatingIfNeeded: bytes.count))
        out.text.append(contentsOf: bytes)
        return ref
    }

    private func store(_ bytes: [UInt8], in out: inout ValidatedBatch) -> TextRef {
        bytes.withUnsafeBufferPointer { store($0, in: &out) }
    }

    /// Normalizes an extra (unknown) column straight into the batch's text buffer.
    private func appendText(_ batch: RecordBatch, record: Int, column: Int, mode: TextNormalizer.Mode,
                            out: inout ValidatedBatch) -> TextRef {
        let start = out.text.count
        batch.withField(record, column) { raw in
            if !raw.isEmpty { TextNormalizer.normalize(raw, mode: mode, into: &out.text) }
        }
        return TextRef(offset: UInt32(truncatingIfNeeded: start), length: UInt32(truncatingIfNeeded: out.text.count - start))
    }
}

/// `NSRegularExpression` is immutable and thread-safe once built, but not marked Sendable.
struct NSRegularExpressionBox: @unchecked Sendable {
    let regex: NSRegularExpression
}
