import ZizhuCore

/// Every school and student of a sample, plus what was planted where.
///
/// Built once, up front and single-threaded, from `SampleRandom` streams keyed by the seed and the
/// student's index, so the same seed always gives the same population. The file writers only
/// read it (and note the `file:line` of planted rows).
final class Population {
    let seed: UInt64
    let term: TermCalendar
    var schools: [School] = []
    /// On the expected list (`schools.csv`) but sent no files (M03).
    var missingSchool: School
    var students: [Student] = []
    /// Real students (the rest of `students` are ghosts).
    let realCount: Int
    /// `SampleOptions.grantShare`: percentage of the otherwise unfunded full-time enrolled students
    /// who become grantees (nil: none).
    let grantShare: Int?
    var effects: [Int: Effects] = [:]
    var records: [PlantedRecord] = []
    /// Extra rows per school roster (S01, M01, the transfer near-miss).
    var extraRoster: [[ExtraRosterRow]] = []
    /// Unmatched paid rows per bank (R02).
    var orphanLedger: [[OrphanLedgerRow]] = Array(repeating: [], count: Bank.all.count)
    /// The school whose allocation is below what it paid (R14).
    var overspentSchool = 0
    /// School that holds the planted rejects of school files (no 合计 row there).
    var rejectSchool = 0
    private var usedIds: Set<UInt64> = []
    private let accountOffset: UInt64

    /// Width of the serial part of `student_no`.
    private(set) var serialWidth = 5

    init(students count: Int, schools schoolCount: Int, seed: UInt64, term: TermCalendar, grantShare: Int? = nil) {
        self.seed = seed
        self.term = term
        realCount = count
        self.grantShare = grantShare
        var random = SampleRandom(seed: seed, stream: 0x5343_484F_4F4C)   // "SCHOOL"
        accountOffset = random.next() % 1_000_000_000_000
        var perCity = Array(repeating: 0, count: Reference.schoolCities)
        var made: [School] = []
        for index in 0...schoolCount {   // the last one is the school that sends nothing
            let city = index < Reference.schoolCities ? index : random.below(Reference.schoolCities)
            perCity[city] += 1
            made.append(Population.makeSchool(index: index, city: city, number: perCity[city],
                                              term: term, random: &random))
        }
        missingSchool = made.removeLast()
        missingSchool.hasFiles = false
        schools = made
        extraRoster = Array(repeating: [], count: schools.count)
        distributeStudents(count, random: &random)
        students.reserveCapacity(count + 64)
        for school in schools.indices {
            for serial in 0..<schools[school].count {
                students.append(makeStudent(index: students.count, school: school, serial: serial + 1))
            }
        }
        let largest = schools.map(\.count).max() ?? 0
        serialWidth = max(5, String(largest + 1000).count)
    }

    // MARK: schools

    private static func makeSchool(index: Int, city: Int, number: Int, term: TermCalendar,
                                   random: inout SampleRandom) -> School {
        let cityInfo = Reference.cities[city]
        let words = Reference.schoolWords
        let k = number - 1
        var name = cityInfo.short + words[(k + city * 7) % words.count]
            + Reference.schoolKinds[(k / words.count + index) % Reference.schoolKinds.count]
        if k >= words.count * Reference.schoolKinds.count { name += "（第\(k / words.count + 1)校区）" }
        let code = "\(cityInfo.prefix)J" + String(number).leftPadded(to: 3)
        let bank = index < Bank.all.count ? [Bank.icbc, Bank.abc, Bank.ccb][index] : random.below(Bank.all.count)
        var school = School(
            index: index, code: code, name: name, city: city, bank: bank,
            tuitionFen: random.pick(Reference.tuitionFen),
            payDay: term.firstPayDay + Int32(random.below(21)),
            rosterStyle: Population.randomStyle(&random),
            applicationsStyle: Population.randomStyle(&random))
        // The first three schools show every format at least once, whatever the seed.
        switch index {
        case 0:
            school.rosterStyle.encoding = .gb18030; school.rosterStyle.delimiter = 44
            school.rosterStyle.crlf = true; school.rosterStyle.titleLines = 1
            school.applicationsStyle.encoding = .gb18030; school.applicationsStyle.delimiter = 44
            school.applicationsStyle.titleLines = 1
        case 1:
            school.rosterStyle.encoding = .utf8BOM; school.rosterStyle.delimiter = 9
            school.rosterStyle.crlf = false; school.rosterStyle.titleLines = 0
            school.applicationsStyle.encoding = .utf8BOM; school.applicationsStyle.delimiter = 44
            school.applicationsStyle.titleLines = 1
        case 2:
            school.rosterStyle.encoding = .utf8; school.rosterStyle.delimiter = 44
            school.rosterStyle.titleLines = 2
            school.applicationsStyle.encoding = .gb18030; school.applicationsStyle.delimiter = 9
            school.applicationsStyle.titleLines = 0
        default:
            break
        }
        school.rosterHasIdType = index == 0 || random.chance(700)
        school.totalRow = random.chance(700) ? .correct : .none
        return school
    }

    private static func randomStyle(_ random: inout SampleRandom) -> FileStyle {
        let encoding: SampleEncoding = [.utf8, .utf8BOM, .gb18030][random.weighted([20, 40, 40])]
        return FileStyle(
            encoding: encoding,
            delimiter: random.chance(250) ? 9 : 44,
            crlf: random.chance(600),
            titleLines: random.weighted([40, 45, 15]),
            paddedTitles: random.chance(500),
            dateStyle: DateStyle(rawValue: random.weighted([30, 20, 10, 15, 15, 10])) ?? .iso,
            moneyStyle: MoneyStyle(rawValue: random.weighted([40, 20, 20, 8, 7, 5])) ?? .plain,
            termSpelling: random.below(6),
            starredHeaders: random.chance(400))
    }

    /// Splits `count` students over the schools, sizes varying ±30 %.
    private func distributeStudents(_ count: Int, random: inout SampleRandom) {
        let weights = schools.map { _ in 70 + random.below(61) }
        let total = weights.reduce(0, +)
        var first = 0
        for index in schools.indices {
            let size = index == schools.count - 1 ? count - first : count * weights[index] / total
            schools[index].first = first
            schools[index].count = size
            first += size
        }
    }

    // MARK: students

    /// Cities sharing a province with each school city (birthplaces near home).
    private static let provinceNeighbours: [[Int]] = Reference.cities.indices.map { city in
        Reference.cities.indices.filter {
            $0 != city && Reference.cities[$0].province == Reference.cities[city].province
        }
    }
    private static let districtsOfCity: [[Int]] = Reference.cities.indices.map { city in
        Reference.districts.indices.filter { Reference.districts[$0].city == city }
    }

    /// Student `index`, drawn from its own stream (`attempt` > 0: another draw for the same index).
    private func makeStudent(index: Int, school schoolIndex: Int, serial: Int, attempt: Int = 0) -> Student {
        let school = schools[schoolIndex]
        var r = SampleRandom(seed: seed, stream: 0x5354_5544_0000_0000 | UInt64(index) | UInt64(attempt) << 40)
        var s = Student()
        s.school = Int32(schoolIndex)
        s.serial = Int32(serial)
        s.grade = UInt8(1 + r.weighted([36, 33, 31]))
        s.male = r.chance(520)
        let older = r.chance(15)
        let entry = term.entryYear(grade: Int(s.grade))
        let birth = older ? Day.make(1990, 1, 1) + Int32(r.below(3650))
                          : Day.make(entry - 16, 9, 1) + Int32(r.below(730))
        // Names: mostly Han; a few two-part dotted names and passport holders.
        let nameRoll = r.below(1000)
        if nameRoll < 10 {
            s.nameKind = 1
            s.given1 = UInt16(r.below(Reference.dottedNames.count))
        } else {
            s.surname = UInt16(r.chance(8) ? Reference.compoundSurnameStart
                                   + r.below(Reference.surnames.count - Reference.compoundSurnameStart)
                               : r.below(Reference.compoundSurnameStart))
            s.given1 = UInt16(r.below(Reference.givenCharacters.count))
            if r.chance(750) { s.given2 = UInt16(r.below(Reference.givenCharacters.count)) }
        }
        // Birthplace: the school's city, its province, or anywhere; dotted names from 乌鲁木齐.
        let cityOfBirth: Int
        if s.nameKind == 1 {
            cityOfBirth = Reference.urumqi
        } else {
            let roll = r.below(100)
            let neighbours = Population.provinceNeighbours[school.city]
            cityOfBirth = roll < 55 || neighbours.isEmpty ? school.city
                : roll < 80 ? r.pick(neighbours) : r.below(Reference.cities.count)
        }
        let district = r.pick(Population.districtsOfCity[cityOfBirth])
        s.origin = UInt16(district)
        let kindRoll = r.below(1000)
        if kindRoll < 2 && school.rosterHasIdType && s.nameKind == 0 {
            s.idKind = IdKind.passport
            s.nameKind = 2
            s.given1 = UInt16(r.below(Reference.latinNames.count))
            s.idBody = 10_000_000 + UInt64(index)
            s.birth = birth
        } else {
            if kindRoll < 4 && s.nameKind == 0 { s.idKind = IdKind.permit }
            let region = s.idKind == IdKind.permit ? Reference.hongKongRegion : Reference.districts[district].code
            (s.idBody, s.birth) = allocateId(region: region, birth: birth, male: s.male, random: &r)
        }
        s.hukou = UInt8(r.weighted([55, 25, 20]))
        s.major = UInt8(r.below(Reference.majors.count))
        s.fullTime = !r.chance(older ? 400 : 25)
        s.hardship = UInt8(r.weighted(Reference.hardshipWeights))
        // A passport holder has no application (its id is no resident id the applications schema
        // can read), so a special hardship would be an unplanted S02: at most 一般困难.
        if s.idKind == IdKind.passport && Reference.isSpecialHardship(s.hardship) {
            s.hardship = Reference.hardshipGeneral
        }
        s.registered = Day.make(entry, 9, 5) + Int32(r.below(40))
        s.channel = r.chance(300) ? Channel.socialCard : Channel.fundCard
        s.account = account(for: index, bank: school.bank, channel: s.channel)
        s.joint = r.chance(20)
        s.payDay = school.payDay
        s.applied = term.start + 10 + Int32(r.below(Int(term.applicationDeadline - term.start) - 10))
        // Status as of the school snapshot; changes are recorded within a week (S07-clean).
        switch r.weighted([940, 20, 20, 10, 10]) {
        case 1, 2, 3:
            let kinds = [Status.suspended, Status.withdrawn, Status.transferred]
            s.status = kinds[r.below(3)]
            s.change = term.start + 3 + Int32(r.below(Int(term.schoolSnapshot - term.start) - 15))
            s.recorded = s.change + Int32(r.below(6))
        case 4:
            s.status = Status.resumed
            s.change = term.start - 10 + Int32(r.below(30))
            s.recorded = s.change + Int32(r.below(6))
        default:
            break
        }
        s.financeStatus = s.status
        s.financeChange = s.change
        s.financeRecorded = s.recorded
        // A few leave after every payout run: 在籍 for the school, not for finance (R07-clean).
        if s.status == Status.enrolled && r.chance(10) {
            s.financeStatus = [Status.suspended, Status.withdrawn, Status.transferred][r.below(3)]
            s.financeChange = term.lateLeaveStart + Int32(r.below(20))
            s.financeRecorded = s.financeChange + Int32(r.below(5))
        }
        // 国家助学金: full-time, enrolled, grade 1–2, with a hardship type.
        if s.fullTime && Status.isEnrolled(s.status) && s.grade <= 2
            && s.hardship != Reference.hardshipNone && s.idKind != IdKind.passport {
            let special = Reference.isSpecialHardship(s.hardship)
            s.tier = UInt8(1 + r.weighted(special ? [80, 20, 0] : [0, 50, 50]))
            s.approval = UInt8(r.weighted(special ? [96, 4, 0] : [88, 6, 6]))
            s.payFails = r.chance(8)
            s.retryDay = s.payDay + 14 + Int32(r.below(10))
        } else if let share = grantShare, s.fullTime && Status.isEnrolled(s.status) && s.idKind != IdKind.passport,
                  r.below(100) < share {
            // --grant-share: more grantees, any grade, approved and paid like the others. These
            // draws come after every other one, so the rest of the student is as without the option.
            if s.hardship == Reference.hardshipNone { s.hardship = Reference.hardshipGeneral }
            let special = Reference.isSpecialHardship(s.hardship)
            s.tier = UInt8(1 + r.weighted(special ? [80, 20, 0] : [0, 50, 50]))
            s.approval = Approval.approved
            s.payFails = r.chance(8)
            s.retryDay = s.payDay + 14 + Int32(r.below(10))
        }
        return s
    }

    /// A unique id body for a region, birth date and gender (the sequence's last digit is odd for
    /// men); moves the birth date a day on in the unlikely case all 500 sequences are taken.
    func allocateId(region: Int, birth: Int32, male: Bool, random: inout SampleRandom) -> (UInt64, Int32) {
        var day = birth
        while true {
            let (y, m, d) = Day.parts(day)
            let base = UInt64(region) * 100_000_000_000 + UInt64(y * 10_000 + m * 100 + d) * 1000
            var sequence = random.below(500) * 2 + (male ? 1 : 0)
            for _ in 0..<500 {
                if usedIds.insert(base + UInt64(sequence)).inserted { return (base + UInt64(sequence), day) }
                sequence = (sequence + 2) % 1000
            }
            day += 1
        }
    }

    /// Gives student `index` a new id with another birth date (keeps it unique).
    func reassignId(_ index: Int, birth: Int32) {
        var r = SampleRandom(seed: seed, stream: 0x4944_0000_0000_0000 | UInt64(index))
        let region = Int(students[index].idBody / 100_000_000_000)
        usedIds.remove(students[index].idBody)
        (students[index].idBody, students[index].birth) = allocateId(
            region: region, birth: birth, male: students[index].male, random: &r)
    }

    /// A 19-digit account: the bank's BIN, 12 digits that are a bijection of `index` (so no two
    /// students share one by accident), and a Luhn digit.
    func account(for index: Int, bank: Int, channel: UInt8) -> UInt64 {
        let bin = UInt64(channel == Channel.socialCard ? Bank.all[bank].socialCardBIN : Bank.all[bank].fundCardBIN)
        let middle = (UInt64(index) &* 7_919_351_233 &+ accountOffset) % 1_000_000_000_000
        let payload = bin * 1_000_000_000_000 + middle
        return payload * 10 + Digits.luhnDigit(payload)
    }

    /// Appends a ghost (a student in no roster) to `school`.
    func addGhost(school: Int) -> Int {
        let index = students.count
        let serial = schools[school].count + 500 + schools[school].ghosts.count
        var attempt = 0
        var s = makeStudent(index: index, school: school, serial: serial)
        while s.grade > 2 || s.idKind != IdKind.resident || s.nameKind != 0 {
            // Redraw until the ghost is a plain grade-1/2 student (a few tries at most).
            if s.idKind != IdKind.passport { usedIds.remove(s.idBody) }
            attempt += 1
            s = makeStudent(index: index, school: school, serial: serial, attempt: attempt)
        }
        s.account = account(for: index, bank: schools[school].bank, channel: s.channel)
        s.ghost = true
        students.append(s)
        schools[school].ghosts.append(index)
        return index
    }

    // MARK: derived values the writers share

    /// `student_no`: entry year, school number, serial (`2023` `0001` `00042`).
    func appendStudentNo(_ index: Int, serial: Int32? = nil, to writer: inout CSVWriter) {
        let s = students[index]
        writer.appendNumber(term.entryYear(grade: Int(s.grade)), width: 4)
        writer.appendNumber(Int(s.school) + 1, width: 4)
        writer.appendNumber(Int(serial ?? s.serial), width: serialWidth)
    }

    func studentNo(_ index: Int, serial: Int32? = nil) -> String {
        var writer = CSVWriter(sink: MemorySink(), delimiter: 44, crlf: false)
        appendStudentNo(index, serial: serial, to: &writer)
        return String(decoding: writer.out, as: UTF8.self)
    }

    /// The canonical name (what the tool's normalization turns every spelling into).
    func canonicalName(_ index: Int) -> String {
        let s = students[index]
        switch s.nameKind {
        case 1:
            let parts = Reference.dottedNames[Int(s.given1)]
            return parts.0 + "·" + parts.1
        case 2:
            return Reference.latinNames[Int(s.given1)]
        default:
            var name = Reference.surnames[Int(s.surname)] + Reference.givenCharacters[Int(s.given1)]
            if s.given2 != Student.noCharacter { name += Reference.givenCharacters[Int(s.given2)] }
            return name
        }
    }

    /// Appends the name; `variant` picks another dot or an inner space (normalizes equal).
    @inline(__always)
    func appendName(_ index: Int, variant: Int, to writer: inout CSVWriter) {
        let s = students[index]
        switch s.nameKind {
        case 1:
            let parts = Encoded.dotted[Int(s.given1)]
            writer.out.append(contentsOf: parts.0)
            writer.out.append(contentsOf: Encoded.dots[variant % Encoded.dots.count])
            writer.out.append(contentsOf: parts.1)
        case 2:
            writer.out.append(contentsOf: Encoded.latin[Int(s.given1)])
        default:
            writer.out.append(contentsOf: Encoded.surnames[Int(s.surname)])
            if variant != 0 { writer.out.append(Encoded.space) }
            writer.out.append(contentsOf: Encoded.given[Int(s.given1)])
            if s.given2 != Student.noCharacter { writer.out.append(contentsOf: Encoded.given[Int(s.given2)]) }
        }
    }

    /// The id as printed in planted.csv and compared by tests: 18 characters, or the passport.
    func idText(_ index: Int) -> String {
        let s = students[index]
        if s.idKind == IdKind.passport { return "E" + String(s.idBody) }
        return Digits.idString(s.idBody)
    }

    /// Grant rows as the school applications show them.
    func schoolGrantRows(_ index: Int) -> [GrantRow] {
        let s = students[index]
        if let effect = effects[index] {
            if effect.noSchoolApplications { return [] }
            if let rows = effect.schoolGrant { return rows }
        }
        if s.ghost { return [] }
        return s.tier > 0 ? [defaultGrant(s)] : []
    }

    /// Grant rows as the finance approved list shows them.
    func approvedGrantRows(_ index: Int) -> [GrantRow] {
        let s = students[index]
        if let rows = effects[index]?.approvedGrant { return rows }
        return s.tier > 0 ? [defaultGrant(s)] : []
    }

    func defaultGrant(_ s: Student) -> GrantRow {
        GrantRow(tier: s.tier, amount: Reference.tierFen[Int(s.tier) - 1], approval: s.approval, applied: s.applied)
    }

    /// Whether the student has a 免学费 row (school applications and approved list alike).
    func appliesForTuition(_ index: Int) -> Bool {
        if effects[index]?.noSchoolApplications == true { return false }
        return students[index].appliesForTuition
    }

    /// The bank rows paying this student: the planted ones, or one per approved grant row (a
    /// failed first attempt and a retry for `payFails`).
    func ledgerRows(_ index: Int) -> [LedgerRow] {
        if let rows = effects[index]?.ledger { return rows }
        let s = students[index]
        var rows: [LedgerRow] = []
        for grant in approvedGrantRows(index) where grant.approval == Approval.approved && grant.amountText == nil {
            if s.payFails {
                rows.append(LedgerRow(day: s.payDay, amount: grant.amount, success: false, failReason: 1))
                rows.append(LedgerRow(day: s.retryDay, amount: grant.amount, success: true, retryRun: true))
            } else {
                rows.append(LedgerRow(day: s.payDay, amount: grant.amount, success: true))
            }
        }
        return rows
    }

    // MARK: planted sources

    /// Notes `source` (`file:line`) on every planted case of `student` that lives in `kind`.
    func noteSource(student: Int, kind: FileKinds, tag: Int32 = 0, _ source: @autoclosure () -> String) {
        guard let effect = effects[student] else { return }
        var text: String?
        for record in effect.records {
            let planted = records[Int(record)]
            guard planted.kinds.contains(kind), planted.rowTag == 0 || planted.rowTag == tag else { continue }
            if text == nil { text = source() }
            if let text { records[Int(record)].sources.append(text) }
        }
    }

    func noteSource(record: Int32, _ source: String) {
        guard record >= 0 else { return }
        records[Int(record)].sources.append(source)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
