import ZizhuIO

/// Writes the finance office's inputs of `zizhu reconcile`: the system's roster export, the
/// approved list, three banks' return files and the allocations.
struct FinanceFiles {
    let population: Population
    let output: SampleOutput
    /// Paid (successful, readable, attributable) fen per school, filled by `writeLedgers`.
    private(set) var paidBySchool: [Int64]

    init(population: Population, output: SampleOutput) {
        self.population = population
        self.output = output
        paidBySchool = Array(repeating: 0, count: population.schools.count)
    }

    private var term: TermCalendar { population.term }

    static let rosterPath = "finance/roster.csv.gz"
    static let approvedPath = "finance/approved.csv"
    static let allocationsPath = "finance/allocations.csv"

    // MARK: roster (system export, one row per real student)

    func writeRoster(progress: (Double) -> Void) throws {
        let style = FileStyle(encoding: .utf8, delimiter: 44, crlf: false, titleLines: 0, paddedTitles: false,
                              dateStyle: .iso, moneyStyle: .plain, termSpelling: 0, starredHeaders: false)
        let path = FinanceFiles.rosterPath
        var w = try output.writer(path, style: style, gzip: true)
        try w.row(["学籍号", "姓名", "证件类型", "身份证号", "性别", "出生日期", "学校代码", "学校名称", "教学点所在地",
                   "专业", "入学年月", "注册日期", "学习形式", "年级", "学籍状态", "异动日期", "异动处理日期", "困难类型"])
        let schoolCodes = population.schools.map { Array($0.code.utf8) }
        let schoolNames = population.schools.map { Array($0.name.utf8) }
        let step = max(1, population.realCount / 20)
        for index in 0..<population.realCount {
            let s = population.students[index]
            let school = Int(s.school)
            w.cell(); population.appendStudentNo(index, to: &w)
            w.cell(); population.appendName(index, variant: 0, to: &w)
            w.cell(Encoded.idKinds[Int(s.idKind)])
            if s.idKind == IdKind.passport {
                w.cell(); w.out.append(UInt8(ascii: "E")); w.appendNumber(Int(s.idBody))
            } else {
                w.id(s.idBody, .plain)
            }
            w.cell(s.male ? Encoded.male : Encoded.female)
            w.date(s.birth, .iso)
            w.cell(schoolCodes[school])
            w.cell(schoolNames[school])
            w.cell(Encoded.cityNames[population.schools[school].city])
            w.cell(Encoded.majors[Int(s.major)])
            w.month(Day.make(term.entryYear(grade: Int(s.grade)), 9, 1), chinese: false)
            w.date(s.registered, .iso)
            w.cell(s.fullTime ? Encoded.fullTime : Encoded.partTime)
            w.cell(); w.appendNumber(Int(s.grade))
            w.cell(Encoded.statusNames[Int(s.financeStatus)])
            if s.financeChange != 0 { w.date(s.financeChange, .iso) } else { w.cell() }
            if s.financeRecorded != 0 { w.date(s.financeRecorded, .iso) } else { w.cell() }
            w.cell(Encoded.hardship[Int(s.hardship)])
            let line = try w.endRow()
            w.dataRows += 1
            if s.planted { population.noteSource(student: index, kind: .financeRoster, "\(path):\(line)") }
            if index % step == 0 { progress(Double(index) / Double(population.realCount)) }
        }
        let rows = w.dataRows
        try w.close()
        output.list(output.entry(path, schema: "roster", style: style, rows: rows,
                                 note: "the system's roster export for the finance office, as of \(iso(term.financeSnapshot)); one row per student, later statuses than the school files"))
    }

    // MARK: approved list

    func writeApproved() throws {
        let style = FileStyle(encoding: .utf8BOM, delimiter: 44, crlf: true, titleLines: 1, paddedTitles: true,
                              dateStyle: .iso, moneyStyle: .plain, termSpelling: 1, starredHeaders: false)
        let path = FinanceFiles.approvedPath
        var w = try output.writer(path, style: style)
        let titles = ["序号", "学期", "学校代码", "学校名称", "学籍号", "姓名", "身份证件号", "资助项目", "档次",
                      "资助金额（元）", "申请日期", "审核状态", "中职资助卡号"]
        try w.row(["\(term.chineseName)国家助学金、免学费审批名单（资助系统导出）"] + Array(repeating: "", count: titles.count - 1))
        try w.row(titles)
        let termName = Array(term.spellings[1].utf8)
        let previousName = Array(term.previous.spellings[1].utf8)
        var sequence = 0
        func emit(_ index: Int, grant: GrantRow?, previous: Bool, _ w: inout CSVWriter) throws {
            let s = population.students[index]
            let school = population.schools[Int(s.school)]
            sequence += 1
            w.cell(); w.appendNumber(sequence)
            w.cell(previous ? previousName : termName)
            w.cell(school.code)
            w.cell(school.name)
            w.cell(); population.appendStudentNo(index, to: &w)
            w.cell(); population.appendName(index, variant: 0, to: &w)
            w.id(s.idBody, .plain)
            if let grant {
                w.cell(Encoded.grant)
                w.cell(Encoded.tiers[Int(grant.tier) - 1])
                if let text = grant.amountText { w.cell(text) } else { w.money(grant.amount, .plain) }
                w.date(previous ? grant.applied - 180 : grant.applied, .iso)
                w.cell(Encoded.approvals[Int(grant.approval)])
            } else {
                w.cell(Encoded.tuition)
                w.cell()
                w.money(school.tuitionFen, .plain)
                w.date(term.start + 5 + Int32(s.serial % 30), .iso)
                w.cell(Encoded.approvals[Int(Approval.approved)])
            }
            w.account(s.account, spaced: false)
            let line = try w.endRow()
            w.dataRows += 1
            if s.planted {
                population.noteSource(student: index, kind: .approved, tag: grant?.tag ?? 0, "\(path):\(line)")
            }
        }
        for school in population.schools {
            for index in Array(school.students) + school.ghosts {
                let effect = population.students[index].planted ? population.effects[index] : nil
                for grant in population.approvedGrantRows(index) {
                    if effect?.previousTermRow == true { try emit(index, grant: grant, previous: true, &w) }
                    try emit(index, grant: grant, previous: false, &w)
                }
                if population.appliesForTuition(index) { try emit(index, grant: nil, previous: false, &w) }
            }
        }
        let rows = w.dataRows
        try w.close()
        output.list(output.entry(path, schema: "applications", style: style, rows: rows,
                                 note: "aid-system export: 国家助学金 (已审批/待审批/退回) and 免学费 rows of every school; a few rows of the previous term"))
    }

    // MARK: ledgers

    private struct BankLayout {
        let titles: [String]
        let hasId: Bool
        let hasChannel: Bool
        let dateStyle: DateStyle
        let moneyStyle: MoneyStyle
        let style: FileStyle
    }

    private static let failReasons = ["账户已销户", "账户状态异常", "系统繁忙，请重试"]

    private func layout(_ bank: Int) -> BankLayout {
        switch bank {
        case Bank.icbc:
            return BankLayout(titles: ["序号", "交易日期", "卡号", "户名", "证件号码", "金额", "交易状态", "失败原因", "卡类型", "摘要"],
                              hasId: true, hasChannel: true, dateStyle: .compact, moneyStyle: .plain,
                              style: FileStyle(encoding: .gb18030, delimiter: 44, crlf: true, titleLines: 1,
                                               paddedTitles: false, dateStyle: .compact, moneyStyle: .plain,
                                               termSpelling: 1, starredHeaders: false))
        case Bank.ccb:
            return BankLayout(titles: ["流水号", "入账日期", "收款账号", "收款人", "交易金额", "处理结果", "备注", "用途"],
                              hasId: false, hasChannel: false, dateStyle: .slash, moneyStyle: .grouped,
                              style: FileStyle(encoding: .utf8, delimiter: 44, crlf: false, titleLines: 0,
                                               paddedTitles: false, dateStyle: .slash, moneyStyle: .grouped,
                                               termSpelling: 1, starredHeaders: false))
        default:
            return BankLayout(titles: ["序号", "发放日期", "账号", "账户名称", "身份证号", "发放金额", "状态", "失败原因", "发放渠道", "摘要"],
                              hasId: true, hasChannel: true, dateStyle: .iso, moneyStyle: .bare,
                              style: FileStyle(encoding: .utf8BOM, delimiter: 44, crlf: true, titleLines: 0,
                                               paddedTitles: false, dateStyle: .iso, moneyStyle: .bare,
                                               termSpelling: 1, starredHeaders: false))
        }
    }

    /// 建设银行's return file also as a workbook (`make sample-data` makes the .xls beside it), in a folder
    /// of its own so that a glob of `finance/ledger-*` still names each bank file once.
    static let ledgerWorkbookPath = "finance/workbooks/ledger-ccb.xlsx"

    static func ledgerPath(_ bank: Int) -> String {
        switch bank {
        case Bank.icbc: return "finance/ledger-icbc.csv.gz"
        case Bank.ccb: return "finance/ledger-ccb.csv"
        default: return "finance/ledger-abc.zip"
        }
    }

    mutating func writeLedgers() throws {
        for bank in Bank.all.indices { try writeLedger(bank) }
    }

    private mutating func writeLedger(_ bank: Int) throws {
        let layout = layout(bank)
        let path = FinanceFiles.ledgerPath(bank)
        var random = SampleRandom(seed: population.seed, stream: 0x4C45_4447_0000 | UInt64(bank))
        let memo = Array("\(term.chineseName)国家助学金".utf8)
        var sequence = 0
        var retries: [(Int, LedgerRow)] = []
        let schools = population.schools.filter { $0.bank == bank }

        func emit(_ index: Int?, _ row: LedgerRow, orphan: OrphanLedgerRow?, entryPath: String,
                  _ w: inout CSVWriter, _ random: inout SampleRandom) throws {
            sequence += 1
            let s = index.map { population.students[$0] }
            for (column, _) in layout.titles.enumerated() {
                switch (bank, column) {
                case (Bank.ccb, 0):
                    w.cell(); w.appendDate(row.day, .compact); w.appendNumber(sequence, width: 8)
                case (_, 0):
                    w.cell(); w.appendNumber(sequence)
                case (_, 1):
                    if let text = row.dateText { w.cell(text) } else { w.date(row.day, layout.dateStyle) }
                case (_, 2):
                    let account = orphan?.account ?? row.account ?? s?.account ?? 0
                    if row.maskedAccount { w.maskedAccount(account) } else { w.account(account, spaced: false) }
                case (_, 3):
                    if let name = orphan?.name ?? row.accountName {
                        w.cell(name)
                    } else if let index, let s {
                        w.cell()
                        population.appendName(index, variant: row.nameVariant ? 1 : (s.nameKind == 1 ? random.below(5) : 0), to: &w)
                    } else {
                        w.cell()
                    }
                case (Bank.ccb, 4), (Bank.icbc, 5), (Bank.abc, 5):
                    w.money(row.amount, layout.moneyStyle)
                case (Bank.icbc, 4), (Bank.abc, 4):
                    if let s {
                        if row.scientificId {
                            w.id(s.idBody, .scientific)
                        } else {
                            w.id(s.idBody, bank == Bank.abc && random.chance(20) ? .apostrophe : .plain)
                        }
                    } else {
                        w.cell()
                    }
                case (Bank.ccb, 5):
                    if row.success {
                        w.cell(random.chance(500) ? "交易成功" : "已入账")
                    } else {
                        w.cell("失败-" + FinanceFiles.failReasons[row.failReason])
                    }
                case (_, 6):
                    if bank == Bank.ccb {
                        w.cell(row.success ? "" : FinanceFiles.failReasons[row.failReason])
                    } else {
                        w.cell(row.success ? "成功" : "失败")
                    }
                case (Bank.ccb, 7):
                    w.cell("国家助学金")
                case (_, 7):
                    w.cell(row.success ? "" : FinanceFiles.failReasons[row.failReason])
                case (_, 8):
                    w.cell(Encoded.channels[Int(row.channel ?? s?.channel ?? Channel.fundCard)])
                default:
                    w.cell(memo)
                }
            }
            let line = try w.endRow()
            w.dataRows += 1
            if let orphan {
                population.noteSource(record: orphan.record, "\(entryPath):\(line)")
            } else if let index, let s, s.planted {
                population.noteSource(student: index, kind: .ledger, tag: row.tag, "\(entryPath):\(line)")
            }
            // What the tool will count as paid to a school: successful rows it can read and match.
            if let s, row.success, row.dateText == nil {
                paidBySchool[Int(s.school)] += row.amount
            }
        }

        let zipped = bank == Bank.abc
        var entries: [ZipEntryData] = []
        let firstEntry = zipped ? "abc-return-1.csv" : ""
        let secondEntry = "abc-return-2.csv"
        var (w, memory) = zipped ? try output.memoryWriter(style: layout.style)
                                 : (try output.writer(path, style: layout.style, gzip: bank == Bank.icbc), MemorySink())
        let entryPath = zipped ? "\(path)!\(firstEntry)" : path
        if bank == Bank.ccb {
            w.tap = try WorkbookTee(path: output.workbook(FinanceFiles.ledgerWorkbookPath), sheetName: "代发明细",
                                    titleLines: layout.style.titleLines, width: layout.titles.count,
                                    title: "\(Bank.all[bank].name)批量代发明细（回盘）")
        }
        if layout.style.titleLines > 0 {
            try w.row(["\(Bank.all[bank].name)批量代发明细（回盘）"])
        }
        try w.row(layout.titles)
        for school in schools {
            for index in Array(school.students) + school.ghosts {
                for row in population.ledgerRows(index) {
                    if row.retryRun { retries.append((index, row)) } else {
                        try emit(index, row, orphan: nil, entryPath: entryPath, &w, &random)
                    }
                }
            }
        }
        for orphan in population.orphanLedger[bank] {
            try emit(nil, LedgerRow(day: orphan.day, amount: orphan.amount, success: true), orphan: orphan,
                     entryPath: entryPath, &w, &random)
        }
        var rows = w.dataRows
        if zipped {
            try w.close()
            entries.append(ZipEntryData(name: firstEntry, bytes: memory.bytes))
            output.list(output.entry(entryPath, schema: "ledger", style: layout.style, rows: rows,
                                     note: "\(Bank.all[bank].name) return file, first run (inside the zip)"))
            (w, memory) = try output.memoryWriter(style: layout.style)
            try w.row(layout.titles)
            sequence = 0
        }
        let retryPath = zipped ? "\(path)!\(secondEntry)" : path
        for (index, row) in retries {
            try emit(index, row, orphan: nil, entryPath: retryPath, &w, &random)
        }
        rows = w.dataRows
        try w.close()
        if zipped {
            entries.append(ZipEntryData(name: secondEntry, bytes: memory.bytes))
            try output.zip(path, entries: entries)
            output.list(output.entry(retryPath, schema: "ledger", style: layout.style, rows: rows,
                                     note: "\(Bank.all[bank].name) return file, retry run (inside the zip)"))
        } else {
            if let tee = w.tap {
                try tee.finish()
                output.list(output.workbookEntry(FinanceFiles.ledgerWorkbookPath, schema: "ledger", titleLines: max(1, layout.style.titleLines),
                                                 rows: rows, note: "the rows of \(path) as an Excel workbook (make sample-data converts it to .xls)"))
            }
            output.list(output.entry(path, schema: "ledger", style: layout.style, rows: rows,
                                     note: bank == Bank.icbc
                                        ? "\(Bank.all[bank].name) return file, gzip, with id and card-type columns; retries after the first run"
                                        : "\(Bank.all[bank].name) return file without an id column (matched by account); status spellings 已入账/交易成功/失败-…"))
        }
    }

    // MARK: allocations

    /// Allocations per school: comfortably above what each paid, except the R14 school.
    mutating func writeAllocations() throws {
        // R14 needs a school that paid something; keep the planted one unless it paid too little.
        if paidBySchool[population.overspentSchool] < 500_000,
           let richest = paidBySchool.indices.max(by: { paidBySchool[$0] < paidBySchool[$1] }) {
            population.overspentSchool = richest
            if let record = population.records.firstIndex(where: { $0.code == "R14" }) {
                population.records[record].school = richest
            }
        }
        let style = FileStyle(encoding: .utf8BOM, delimiter: 44, crlf: true, titleLines: 1, paddedTitles: true,
                              dateStyle: .iso, moneyStyle: .grouped, termSpelling: 1, starredHeaders: false)
        let path = FinanceFiles.allocationsPath
        var w = try output.writer(path, style: style)
        try w.row(["\(term.chineseName)国家助学金资金拨付表", "", "", ""])
        try w.row(["学期", "学校代码", "学校名称", "拨付金额（元）"])
        let termName = term.spellings[1]
        var total: Int64 = 0
        for school in population.schools + [population.missingSchool] {
            let paid = school.hasFiles ? paidBySchool[school.index] : 0
            var allocated: Int64
            if school.index == population.overspentSchool {
                allocated = max(0, (paid - max(paid / 5, 300_000)) / 10_000 * 10_000)
            } else if school.hasFiles {
                allocated = (paid * 11 / 10 + 300_000 + 99_999) / 100_000 * 100_000
            } else {
                allocated = 5_000_000
            }
            w.cell(termName)
            w.cell(school.code)
            w.cell(school.name)
            w.money(allocated, .grouped)
            let line = try w.endRow()
            w.dataRows += 1
            total += allocated
            if school.index == population.overspentSchool && school.hasFiles,
               let record = population.records.firstIndex(where: { $0.code == "R14" }) {
                population.records[record].sources.append("\(path):\(line)")
                population.records[record].note = "allocated \(yuan(allocated)), paid \(yuan(paid))"
            }
        }
        let rows = w.dataRows
        w.cell("合计"); w.cell(); w.cell(); w.money(total, .grouped)
        try w.endRow()
        try w.close()
        output.list(output.entry(path, schema: "allocations", style: style, rows: rows, total: "correct",
                                 note: "资金拨付 per school (the school that sent nothing included)"))
    }

    private func yuan(_ fen: Int64) -> String { "\(fen / 100).\(String(fen % 100).leftPadded(to: 2))" }

    private func iso(_ day: Int32) -> String {
        let (y, m, d) = Day.parts(day)
        return "\(y)-\(String(m).leftPadded(to: 2))-\(String(d).leftPadded(to: 2))"
    }
}
