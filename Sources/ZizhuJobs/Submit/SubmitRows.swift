import ZizhuCore
import ZizhuSchema

/// Where a row came from: the input stream (source index) and its physical line.
struct SourceLine: Sendable, Hashable, Comparable {
    var source: Int
    var line: Int

    static func < (a: SourceLine, b: SourceLine) -> Bool { (a.source, a.line) < (b.source, b.line) }
}

/// A validated row as the package writes it: every schema field as its canonical text (ids
/// whole, dates ISO, money in yuan with two decimals, codes by their canonical names, regions
/// as six-digit codes, grades as numbers in the term).
struct CanonicalCells {
    /// Canonical text of field `field` of accepted row `row`.
    static func cell(_ batch: ValidatedBatch, row: Int, field: Int, validator: RowValidator, term: Term) -> String {
        let spec = validator.schema.fields[field]
        switch batch.value(row, field) {
        case .empty: return ""
        case .text(let ref), .otherID(let ref), .account(let ref), .maskedAccount(let ref): return batch.string(ref)
        case .integer(let n):
            if spec.type == .grade { return String(Self.gradeNumber(n, term: term)) }
            return String(n)
        case .money(let fen): return fen.yuan
        case .date(let date): return date.iso
        case .month(let date): return String(date.iso.prefix(7))
        case .residentID(let id): return id.string
        case .term(let t): return t.canonical
        case .region(let code): return Self.regionText(code)
        case .code(let index):
            guard field < validator.codeTables.count, let table = validator.codeTables[field], Int(index) < table.names.count else { return "" }
            return table.names[Int(index)]
        }
    }

    /// A grade cell (a number, or an entry year ≥ 1990) as the grade number in `term`.
    static func gradeNumber(_ n: Int64, term: Term) -> Int {
        n >= Int64(Grade.entryYearRange.lowerBound) ? term.grade(entryYear: Int(n)) : Int(n)
    }

    static func regionText(_ code: Int32) -> String {
        let digits = String(code)
        return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
    }
}

/// One roster row, reduced to what S01–S09 and the package need.
struct SubmitRosterRow: Sendable {
    var at: SourceLine
    /// The id as a key: 18 characters for 居民身份证 / 居住证, as given (upper-cased) otherwise.
    var id: String
    var studentNo: String
    var name: String
    var schoolCode: String
    var schoolName: String
    var fullTime: Bool?
    var status: String
    var grade: Int?
    var hardship: String
    var registered: CalendarDate?
    var changeDate: CalendarDate?
    var recordedDate: CalendarDate?
    var campusCity: Int32?
    /// Every schema field, canonical (the package's row).
    var cells: [String]

    /// 在籍 and 复学 count as enrolled.
    var enrolled: Bool { status == "在籍" || status == "复学" }
}

/// One applications row, reduced to what S03, S04, S06, S10, S11 and the package need.
struct SubmitApplicationRow: Sendable {
    var at: SourceLine
    var id: String
    var studentNo: String
    var name: String
    var schoolCode: String
    /// The row's term; nil when the cell was empty (it counts as the run's term).
    var term: Term?
    var aidType: String
    var tier: String
    var amount: Fen?
    var applied: CalendarDate?
    var approval: String
    var cells: [String]

    var returned: Bool { approval == "退回" }
    var isGrant: Bool { aidType == "国家助学金" }
}

/// Field indexes of a schema by name, resolved once per batch (-1: the schema has no such field).
struct FieldIndex {
    private let positions: [String: Int]
    init(_ validator: RowValidator) {
        positions = Dictionary(validator.schema.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
    subscript(_ name: String) -> Int { positions[name] ?? -1 }
}

/// The canonical cells of one accepted row, looked up by field name.
struct CanonicalRow {
    let cells: [String]
    let fields: FieldIndex

    init(_ batch: ValidatedBatch, row: Int, validator: RowValidator, fields: FieldIndex, term: Term) {
        cells = (0..<validator.schema.fields.count).map { batch.canonical(row, $0, validator, term) }
        self.fields = fields
    }

    subscript(_ name: String) -> String { let i = fields[name]; return i >= 0 ? cells[i] : "" }
}

extension ValidatedBatch {
    /// The canonical text of a named field (empty when the schema has no such field).
    func canonical(_ row: Int, _ field: Int, _ validator: RowValidator, _ term: Term) -> String {
        field >= 0 ? CanonicalCells.cell(self, row: row, field: field, validator: validator, term: term) : ""
    }

    func dateValue(_ row: Int, _ field: Int) -> CalendarDate? {
        guard field >= 0 else { return nil }
        switch value(row, field) {
        case .date(let d), .month(let d): return d
        default: return nil
        }
    }

    /// The id of a row as the key students are matched on.
    func idKey(_ row: Int, _ field: Int) -> String {
        guard field >= 0 else { return "" }
        switch value(row, field) {
        case .residentID(let id): return id.string
        case .otherID(let ref), .text(let ref): return string(ref)
        default: return ""
        }
    }
}

extension SubmitRosterRow {
    /// Reads accepted row `row` of a roster batch (`f`: the batch's field indexes).
    init(_ batch: ValidatedBatch, row: Int, validator v: RowValidator, fields f: FieldIndex, term: Term) {
        let cell = CanonicalRow(batch, row: row, validator: v, fields: f, term: term)
        at = SourceLine(source: batch.sourceIndex, line: Int(batch.lines[row]))
        id = batch.idKey(row, f["id_number"])
        studentNo = cell["student_no"]
        name = cell["name"]
        schoolCode = cell["school_code"]
        schoolName = cell["school_name"]
        let mode = cell["study_mode"]
        fullTime = mode.isEmpty ? nil : mode == "全日制"
        status = cell["status"]
        grade = Int(cell["grade"])
        hardship = cell["hardship_type"]
        registered = batch.dateValue(row, f["registered_date"])
        changeDate = batch.dateValue(row, f["status_change_date"])
        recordedDate = batch.dateValue(row, f["status_recorded_date"])
        let campus = f["campus_city"]
        if campus >= 0, case .region(let code) = batch.value(row, campus) { campusCity = code } else { campusCity = nil }
        cells = cell.cells
    }
}

extension SubmitApplicationRow {
    /// Reads accepted row `row` of an applications batch (`f`: the batch's field indexes).
    init(_ batch: ValidatedBatch, row: Int, validator v: RowValidator, fields f: FieldIndex, term runTerm: Term) {
        let cell = CanonicalRow(batch, row: row, validator: v, fields: f, term: runTerm)
        at = SourceLine(source: batch.sourceIndex, line: Int(batch.lines[row]))
        id = batch.idKey(row, f["id_number"])
        studentNo = cell["student_no"]
        name = cell["name"]
        schoolCode = cell["school_code"]
        let termField = f["term"]
        if termField >= 0, case .term(let t) = batch.value(row, termField) { term = t } else { term = nil }
        aidType = cell["aid_type"]
        tier = cell["tier"]
        let amountField = f["amount"]
        if amountField >= 0, case .money(let fen) = batch.value(row, amountField) { amount = fen } else { amount = nil }
        applied = batch.dateValue(row, f["applied_date"])
        approval = cell["approval_status"]
        cells = cell.cells
    }
}
