/// Text encodings a sample file is written in.
enum SampleEncoding: String {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case gb18030 = "GB18030"
}

/// How one file is laid out: encoding, separator, line ends, title lines and value spellings.
struct FileStyle {
    var encoding: SampleEncoding
    var delimiter: UInt8
    var crlf: Bool
    /// Title lines above the header (0–2).
    var titleLines: Int
    /// Title lines end in empty cells (`title,,,,`) as Excel writes a merged cell.
    var paddedTitles: Bool
    var dateStyle: DateStyle
    var moneyStyle: MoneyStyle
    /// Index into `TermCalendar.spellings`.
    var termSpelling: Int
    /// Headers carry a `*` (or `＊`) on required fields.
    var starredHeaders: Bool

    var delimiterName: String { delimiter == 9 ? "tab" : "comma" }
}

/// What the 合计 row of a school's applications says.
enum TotalRow {
    case none, correct, wrong
}

/// A school (技工院校): its code, city, bank and file formats, and its block of students.
struct School {
    let index: Int
    let code: String
    let name: String
    /// Index into `Reference.cities`.
    let city: Int
    /// Index into `Bank.all`.
    let bank: Int
    let tuitionFen: Int64
    /// The day its regular payout run happens.
    let payDay: Int32
    var first = 0
    var count = 0
    /// Students of this school who are in no roster (S03 and R13 ghosts).
    var ghosts: [Int] = []
    /// Carries only warning-level submit findings, so `zizhu submit` writes its package.
    var warningsOnly = false
    var rosterStyle: FileStyle
    var applicationsStyle: FileStyle
    var rosterHasIdType = true
    var totalRow = TotalRow.correct
    /// False for the school that sent nothing (M03).
    var hasFiles = true

    var students: Range<Int> { first..<(first + count) }
    /// `city/370100/3701J001`: school inputs grouped per city, as a city office collects them.
    var folder: String { "city/\(Reference.cities[city].code)/\(code)" }
    var rosterPath: String { "\(folder)/roster.csv" }
    var applicationsPath: String { "\(folder)/applications.csv" }
}
