/// Writes the files that describe a sample: `schools.csv` (the expected list), `planted.csv`,
/// `files.csv` and `README.md`.
struct Catalogue {
    let population: Population
    let output: SampleOutput
    let options: SampleOptions

    private var term: TermCalendar { population.term }

    private static let plain = FileStyle(encoding: .utf8, delimiter: 44, crlf: false, titleLines: 0,
                                         paddedTitles: false, dateStyle: .iso, moneyStyle: .plain,
                                         termSpelling: 0, starredHeaders: false)

    /// R01–R14, S01–S11, M01–M06: what the tool must report.
    static func isFinding(_ code: String) -> Bool {
        code.count == 3 && ["R", "S", "M"].contains(code.first) && code.dropFirst().allSatisfy(\.isNumber)
    }

    private static func rank(_ code: String) -> Int {
        if isFinding(code) { return ["R", "S", "M"].firstIndex(of: String(code.prefix(1))) ?? 0 }
        return ["REJECT": 3, "TOTAL_MISMATCH": 4, "NEAR": 5][code] ?? 6
    }

    func writeSchools() throws {
        var w = try output.writer("schools.csv", style: Catalogue.plain)
        try w.row(["school_code", "school_name", "city_code", "city_name"])
        for school in population.schools + [population.missingSchool] {
            let city = Reference.cities[school.city]
            let line = try w.row([school.code, school.name, String(city.code), city.name])
            w.dataRows += 1
            if !school.hasFiles, let record = population.records.firstIndex(where: { $0.code == "M03" }) {
                population.noteSource(record: Int32(record), "schools.csv:\(line)")
            }
        }
        let rows = w.dataRows
        try w.close()
        output.list(output.entry("schools.csv", schema: "expected school list (merge --expected)",
                                 style: Catalogue.plain, rows: rows,
                                 note: "every school the province expects; the last one sent nothing (M03)"))
    }

    /// The planted cases, sorted by kind, code, school and student number.
    var sortedRecords: [PlantedRecord] {
        population.records.enumerated().sorted { a, b in
            let (ra, rb) = (Catalogue.rank(a.element.code), Catalogue.rank(b.element.code))
            if ra != rb { return ra < rb }
            if a.element.code != b.element.code { return a.element.code < b.element.code }
            return a.offset < b.offset
        }.map(\.element)
    }

    func writePlanted() throws {
        var w = try output.writer("planted.csv", style: Catalogue.plain)
        try w.row(["code", "school_code", "student_no", "id_number", "note", "job", "sources"])
        for record in sortedRecords {
            w.cell(record.code)
            w.cell(record.school.map { population.schools[$0].code }
                   ?? (record.code == "M03" ? population.missingSchool.code : ""))
            w.cell(record.studentNo ?? record.student.map { population.studentNo($0) } ?? "")
            w.cell(record.student.map { population.idText($0) } ?? "")
            w.cell(record.note)
            w.cell(record.job.rawValue)
            w.cell(record.sources.joined(separator: ";"))
            try w.endRow()
            w.dataRows += 1
        }
        let rows = w.dataRows
        try w.close()
        output.list(output.entry("planted.csv", schema: "planted cases (not an input)", style: Catalogue.plain,
                                 rows: rows, note: "every planted finding, reject, file warning and near-miss"))
    }

    func writeFiles() throws {
        var w = try output.writer("files.csv", style: Catalogue.plain)
        try w.row(["path", "schema", "encoding", "delimiter", "line_end", "title_lines", "data_rows", "total_row", "note"])
        for entry in output.entries {
            try w.row([entry.path, entry.schema, entry.encoding, entry.delimiter, entry.lineEnd,
                       String(entry.titleLines), String(entry.dataRows), entry.totalRow, entry.note])
        }
        try w.close()
    }

    func writeReadme() throws {
        let records = sortedRecords
        var counts: [String: Int] = [:]
        for record in records { counts[record.code, default: 0] += 1 }
        let codes = counts.keys.sorted { (Catalogue.rank($0), $0) < (Catalogue.rank($1), $1) }
        let banks = Bank.all.indices.map { FinanceFiles.ledgerPath($0) }
        let canonical = term.canonical
        let first = population.schools[0]
        let city = Reference.cities[first.city]

        var text = """
        # zizhu sample data — \(term.chineseName) (`\(canonical)`)

        Synthetic, deterministic data written by `zizhu sample --students \(options.students) --seed \(options.seed)\
        \(options.term.canonical == "2023-fall" ? "" : " --term \(options.term.canonical)")\
        \(options.grantShare.map { " --grant-share \($0)" } ?? "")`: \
        \(options.students) students in \(population.schools.count) schools, plus one school that sent nothing.\
        \(options.grantShare.map { "\n\($0) % of the full-time enrolled students of every grade who would otherwise get no 国家助学金 get one (approved and paid), besides the grade 1–2 students with a hardship type." } ?? "")
        Every person, id and account is made up (ids carry valid check characters; accounts pass Luhn).
        The same seed always gives byte-identical files.

        The data are deliberately messy the way real Excel exports are (contract §3–§4), and every
        finding of the contract is planted on purpose. **`planted.csv` lists each planted case**; rows
        that are not listed there are clean: a tool that reports anything else has a bug.

        ## Layout

        | path | what | for |
        |---|---|---|
        | `schools.csv` | the expected list: school_code, school_name, city_code, city_name | `merge --expected` |
        | `city/<CITY>/<SCHOOL>/roster.csv` | a school's 学籍名册 as of \(iso(term.schoolSnapshot)), in its city's folder (`city/370100/3701J001/`) | `submit --roster` |
        | `city/<CITY>/<SCHOOL>/applications.csv` | the school's 资助申报名单: 国家助学金 and 免学费 rows | `submit --applications` |
        | `\(FinanceFiles.rosterPath)` | the system's roster export for the finance office, as of \(iso(term.financeSnapshot)): one row per student, plain UTF-8 | `reconcile --roster` |
        | `\(FinanceFiles.approvedPath)` | the aid system's approval export for all schools (已审批 / 待审批 / 退回, both aid types) | `reconcile --approved` |
        | `\(banks[0])` | 工商银行 return file: GB18030, gzip, with id and card-type columns | `reconcile --ledger` |
        | `\(banks[1])` | 建设银行 return file: UTF-8, **no id column** (matched by account), 已入账 / 交易成功 / 失败-… | `reconcile --ledger` |
        | `\(banks[2])` | 农业银行: a zip of two UTF-8-with-BOM return files, the first run and the retry run | `reconcile --ledger` |
        | `\(FinanceFiles.allocationsPath)` | 资金拨付 per school, with a 合计 row | `reconcile --allocations` |
        | `\(population.schools[SchoolFiles.workbookSchool].folder)/roster.xlsx`, `applications.xlsx` | the first school's two files again as Excel workbooks (what the system exports as .xlsx): a merged title row, ids as text, 序号 as numbers, dates as date cells, amounts as numbers; the roster with a 合计 row | `submit` (the demo) |
        | `\(FinanceFiles.ledgerWorkbookPath)` | \(banks[1]) again as a workbook (a title row, amounts as numbers) | `reconcile --ledger` |
        | `finance/workbooks/ledger-ccb.xls` | the same workbook saved as .xls (BIFF8) by LibreOffice — made by `make sample-data` (scripts/sample-xls.sh), not by `zizhu sample` | `reconcile --ledger` (the demo) |
        | `planted.csv` | code, school_code, student_no, id_number (full), note, job, sources (`file:line`;…) | tests |
        | `files.csv` | every input file (and zip entry): schema, encoding, delimiter, line ends, title lines, data rows, 合计 row | tests |

        The school files are a snapshot taken on the application deadline; the finance files are
        later. A student who left after being paid is 在籍 in the school roster and 休学/退学/转学 in
        the finance roster — that is how R07 (left on or before the pay date) and its near-miss are
        planted without touching the school's own data.

        ## How messy

        - Encodings: GB18030, UTF-8 with and without BOM; comma- and tab-separated; CRLF and LF; zero to
          two title lines above the header (`XX技工学校\(term.chineseName)学籍名册`, some padded with empty
          cells); a 合计 row under most applications files — correct everywhere except one file (see
          `TOTAL_MISMATCH`); an unknown 备注 column holding commas, quotes and a line break in a few cells.
        - Headers: any accepted title of the contract, a required `*`/`＊`, `金额（元）`/`金额(元)`, an
          ideographic space inside a few titles, unknown columns (序号, 联系电话, 备注, 学校名称).
        - Ids: lower-case `x`, Excel's `'370102…` and `="370102…"`, full-width digits, 15-digit ids of
          people born in the 1900s (upgrade them: the same person has the 18-digit id in the other files),
          a few 港澳台居民居住证 (810000…) and 护照 numbers (only where a 证件类型 column says so).
        - Names: inner spaces, two-part names joined by `·` `•` `．` `・` `‧`, Latin names.
        - Money: `1250.00`, `1250`, `1,250.00`, `¥1250`, `1250元`, `¥1,250.00`.
        - Dates: `2023-09-01`, `2023/9/1`, `2023.9.1`, `20230901`, `2023年9月1日`, Excel serials (`45170`);
          入学年月 as `2023-09` / `2023年9月`. Grades as `1`, `一年级` or the entry year. Terms as
          \(term.spellings.map { "`\($0)`" }.joined(separator: ", ")).
        - Regions (生源地, 教学点所在地): a six-digit code, `济南市` or `山东省济南市`, all from this fixed
          subset of GB/T 2260: \(Reference.cities.map { "\($0.name) \($0.code)" }.joined(separator: ", ")),
          their districts, and 810000.

        Grant tiers are the contract's defaults (一档 1250.00, 二档 1000.00, 三档 750.00 a term); 免学费
        amounts are the schools' tuition standards and never equal a tier.

        ## What is planted

        | code | cases |
        |---|---|
        \(codes.map { "| \($0) | \(counts[$0] ?? 0) |" }.joined(separator: "\n"))

        - **R01–R14** (reconcile), **S01–S11** (submit), **M01**, **M03** (merge): findings the tool must report,
          one `planted.csv` row per (code, student) — per school for R14. R02 also has a paid row that
          matches nobody (no student_no, no id).
        - **REJECT**: rows validation must reject (`3.70102E+17`, a wrong check character, an empty required
          field, `12.345`, a 02-30 date).
        - **TOTAL_MISMATCH**: a 合计 row that disagrees with its column (a file warning).
        - **NEAR**: near-misses the tool must NOT report (the note says which code they nearly are): a
          failed payment paid on retry, a split payment summing to the approved amount, 休学 the day
          after the payment, a 复学 student, grade-3 and part-time hardship students without a grant
          application, payments on the first and last day of the window, registration and application on
          the deadline day, a status change recorded exactly 10 working days later (where the calendar is
          certain), a campus given as a district of the school's own city, a birth date as an Excel serial,
          a 转学 student 在籍 in another school, a bank name with another separator dot, a bank id in
          scientific notation (a warning; matched by account), a masked account (`621284*********1234`) in
          the file without ids (matched to the approved card by prefix, suffix and length; unique),
          15-digit ids, a previous term's approval.

        The first two schools (`\(population.schools[0].code)`, `\(population.schools[min(1, population.schools.count - 1)].code)`) carry only
        warning-level submit cases, so `zizhu submit` writes their packages; the other schools carry the
        error-level cases and the rejects.

        ## Running the jobs on it

        ```sh
        zizhu submit --term \(canonical) --school-code \(first.code) --school-city \(city.code) \\
            --roster \(first.rosterPath) --applications \(first.applicationsPath) --out out/submit-\(first.code)
        zizhu reconcile --term \(canonical) --approved \(FinanceFiles.approvedPath) \\
            --ledger \(banks.joined(separator: " ")) \\
            --roster \(FinanceFiles.rosterPath) --allocations \(FinanceFiles.allocationsPath) --out out/reconcile
        zizhu merge --term \(canonical) --expected schools.csv --out out/merge out/submit-*/*.zip
        zizhu validate --schema roster \(first.rosterPath) --out out/validate-\(first.code)
        ```

        Validate one school's file at a time: the uniqueness of ids (S01) is checked across all the
        files of one run, and every student is in both a school roster and the finance roster.

        ## Schools

        | code | name | city | bank | roster | applications |
        |---|---|---|---|---|---|

        """
        for school in population.schools.prefix(50) {
            text += "| \(school.code) | \(school.name) | \(Reference.cities[school.city].name) | \(Bank.all[school.bank].key) | "
                + "\(describe(school.rosterStyle)) | \(describe(school.applicationsStyle)), 合计 \(school.totalRow) |\n"
        }
        if population.schools.count > 50 { text += "| … | \(population.schools.count - 50) more | | | | |\n" }
        text += "| \(population.missingSchool.code) | \(population.missingSchool.name) | "
            + "\(Reference.cities[population.missingSchool.city].name) | | sent nothing (M03) | |\n"
        try output.text("README.md", text)
    }

    private func describe(_ style: FileStyle) -> String {
        "\(style.encoding.rawValue), \(style.delimiterName), \(style.crlf ? "CRLF" : "LF"), \(style.titleLines) title line\(style.titleLines == 1 ? "" : "s")"
    }

    private func iso(_ day: Int32) -> String {
        let (y, m, d) = Day.parts(day)
        return "\(y)-\(String(m).leftPadded(to: 2))-\(String(d).leftPadded(to: 2))"
    }
}
