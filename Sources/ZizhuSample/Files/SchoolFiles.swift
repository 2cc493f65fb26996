/// Writes one school's `roster.csv` and `applications.csv` (the inputs of `zizhu submit`), each
/// in the school's own export format.
struct SchoolFiles {
    let population: Population
    let output: SampleOutput
    let school: Int

    private var term: TermCalendar { population.term }
    private var info: School { population.schools[school] }

    // MARK: roster

    private enum RosterColumn {
        case sequence, studentNo, name, idType, idNumber, gender, birthDate, hukou, origin, schoolCode,
             schoolName, campusCity, major, enrollDate, registeredDate, studyMode, grade, status,
             changeDate, recordedDate, hardship, joint, phone, remark
    }

    /// One roster row's overrides when it is an extra row (S01, M01, transfer near-miss).
    private struct RowOverride {
        var serial: Int32
        var status: UInt8
        var change: Int32
        var recorded: Int32
        var idStyle: IdStyle
        var record: Int32
    }

    func writeRoster() throws {
        let style = info.rosterStyle
        var random = SampleRandom(seed: population.seed, stream: 0x524F_5354_0000_0000 | UInt64(school))
        var columns: [RosterColumn] = []
        if random.chance(500) { columns.append(.sequence) }
        columns += [.studentNo, .name]
        if info.rosterHasIdType { columns.append(.idType) }
        columns += [.idNumber, .gender, .birthDate]
        if random.chance(900) { columns.append(.hukou) }
        if random.chance(900) { columns.append(.origin) }
        if random.chance(800) { columns.append(.schoolCode) }
        if random.chance(600) { columns.append(.schoolName) }
        columns += [.campusCity, .major, .enrollDate, .registeredDate, .studyMode, .grade, .status,
                    .changeDate, .recordedDate, .hardship, .joint]
        if random.chance(400) { columns.append(.phone) }
        if random.chance(500) { columns.append(.remark) }

        var headers = HeaderMaker(random: SampleRandom(seed: population.seed, stream: 0x4844_5200 | UInt64(school)),
                                  starred: style.starredHeaders)
        let titles: [String] = columns.map { column in
            switch column {
            case .sequence: return "序号"
            case .studentNo: return headers.title(Titles.studentNo)
            case .name: return headers.title(Titles.name, required: true)
            case .idType: return headers.title(Titles.idType)
            case .idNumber: return headers.title(Titles.idNumber, required: true)
            case .gender: return headers.title(Titles.gender)
            case .birthDate: return headers.title(Titles.birthDate)
            case .hukou: return headers.title(Titles.hukou)
            case .origin: return headers.title(Titles.origin)
            case .schoolCode: return headers.title(Titles.schoolCode)
            case .schoolName: return headers.title(Titles.schoolName)
            case .campusCity: return headers.title(Titles.campusCity)
            case .major: return headers.title(Titles.major)
            case .enrollDate: return headers.title(Titles.enrollDate)
            case .registeredDate: return headers.title(Titles.registeredDate)
            case .studyMode: return headers.title(Titles.studyMode, required: true)
            case .grade: return headers.title(Titles.grade)
            case .status: return headers.title(Titles.status, required: true)
            case .changeDate: return headers.title(Titles.changeDate)
            case .recordedDate: return headers.title(Titles.recordedDate)
            case .hardship: return headers.title(Titles.hardship)
            case .joint: return headers.title(Titles.joint)
            case .phone: return "联系电话"
            case .remark: return "备注"
            }
        }

        let path = info.rosterPath
        var w = try output.writer(path, style: style)
        let workbookPath = SchoolFiles.workbookPath(path)
        if school == SchoolFiles.workbookSchool {
            w.tap = try WorkbookTee(path: output.workbook(workbookPath), sheetName: "学籍名册", titleLines: style.titleLines,
                                    width: columns.count, title: "\(info.name)\(term.chineseName)学籍名册")
        }
        try writeTitles(&w, style: style, kind: "学籍名册", width: columns.count)
        try w.row(titles)
        // Per-file habits: how grades and enrolment months are written.
        let gradeHabit = random.weighted([50, 25, 25])
        let monthChinese = random.chance(400)
        var sequence = 0
        func emit(_ index: Int, _ extra: RowOverride?, _ w: inout CSVWriter, _ random: inout SampleRandom) throws {
            sequence += 1
            let s = population.students[index]
            let effect = s.planted ? population.effects[index] : nil
            let status = extra?.status ?? s.status
            let change = extra?.change ?? s.change
            let recorded = extra?.recorded ?? s.recorded
            for column in columns {
                switch column {
                case .sequence:
                    w.cell(); w.appendNumber(sequence)
                case .studentNo:
                    w.cell()
                    population.appendStudentNo(index, serial: extra?.serial, to: &w)
                case .name:
                    w.cell()
                    population.appendName(index, variant: s.nameKind == 1 ? random.below(5) : (random.chance(15) ? 1 : 0), to: &w)
                case .idType:
                    if s.idKind == IdKind.resident && random.chance(600) { w.cell() } else { w.cell(Encoded.idKinds[Int(s.idKind)]) }
                case .idNumber:
                    if s.idKind == IdKind.passport {
                        w.cell(); w.out.append(UInt8(ascii: "E")); w.appendNumber(Int(s.idBody))
                    } else {
                        w.id(s.idBody, idStyle(index, s, effect, extra, &random))
                    }
                case .gender:
                    let male = effect?.statedMale ?? s.male
                    if random.chance(10) { w.cell(male ? "M" : "F") } else { w.cell(male ? Encoded.male : Encoded.female) }
                case .birthDate:
                    if let stated = effect?.statedBirth {
                        w.date(stated, stated == s.birth ? .excel : style.dateStyle)
                    } else {
                        w.date(s.birth, rowDateStyle(style, &random))
                    }
                case .hukou:
                    w.cell(Encoded.hukou[Int(s.hukou)])
                case .origin:
                    writeOrigin(s, &w, &random)
                case .schoolCode:
                    w.cell(info.code)
                case .schoolName:
                    w.cell(info.name)
                case .campusCity:
                    writeCampus(effect, &w, &random)
                case .major:
                    w.cell(Encoded.majors[Int(s.major)])
                case .enrollDate:
                    let entry = Day.make(term.entryYear(grade: Int(s.grade)), 9, 1)
                    if random.chance(100) { w.date(entry, style.dateStyle) } else { w.month(entry, chinese: monthChinese) }
                case .registeredDate:
                    if effect?.rosterReject == .impossibleDate {
                        w.cell("\(term.entryYear(grade: Int(s.grade)))-02-30")
                    } else {
                        w.date(s.registered, rowDateStyle(style, &random))
                    }
                case .studyMode:
                    w.cell(s.fullTime ? Encoded.fullTime : Encoded.partTime)
                case .grade:
                    w.cell()
                    let habit = random.chance(100) ? random.below(3) : gradeHabit
                    switch habit {
                    case 0: w.appendNumber(Int(s.grade))
                    case 1: w.out.append(contentsOf: Encoded.gradeNames[Int(s.grade) - 1])
                    default: w.appendNumber(term.entryYear(grade: Int(s.grade)))
                    }
                case .status:
                    if effect?.rosterReject == .emptyStatus && extra == nil {
                        w.cell()
                    } else if status == Status.enrolled && random.chance(10) {
                        w.cell("在校")
                    } else {
                        w.cell(Encoded.statusNames[Int(status)])
                    }
                case .changeDate:
                    if change != 0 { w.date(change, rowDateStyle(style, &random)) } else { w.cell() }
                case .recordedDate:
                    if recorded != 0 { w.date(recorded, rowDateStyle(style, &random)) } else { w.cell() }
                case .hardship:
                    if s.hardship == Reference.hardshipNone {
                        let roll = random.below(100)
                        if roll < 30 { w.cell() } else if roll < 35 { w.cell("否") } else { w.cell(Encoded.hardship[Int(s.hardship)]) }
                    } else {
                        w.cell(Encoded.hardship[Int(s.hardship)])
                    }
                case .joint:
                    if s.joint {
                        w.cell(Reference.cities[info.city].short + Reference.partnerKinds[Int(s.major) % Reference.partnerKinds.count])
                    } else {
                        w.cell()
                    }
                case .phone:
                    w.cell()
                    w.out.append(contentsOf: Array("1\([3, 5, 8, 9][random.below(4)])".utf8))
                    w.appendNumber(random.below(1_000_000_000), width: 9)
                case .remark:
                    writeRemark(s, &w, &random)
                }
            }
            let line = try w.endRow()
            w.dataRows += 1
            if let extra {
                population.noteSource(record: extra.record, "\(path):\(line)")
            } else if s.planted {
                population.noteSource(student: index, kind: .schoolRoster, tag: effect?.rosterRejectTag ?? 0,
                                      "\(path):\(line)")
            }
        }
        for index in info.students {
            try emit(index, nil, &w, &random)
        }
        for extra in population.extraRoster[school] {
            try emit(extra.student, RowOverride(serial: extra.serial, status: extra.status, change: extra.change,
                                                recorded: extra.recorded, idStyle: extra.idStyle, record: extra.record),
                     &w, &random)
        }
        let rows = w.dataRows
        try w.close()
        output.list(output.entry(path, schema: "roster", style: style, rows: rows,
                                 note: "学籍名册 of \(info.name) as of \(iso(term.schoolSnapshot))"))
        if let tee = w.tap {
            try tee.finish(total: ["合计", "共 \(rows) 人"])
            output.list(output.workbookEntry(workbookPath, schema: "roster", titleLines: max(1, style.titleLines), rows: rows,
                                             total: "count", note: "the rows of \(path) as an Excel workbook: sheet 学籍名册, a 合计 row"))
        }
    }

    private func idStyle(_ index: Int, _ s: Student, _ effect: Effects?, _ extra: RowOverride?,
                         _ random: inout SampleRandom) -> IdStyle {
        if let extra { return extra.idStyle }
        if let reject = effect?.rosterReject {
            switch reject {
            case .scientificId: return .scientific
            case .badCheckCharacter: return .badCheck
            default: break
            }
        }
        if let forced = effect?.idStyle { return forced }
        let roll = random.below(1000)
        if roll < 10 { return .apostrophe }
        if roll < 15 { return .formula }
        if roll < 18 { return .fullWidth }
        if s.idKind == IdKind.resident && s.birthYear < 2000 && roll < 300 { return .fifteen }
        return roll < 600 ? .lowerX : .plain
    }

    /// The file's date habit, with one row in ten written another way.
    private func rowDateStyle(_ style: FileStyle, _ random: inout SampleRandom) -> DateStyle {
        random.chance(100) ? DateStyle.allCases[random.below(DateStyle.allCases.count)] : style.dateStyle
    }

    private func writeOrigin(_ s: Student, _ w: inout CSVWriter, _ random: inout SampleRandom) {
        guard s.idKind == IdKind.resident else { return w.cell() }
        let district = Int(s.origin)
        let city = Reference.districts[district].city
        switch random.below(100) {
        case 0..<40: w.cell(Encoded.districtCodes[district])
        case 40..<75: w.cell(Encoded.cityNames[city])
        case 75..<97: w.cell(Encoded.provinceCityNames[city])
        default: w.cell()
        }
    }

    private func writeCampus(_ effect: Effects?, _ w: inout CSVWriter, _ random: inout SampleRandom) {
        if let other = effect?.campusCity { return w.cell(Encoded.cityNames[other]) }
        let city = info.city
        if effect?.campusAsDistrict == true {
            return w.cell(String(Reference.cities[city].districts[0].code))
        }
        switch random.below(100) {
        case 0..<50: w.cell(Encoded.cityNames[city])
        case 50..<70: w.cell(Encoded.provinceCityNames[city])
        case 70..<95: w.cell(Encoded.cityCodes[city])
        default: w.cell()
        }
    }

    /// Free text in an unknown 备注 column: mostly empty, sometimes with a comma, quotes or a
    /// line break (so the CSV reader's quoting and physical line counting are exercised).
    private func writeRemark(_ s: Student, _ w: inout CSVWriter, _ random: inout SampleRandom) {
        switch random.below(1000) {
        case 0..<900: w.cell()
        case 900..<950: w.cell("家庭住址：\(Reference.cities[Reference.districts[Int(s.origin)].city].name), 已核验")
        case 950..<980: w.cell("“住校”生，宿舍\(random.between(1...12))号楼")
        case 980..<995: w.cell("曾用名\"\(Reference.surnames[Int(s.surname)])小\(Reference.givenCharacters[random.below(20)])\"")
        default: w.cell("转入学生\n学籍已核验")
        }
    }

    private func writeTitles(_ w: inout CSVWriter, style: FileStyle, kind: String, width: Int) throws {
        guard style.titleLines > 0 else { return }
        let padding = style.paddedTitles ? Array(repeating: "", count: max(0, width - 1)) : []
        try w.row(["\(info.name)\(term.chineseName)\(kind)"] + padding)
        if style.titleLines > 1 {
            let (y, m, d) = Day.parts(term.schoolSnapshot)
            try w.row(["填报单位：\(info.name)", "", "导出日期：\(y)年\(m)月\(d)日"] + padding.dropFirst(2))
        }
    }

    // MARK: applications

    private enum ApplicationColumn {
        case sequence, term, schoolCode, schoolName, studentNo, name, idNumber, aidType, tier, amount,
             appliedDate, approval, card, remark
    }

    func writeApplications() throws {
        let style = info.applicationsStyle
        var random = SampleRandom(seed: population.seed, stream: 0x4150_504C_0000_0000 | UInt64(school))
        var columns: [ApplicationColumn] = []
        if random.chance(500) { columns.append(.sequence) }
        columns.append(.term)
        if random.chance(600) { columns.append(.schoolCode) }
        if random.chance(300) { columns.append(.schoolName) }
        columns += [.studentNo, .name, .idNumber, .aidType, .tier, .amount, .appliedDate, .approval]
        if random.chance(800) { columns.append(.card) }
        if random.chance(300) { columns.append(.remark) }
        var headers = HeaderMaker(random: SampleRandom(seed: population.seed, stream: 0x4844_4100 | UInt64(school)),
                                  starred: style.starredHeaders)
        let titles: [String] = columns.map { column in
            switch column {
            case .sequence: return "序号"
            case .term: return headers.title(Titles.term)
            case .schoolCode: return headers.title(Titles.schoolCode)
            case .schoolName: return "学校名称"
            case .studentNo: return headers.title(Titles.studentNo)
            case .name: return headers.title(Titles.name)
            case .idNumber: return headers.title(Titles.idNumber, required: true)
            case .aidType: return headers.title(Titles.aidType, required: true)
            case .tier: return headers.title(Titles.tier)
            case .amount: return headers.title(Titles.amount, unit: true)
            case .appliedDate: return headers.title(Titles.appliedDate)
            case .approval: return headers.title(Titles.approval, required: true)
            case .card: return headers.title(Titles.card)
            case .remark: return "备注"
            }
        }
        let path = info.applicationsPath
        var w = try output.writer(path, style: style)
        let workbookPath = SchoolFiles.workbookPath(path)
        if school == SchoolFiles.workbookSchool {
            w.tap = try WorkbookTee(path: output.workbook(workbookPath), sheetName: "资助申报名单", titleLines: style.titleLines,
                                    width: columns.count, title: "\(info.name)\(term.chineseName)资助申报名单")
        }
        try writeTitles(&w, style: style, kind: "资助申报名单", width: columns.count)
        try w.row(titles)
        let spellings = term.spellings
        var sequence = 0
        var total: Int64 = 0

        /// One application row; `grant` nil means the 免学费 row.
        func emit(_ index: Int, grant: GrantRow?, _ w: inout CSVWriter, _ random: inout SampleRandom) throws {
            sequence += 1
            let s = population.students[index]
            let effect = s.planted ? population.effects[index] : nil
            let tuitionReject = grant == nil ? effect?.tuitionReject : nil
            let amount = grant?.amount ?? info.tuitionFen
            let applied = grant?.applied ?? (term.start + 5 + Int32(s.serial % 30))
            let approval = grant?.approval ?? Approval.approved
            for column in columns {
                switch column {
                case .sequence:
                    w.cell(); w.appendNumber(sequence)
                case .term:
                    w.cell(spellings[random.chance(50) ? random.below(spellings.count) : style.termSpelling])
                case .schoolCode:
                    w.cell(info.code)
                case .schoolName:
                    w.cell(info.name)
                case .studentNo:
                    w.cell()
                    population.appendStudentNo(index, to: &w)
                case .name:
                    w.cell()
                    population.appendName(index, variant: s.nameKind == 1 ? random.below(5) : 0, to: &w)
                case .idNumber:
                    let roll = random.below(1000)
                    w.id(s.idBody, roll < 5 ? .apostrophe : roll < 400 ? .lowerX : .plain)
                case .aidType:
                    if grant != nil {
                        if random.chance(30) { w.cell("助学金") } else { w.cell(Encoded.grant) }
                    } else {
                        w.cell(Encoded.tuition)
                    }
                case .tier:
                    if let grant {
                        if random.chance(150) { w.cell(); w.appendNumber(Int(grant.tier)) } else { w.cell(Encoded.tiers[Int(grant.tier) - 1]) }
                    } else {
                        w.cell()
                    }
                case .amount:
                    if tuitionReject == .amountPrecision {
                        w.cell("12.345")
                    } else {
                        let moneyStyle = random.chance(100) ? MoneyStyle.allCases[random.below(MoneyStyle.allCases.count)] : style.moneyStyle
                        w.money(amount, moneyStyle)
                    }
                case .appliedDate:
                    w.date(applied, rowDateStyle(style, &random))
                case .approval:
                    if tuitionReject == .emptyApproval {
                        w.cell()
                    } else if random.chance(80) {
                        w.cell(Encoded.approvalAliases[Int(approval)])
                    } else {
                        w.cell(Encoded.approvals[Int(approval)])
                    }
                case .card:
                    w.account(s.account, spaced: random.chance(150))
                case .remark:
                    if random.chance(30) { w.cell("家庭经济困难认定：\(Reference.hardshipTypes[Int(s.hardship)])") } else { w.cell() }
                }
            }
            let line = try w.endRow()
            w.dataRows += 1
            total += amount
            if s.planted {
                let tag = grant?.tag ?? (tuitionReject != nil ? effect?.tuitionRejectTag ?? 0 : 0)
                population.noteSource(student: index, kind: .schoolApplications, tag: tag, "\(path):\(line)")
            }
        }
        for index in Array(info.students) + info.ghosts {
            for grant in population.schoolGrantRows(index) {
                try emit(index, grant: grant, &w, &random)
            }
            if population.appliesForTuition(index) {
                try emit(index, grant: nil, &w, &random)
            }
        }
        let rows = w.dataRows
        var totalNote = "none"
        if info.totalRow != .none {
            let stated = info.totalRow == .wrong ? total + 100_000 : total
            for column in columns {
                if column == columns[0] {
                    w.cell("合计")
                } else if column == .amount {
                    w.money(stated, .plain)
                } else {
                    w.cell()
                }
            }
            let line = try w.endRow()
            totalNote = info.totalRow == .wrong ? "wrong (+1000.00)" : "correct"
            if info.totalRow == .wrong,
               let record = population.records.firstIndex(where: { $0.code == "TOTAL_MISMATCH" && $0.school == school }) {
                population.noteSource(record: Int32(record), "\(path):\(line)")
            }
        }
        try w.close()
        output.list(output.entry(path, schema: "applications", style: style, rows: rows, total: totalNote,
                                 note: "资助申报名单 of \(info.name): 国家助学金 and 免学费 rows"))
        if let tee = w.tap {
            try tee.finish()
            output.list(output.workbookEntry(workbookPath, schema: "applications", titleLines: max(1, style.titleLines), rows: rows,
                                             total: totalNote, note: "the rows of \(path) as an Excel workbook: sheet 资助申报名单"))
        }
    }

    /// The school whose roster and applications are also written as .xlsx (the first).
    static let workbookSchool = 0

    /// `…/roster.csv` → `…/roster.xlsx`.
    static func workbookPath(_ csvPath: String) -> String {
        (csvPath.hasSuffix(".csv") ? String(csvPath.dropLast(4)) : csvPath) + ".xlsx"
    }

    private func iso(_ day: Int32) -> String {
        let (y, m, d) = Day.parts(day)
        return "\(y)-\(String(m).leftPadded(to: 2))-\(String(d).leftPadded(to: 2))"
    }
}
