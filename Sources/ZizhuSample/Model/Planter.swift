/// Plants every finding of the contract (R01–R14, S01–S11, M01, M03), rows that must be rejected,
/// and near-misses that must not be reported, into a built `Population`.
///
/// Each case takes a fresh, plain student (enrolled, full-time, a Han name, a resident id) and
/// sets exactly what the case needs, so that no planted student trips a second rule by accident.
/// Error-severity submit cases go to schools from the third on: the first two schools carry only
/// warnings, so `zizhu submit` writes their packages (and merge can then find M01 between them).
struct Planter {
    let population: Population
    var random: SampleRandom
    /// Instances per code.
    let perCode: Int

    init(population: Population) {
        self.population = population
        random = SampleRandom(seed: population.seed, stream: 0x504C_414E_54)   // "PLANT"
        perCode = population.realCount < 5000 ? 2 : 3
    }

    private var term: TermCalendar { population.term }
    private var schoolCount: Int { population.schools.count }
    private var warningSchools: [Int] { Array(0..<min(2, schoolCount)) }
    private var errorSchools: [Int] {
        schoolCount > 2 ? Array(2..<schoolCount) : Array(0..<schoolCount)
    }
    private var allSchools: [Int] { Array(0..<schoolCount) }
    /// Schools whose bank files carry ids (R06, R09 and the scientific-id near-miss need them).
    private var idBankSchools: [Int] { allSchools.filter { population.schools[$0].bank != Bank.ccb } }
    private var ccbSchools: [Int] { allSchools.filter { population.schools[$0].bank == Bank.ccb } }

    // MARK: picking students

    /// A plain student from one of `schools` that satisfies `predicate`, marked as planted.
    private mutating func pick(_ schools: [Int], _ predicate: (Student) -> Bool = { _ in true }) -> Int? {
        guard !schools.isEmpty else { return nil }
        let firstSchool = random.below(schools.count)
        for step in 0..<schools.count {
            let school = population.schools[schools[(firstSchool + step) % schools.count]]
            guard school.count > 0 else { continue }
            let start = random.below(school.count)
            for offset in 0..<school.count {
                let index = school.first + (start + offset) % school.count
                let s = population.students[index]
                guard !s.planted, s.idKind == IdKind.resident, s.nameKind == 0, s.fullTime,
                      s.status == Status.enrolled, s.financeStatus == Status.enrolled, !s.payFails,
                      s.birthYear >= 2000, predicate(s) else { continue }
                population.students[index].planted = true
                population.effects[index] = Effects()
                return index
            }
        }
        return nil
    }

    /// A grade 1–2 student turned into an approved 国家助学金 grantee.
    private mutating func grantee(_ schools: [Int], special: Bool = false, tier: UInt8 = 2,
                                  approval: UInt8 = Approval.approved) -> Int? {
        guard let index = pick(schools, { $0.grade <= 2 }) else { return nil }
        population.students[index].hardship = special ? 1 : Reference.hardshipGeneral
        population.students[index].tier = tier
        population.students[index].approval = approval
        return index
    }

    /// A student with no application at all (hardship 无).
    private mutating func nonApplicant(_ schools: [Int], _ predicate: (Student) -> Bool = { _ in true }) -> Int? {
        guard let index = pick(schools, predicate) else { return nil }
        population.students[index].hardship = Reference.hardshipNone
        population.students[index].tier = 0
        return index
    }

    @discardableResult
    private mutating func record(_ code: String, _ job: PlantJob, student: Int?, school: Int? = nil,
                                 kinds: FileKinds, note: String, rowTagged: Bool = false,
                                 studentNo: String? = nil) -> Int32 {
        let number = Int32(population.records.count)
        var planted = PlantedRecord(code: code, job: job, school: school ?? student.map { Int(population.students[$0].school) },
                                    student: student, note: note, kinds: kinds, studentNo: studentNo)
        if rowTagged { planted.rowTag = number + 1 }
        population.records.append(planted)
        if let student { population.effects[student, default: Effects()].records.append(number) }
        return number
    }

    private func yuan(_ fen: Int64) -> String {
        "\(fen / 100).\(String(fen % 100).leftPadded(to: 2))"
    }

    private func iso(_ day: Int32) -> String {
        let (y, m, d) = Day.parts(day)
        return "\(y)-\(String(m).leftPadded(to: 2))-\(String(d).leftPadded(to: 2))"
    }

    private func payDay(_ index: Int) -> Int32 { population.students[index].payDay }
    private func amount(_ index: Int) -> Int64 { Reference.tierFen[Int(population.students[index].tier) - 1] }

    // MARK: everything

    mutating func plantAll() {
        plantReconcile()
        plantSubmit()
        plantMerge()
        plantRejects()
        plantNearMisses()
    }

    // MARK: reconcile (R01–R14)

    private mutating func plantReconcile() {
        let n = perCode
        let reconcile = FileKinds.reconcile
        for k in 0..<n {
            // R01: approved, nothing paid.
            if let i = grantee(allSchools) {
                population.effects[i]?.ledger = []
                record("R01", .reconcile, student: i, kinds: reconcile, note: "approved \(yuan(amount(i))), no bank row")
            }
            // R02: paid without approval.
            switch k {
            case 0:
                if let i = nonApplicant(idBankSchools, { $0.grade <= 2 }) {
                    population.effects[i]?.ledger = [LedgerRow(day: payDay(i), amount: 100_000, success: true)]
                    record("R02", .reconcile, student: i, kinds: [.ledger, .financeRoster],
                           note: "paid 1000.00 to a roster student who never applied")
                }
            case 1:
                if let school = ccbSchools.first {
                    let account = population.account(for: population.students.count + 1000 + k, bank: Bank.ccb,
                                                     channel: Channel.fundCard)
                    let number = record("R02", .reconcile, student: nil, school: nil, kinds: .ledger,
                                        note: "paid row for account \(account) matching no approved card (no id in this bank's file)")
                    population.orphanLedger[Bank.ccb].append(OrphanLedgerRow(
                        day: population.schools[school].payDay, amount: 100_000, account: account,
                        name: "刘建军", record: number))
                }
            default:
                if let i = grantee(idBankSchools, approval: Approval.pending) {
                    population.effects[i]?.ledger = [LedgerRow(day: payDay(i), amount: amount(i), success: true)]
                    record("R02", .reconcile, student: i, kinds: reconcile,
                           note: "paid \(yuan(amount(i))) while the application is still 待审批")
                }
            }
            // R03: one paid row, wrong amount.
            if let i = grantee(allSchools) {
                let paid: Int64 = k % 2 == 0 ? 75_000 : 125_000
                population.effects[i]?.ledger = [LedgerRow(day: payDay(i), amount: paid, success: true)]
                record("R03", .reconcile, student: i, kinds: reconcile,
                       note: "approved \(yuan(amount(i))), paid \(yuan(paid)) in one row")
            }
            // R04: paid twice.
            if let i = grantee(allSchools) {
                let second = k % 2 == 0 ? payDay(i) : payDay(i) + 14
                population.effects[i]?.ledger = [
                    LedgerRow(day: payDay(i), amount: amount(i), success: true),
                    LedgerRow(day: second, amount: amount(i), success: true, retryRun: k % 2 == 1),
                ]
                record("R04", .reconcile, student: i, kinds: reconcile,
                       note: "approved \(yuan(amount(i))), paid twice (\(iso(payDay(i))) and \(iso(second)))")
            }
            // R05: account holder is somebody else.
            if let i = grantee(allSchools) {
                let holder = Reference.surnames[Int(population.students[i].surname)] + ["建国", "秀英", "志强"][k % 3]
                population.effects[i]?.ledger = [LedgerRow(day: payDay(i), amount: amount(i), success: true,
                                                          accountName: holder)]
                record("R05", .reconcile, student: i, kinds: reconcile,
                       note: "bank account holder \(holder) ≠ \(population.canonicalName(i))")
            }
            // R06: two students paid into one account (one pair per two instances).
            if k % 2 == 0, let a = grantee(idBankSchools) {
                let school = Int(population.students[a].school)
                if let b = grantee([school]) {
                    population.students[b].account = population.students[a].account
                    population.students[b].channel = population.students[a].channel
                    for i in [a, b] {
                        record("R06", .reconcile, student: i, kinds: reconcile,
                               note: "account \(population.students[a].account) paid for \(population.canonicalName(a)) and \(population.canonicalName(b))")
                    }
                }
            }
            // R07: left (finance roster) on or before the pay date.
            if let i = grantee(allSchools) {
                let kinds = [Status.withdrawn, Status.suspended, Status.transferred]
                let status = kinds[k % 3]
                let change = k == 1 ? payDay(i) : payDay(i) - 5
                population.students[i].financeStatus = status
                population.students[i].financeChange = change
                population.students[i].financeRecorded = change + 2
                record("R07", .reconcile, student: i, kinds: reconcile,
                       note: "\(["", "休学", "退学", "转学"][Int(status)]) on \(iso(change)), paid \(iso(payDay(i)))\(k == 1 ? " (same day)" : "")")
            }
            // R08: paid to a part-time student (who applied outside the school file).
            if let i = grantee(allSchools) {
                population.students[i].fullTime = false
                population.effects[i]?.noSchoolApplications = true
                record("R08", .reconcile, student: i, kinds: reconcile, note: "非全日制 student approved and paid")
            }
            // R09: paid in cash or to an ordinary bank card.
            if let i = grantee(idBankSchools) {
                let channel = k % 2 == 0 ? Channel.cash : Channel.otherCard
                population.effects[i]?.ledger = [LedgerRow(day: payDay(i), amount: amount(i), success: true,
                                                          channel: channel)]
                record("R09", .reconcile, student: i, kinds: reconcile, note: "paid through \(Channel.names[Int(channel)])")
            }
            // R10: failed, never retried.
            if let i = grantee(allSchools) {
                population.effects[i]?.ledger = [LedgerRow(day: payDay(i), amount: amount(i), success: false,
                                                          failReason: 0)]
                record("R10", .reconcile, student: i, kinds: reconcile, note: "only a failed row (账户已销户), no retry")
            }
            // R11: paid outside the term window.
            if let i = grantee(allSchools) {
                let day = k % 2 == 0 ? term.windowEnd + 4 : term.windowStart - 5
                population.effects[i]?.ledger = [LedgerRow(day: day, amount: amount(i), success: true)]
                record("R11", .reconcile, student: i, kinds: reconcile,
                       note: "paid \(iso(day)), window \(iso(term.windowStart))..\(iso(term.windowEnd))")
            }
            // R12: approved tier and amount disagree, or the amount is no tier.
            if let i = grantee(allSchools) {
                let (tier, fen): (UInt8, Int64) = k % 2 == 0 ? (2, 125_000) : (1, 150_000)
                population.effects[i]?.approvedGrant = [GrantRow(tier: tier, amount: fen, approval: Approval.approved,
                                                                applied: population.students[i].applied)]
                record("R12", .reconcile, student: i, kinds: [.approved, .ledger],
                       note: "approved \(Reference.tierNames[Int(tier) - 1]) with \(yuan(fen)) (paid as approved)")
            }
            // R13: approved and paid, in no roster.
            let school = allSchools[random.below(allSchools.count)]
            let ghost = population.addGhost(school: school)
            population.students[ghost].planted = true
            population.students[ghost].hardship = Reference.hardshipGeneral
            population.students[ghost].tier = 2
            population.students[ghost].approval = Approval.approved
            population.students[ghost].payFails = false
            population.effects[ghost] = Effects(noSchoolApplications: true)
            record("R13", .reconcile, student: ghost, kinds: [.approved, .ledger],
                   note: "approved and paid, absent from the roster")
        }
        // R14: one school's allocation is below what it paid (set when allocations are written).
        population.overspentSchool = allSchools[random.below(allSchools.count)]
        record("R14", .reconcile, student: nil, school: population.overspentSchool, kinds: .allocations,
               note: "allocation set about 20 % below the school's total paid")
    }

    // MARK: submit (S01–S11)

    private mutating func plantSubmit() {
        let n = perCode
        let submit = FileKinds.submit
        for k in 0..<n {
            // S01: registered twice in one school (second row with another number and id spelling).
            if let i = pick(errorSchools) {
                let school = Int(population.students[i].school)
                let serial = Int32(population.schools[school].count + 1 + k)
                let number = record("S01", .submit, student: i, kinds: .schoolRoster,
                                    note: "second roster row \(population.studentNo(i, serial: serial)) with the same id")
                population.extraRoster[school].append(ExtraRosterRow(
                    student: i, serial: serial, status: Status.enrolled, change: 0, recorded: 0,
                    idStyle: k % 2 == 0 ? .formula : .apostrophe, record: number))
            }
            // S02: special hardship, grade 1–2, no application or only 退回.
            if let i = pick(allSchools, { $0.grade <= 2 }) {
                population.students[i].hardship = UInt8(k % 7)
                if k % 2 == 0 {
                    population.students[i].tier = 0
                    record("S02", .submit, student: i, kinds: submit,
                           note: "\(Reference.hardshipTypes[k % 7]), grade \(population.students[i].grade), no 国家助学金 application")
                } else {
                    population.students[i].tier = 1
                    population.students[i].approval = Approval.returned
                    record("S02", .submit, student: i, kinds: submit,
                           note: "\(Reference.hardshipTypes[k % 7]), only application 退回")
                }
            }
            // S03: applicant absent from the roster, or not enrolled.
            if k % 2 == 0 {
                let school = errorSchools[random.below(errorSchools.count)]
                let ghost = population.addGhost(school: school)
                population.students[ghost].planted = true
                population.students[ghost].hardship = Reference.hardshipGeneral
                population.students[ghost].tier = 2
                population.students[ghost].approval = Approval.pending
                let row = GrantRow(tier: 2, amount: 100_000, approval: Approval.pending,
                                   applied: population.students[ghost].applied)
                population.effects[ghost] = Effects(schoolGrant: [row], approvedGrant: [], ledger: [])
                record("S03", .submit, student: ghost, kinds: .schoolApplications,
                       note: "applies for 国家助学金, absent from the roster")
            } else if let i = pick(errorSchools, { $0.grade <= 2 }) {
                let change = term.start + 10
                population.students[i].status = Status.withdrawn
                population.students[i].change = change
                population.students[i].recorded = change + 1
                population.students[i].financeStatus = Status.withdrawn
                population.students[i].financeChange = change
                population.students[i].financeRecorded = change + 1
                population.students[i].hardship = Reference.hardshipGeneral
                population.effects[i]?.schoolGrant = [GrantRow(tier: 2, amount: 100_000, approval: Approval.pending,
                                                              applied: term.start + 15)]
                population.effects[i]?.approvedGrant = []
                record("S03", .submit, student: i, kinds: submit, note: "applies while 退学 since \(iso(change))")
            }
            // S04: part-time applicant.
            if let i = pick(errorSchools, { $0.grade <= 2 }) {
                population.students[i].fullTime = false
                population.students[i].hardship = Reference.hardshipGeneral
                population.effects[i]?.schoolGrant = [GrantRow(tier: 3, amount: 75_000, approval: Approval.pending,
                                                              applied: population.students[i].applied)]
                population.effects[i]?.approvedGrant = []
                record("S04", .submit, student: i, kinds: submit, note: "非全日制 student applies for 国家助学金")
            }
            // S05: registered after the deadline.
            if let i = pick(allSchools, { $0.grade == 1 }) {
                let day = term.registrationDeadline + 3 + Int32(4 * k)
                population.students[i].registered = day
                record("S05", .submit, student: i, kinds: .schoolRoster,
                       note: "registered \(iso(day)), deadline \(iso(term.registrationDeadline))")
            }
            // S06: applied after the deadline (so not yet approved).
            if let i = grantee(errorSchools, approval: Approval.pending) {
                let day = term.applicationDeadline + 6 + Int32(k)
                population.students[i].applied = day
                record("S06", .submit, student: i, kinds: .schoolApplications,
                       note: "applied \(iso(day)), deadline \(iso(term.applicationDeadline))")
            }
            // S07: status change recorded a month later.
            if let i = nonApplicant(allSchools) {
                let change = term.start + 5 + Int32(k)
                population.students[i].status = Status.suspended
                population.students[i].change = change
                population.students[i].recorded = change + 30 + Int32(k)
                population.students[i].financeStatus = Status.suspended
                population.students[i].financeChange = change
                population.students[i].financeRecorded = change + 30 + Int32(k)
                record("S07", .submit, student: i, kinds: .schoolRoster,
                       note: "休学 \(iso(change)), recorded \(iso(change + 30 + Int32(k)))")
            }
            // S08: campus in another city.
            if let i = pick(errorSchools) {
                let own = population.schools[Int(population.students[i].school)].city
                let other = (own + 1 + k) % Reference.schoolCities
                population.effects[i]?.campusCity = other
                record("S08", .submit, student: i, kinds: .schoolRoster,
                       note: "教学点所在地 \(Reference.cities[other].name), school in \(Reference.cities[own].name)")
            }
            // S09: stated gender or birth date disagrees with the id.
            if let i = pick(allSchools) {
                if k % 2 == 0 {
                    population.effects[i]?.statedMale = !population.students[i].male
                    record("S09", .submit, student: i, kinds: .schoolRoster,
                           note: "性别 \(population.students[i].male ? "女" : "男"), id says \(population.students[i].male ? "男" : "女")")
                } else {
                    let stated = population.students[i].birth + 31
                    population.effects[i]?.statedBirth = stated
                    record("S09", .submit, student: i, kinds: .schoolRoster,
                           note: "出生日期 \(iso(stated)), id says \(iso(population.students[i].birth))")
                }
            }
            // S10: two grant applications.
            if let i = grantee(errorSchools) {
                let first = defaultGrantOf(i)
                var second = first
                // Three days later, but never after the deadline (that would be an unplanted S06).
                second.applied = min(first.applied + 3, term.applicationDeadline)
                population.effects[i]?.schoolGrant = [first, second]
                record("S10", .submit, student: i, kinds: .schoolApplications, note: "two 国家助学金 rows in the term")
            }
            // S11: tier and amount disagree on the application.
            if let i = grantee(errorSchools) {
                let (tier, fen): (UInt8, Int64) = k % 2 == 0 ? (2, 125_000) : (1, 150_000)
                population.effects[i]?.schoolGrant = [GrantRow(tier: tier, amount: fen, approval: Approval.approved,
                                                              applied: population.students[i].applied)]
                record("S11", .submit, student: i, kinds: .schoolApplications,
                       note: "applies \(Reference.tierNames[Int(tier) - 1]) with \(yuan(fen))")
            }
        }
    }

    private func defaultGrantOf(_ index: Int) -> GrantRow {
        population.defaultGrant(population.students[index])
    }

    // MARK: merge (M01, M03)

    private mutating func plantMerge() {
        guard schoolCount >= 2, let i = nonApplicant([0]) else { return }
        let other = 1
        let serial = Int32(population.schools[other].count + 50)
        let number = record("M01", .merge, student: i, kinds: .schoolRoster,
                            note: "在籍 in \(population.schools[0].code) and in \(population.schools[other].code) (as \(population.studentNo(i, serial: serial)))")
        population.extraRoster[other].append(ExtraRosterRow(
            student: i, serial: serial, status: Status.enrolled, change: 0, recorded: 0, idStyle: .plain,
            record: number))
        record("M03", .merge, student: nil, school: nil, kinds: .schools,
               note: "\(population.missingSchool.code) \(population.missingSchool.name) is on schools.csv and sent nothing")
    }

    // MARK: rejects

    private mutating func plantRejects() {
        let school = errorSchools[errorSchools.count - 1]
        population.rejectSchool = school
        population.schools[school].totalRow = .none
        let rosterCases: [(RosterReject, String)] = [
            (.scientificId, "id written by Excel as 3.70102E+17 (digits lost)"),
            (.badCheckCharacter, "id check character wrong"),
            (.emptyStatus, "学籍状态 (required) empty"),
            (.impossibleDate, "注册日期 is 02-30, no date"),
        ]
        for (kind, note) in rosterCases {
            // No applications: a rejected roster row would otherwise turn its 免学费 row into S03.
            guard let i = nonApplicant([school]) else { continue }
            population.effects[i]?.noSchoolApplications = true
            let tag = record("REJECT", .validate, student: i, kinds: .schoolRoster, note: note, rowTagged: true) + 1
            population.effects[i]?.rosterReject = kind
            population.effects[i]?.rosterRejectTag = tag
        }
        let tuitionCases: [(TuitionReject, String)] = [
            (.amountPrecision, "免学费 amount 12.345 (three decimals)"),
            (.emptyApproval, "免学费 审批状态 (required) empty"),
        ]
        for (kind, note) in tuitionCases {
            guard let i = nonApplicant([school]) else { continue }
            let tag = record("REJECT", .validate, student: i, kinds: .schoolApplications, note: note, rowTagged: true) + 1
            population.effects[i]?.tuitionReject = kind
            population.effects[i]?.tuitionRejectTag = tag
        }
        // Approved list: a 待审批 row with an amount that is no money (nobody pays it).
        if let i = grantee(allSchools, approval: Approval.pending) {
            let tag = record("REJECT", .validate, student: i, kinds: .approved,
                             note: "approved-list amount 12.345 (three decimals)", rowTagged: true) + 1
            population.effects[i]?.approvedGrant = [GrantRow(tier: 2, amount: 100_000, approval: Approval.pending,
                                                            applied: population.students[i].applied,
                                                            amountText: "12.345", tag: tag)]
        }
        // Ledger: an extra row with an impossible pay date next to the real payment.
        if let i = grantee(idBankSchools) {
            let tag = record("REJECT", .validate, student: i, kinds: .ledger,
                             note: "extra bank row with pay date \(term.year)-02-30; the real payment row is clean",
                             rowTagged: true) + 1
            population.effects[i]?.ledger = [
                LedgerRow(day: payDay(i), amount: amount(i), success: true),
                LedgerRow(day: payDay(i), amount: amount(i), success: false, failReason: 2,
                          dateText: "\(term.year)-02-30", tag: tag),
            ]
        }
    }

    // MARK: near-misses (must NOT be reported)

    private mutating func plantNearMisses() {
        // R10: a failed payment followed by a successful retry (in the 农业银行 zip when there is
        // one, so that its retry-run entry is never empty).
        let abcSchools = allSchools.filter { population.schools[$0].bank == Bank.abc }
        if let i = grantee(abcSchools.isEmpty ? allSchools : abcSchools) {
            population.students[i].payFails = true
            population.students[i].retryDay = payDay(i) + 15
            record("NEAR", .reconcile, student: i, kinds: FileKinds.reconcile,
                   note: "R10/R04: failed \(iso(payDay(i))), paid on retry \(iso(payDay(i) + 15)); one payment")
        }
        // R03/R04: a split payment summing to the approved amount.
        if let i = grantee(allSchools, tier: 1) {
            population.effects[i]?.ledger = [
                LedgerRow(day: payDay(i), amount: 62_500, success: true),
                LedgerRow(day: payDay(i) + 7, amount: 62_500, success: true),
            ]
            record("NEAR", .reconcile, student: i, kinds: FileKinds.reconcile,
                   note: "R03/R04: paid 625.00 + 625.00 = approved 1250.00")
        }
        // R07: 休学 the day after the payment.
        if let i = grantee(allSchools) {
            population.students[i].financeStatus = Status.suspended
            population.students[i].financeChange = payDay(i) + 1
            population.students[i].financeRecorded = payDay(i) + 3
            record("NEAR", .reconcile, student: i, kinds: FileKinds.reconcile,
                   note: "R07: 休学 \(iso(payDay(i) + 1)), the day after the payment")
        }
        // S03/R07: a 复学 student counts as enrolled: applies, approved, paid.
        if let i = grantee(allSchools) {
            let change = term.start - 7
            for (status, at, rec) in [(\Student.status, \Student.change, \Student.recorded),
                                      (\Student.financeStatus, \Student.financeChange, \Student.financeRecorded)] {
                population.students[i][keyPath: status] = Status.resumed
                population.students[i][keyPath: at] = change
                population.students[i][keyPath: rec] = change + 2
            }
            record("NEAR", .submit, student: i, kinds: [.schoolRoster, .schoolApplications, .approved, .ledger, .financeRoster],
                   note: "S03/R07: 复学 \(iso(change)) counts as enrolled; applies, approved and paid")
        }
        // S02: grade-3 special-hardship student without a grant application.
        if let i = pick(allSchools, { $0.grade == 3 }) {
            population.students[i].hardship = 0
            population.students[i].tier = 0
            record("NEAR", .submit, student: i, kinds: .schoolRoster,
                   note: "S02: 原建档立卡 in grade 3, no grant application (grades 1–2 only)")
        }
        // S02: part-time special-hardship student without a grant application.
        if let i = pick(allSchools, { $0.grade <= 2 }) {
            population.students[i].hardship = 3
            population.students[i].tier = 0
            population.students[i].fullTime = false
            record("NEAR", .submit, student: i, kinds: .schoolRoster,
                   note: "S02: 孤儿 but 非全日制, no grant application (full-time only)")
        }
        // R11: paid on the first and the last day of the window.
        for day in [term.windowEnd, term.windowStart] {
            if let i = grantee(allSchools) {
                population.effects[i]?.ledger = [LedgerRow(day: day, amount: amount(i), success: true)]
                record("NEAR", .reconcile, student: i, kinds: .ledger, note: "R11: paid \(iso(day)), inside the window")
            }
        }
        // S05 / S06: on the deadline day itself.
        if let i = pick(allSchools, { $0.grade == 1 }) {
            population.students[i].registered = term.registrationDeadline
            record("NEAR", .submit, student: i, kinds: .schoolRoster,
                   note: "S05: registered on the deadline \(iso(term.registrationDeadline))")
        }
        if let i = grantee(allSchools) {
            population.students[i].applied = term.applicationDeadline
            record("NEAR", .submit, student: i, kinds: .schoolApplications,
                   note: "S06: applied on the deadline \(iso(term.applicationDeadline))")
        }
        // S07: exactly 10 working days (across 国庆 in 2023), where the calendar is certain.
        let change: Int32? = term.fall
            ? (term.year == 2023 ? Day.make(2023, 9, 27) : nil)
            : (term.start ... term.start + 6).first { Day.weekday($0) == 1 }
        if let change, let recorded = WorkingDays.day(after: change, workingDays: 10),
           recorded <= term.schoolSnapshot, let i = nonApplicant(allSchools) {
            for (status, at, rec) in [(\Student.status, \Student.change, \Student.recorded),
                                      (\Student.financeStatus, \Student.financeChange, \Student.financeRecorded)] {
                population.students[i][keyPath: status] = Status.suspended
                population.students[i][keyPath: at] = change
                population.students[i][keyPath: rec] = recorded
            }
            record("NEAR", .submit, student: i, kinds: .schoolRoster,
                   note: "S07: 休学 \(iso(change)), recorded \(iso(recorded)): exactly 10 working days")
        }
        // S08: campus given as a district code of the school's own city.
        if let i = pick(allSchools) {
            population.effects[i]?.campusAsDistrict = true
            record("NEAR", .submit, student: i, kinds: .schoolRoster,
                   note: "S08: 教学点所在地 is a district code of the school's own city")
        }
        // S09: birth date written as an Excel serial number, still equal to the id's.
        if let i = pick(allSchools) {
            population.effects[i]?.statedBirth = population.students[i].birth
            record("NEAR", .submit, student: i, kinds: .schoolRoster,
                   note: "S09: 出生日期 as Excel serial \(Day.excelSerial(population.students[i].birth)) = id's birth date")
        }
        // M01: transferred out of one school (转学) and 在籍 in another.
        if schoolCount >= 2, let i = nonApplicant([1]) {
            let change = term.start + 12
            let serial = Int32(population.schools[0].count + 60)
            let number = record("NEAR", .merge, student: i, kinds: .schoolRoster,
                                note: "M01: 转学 out of \(population.schools[0].code) on \(iso(change)), 在籍 in \(population.schools[1].code)")
            population.extraRoster[0].append(ExtraRosterRow(
                student: i, serial: serial, status: Status.transferred, change: change, recorded: change + 2,
                idStyle: .plain, record: number))
        }
        // R05: the same name with another separator dot / an inner space in the bank file.
        if let i = grantee(allSchools) {
            population.students[i].nameKind = 1
            population.students[i].given1 = UInt16(random.below(Reference.dottedNames.count))
            population.effects[i]?.ledger = [LedgerRow(day: payDay(i), amount: amount(i), success: true, nameVariant: true)]
            record("NEAR", .reconcile, student: i, kinds: [.ledger, .approved],
                   note: "R05: 户名 written with another separator dot; normalizes to \(population.canonicalName(i))")
        }
        // A masked account (621284*********nnnn) in the bank file without ids: matched to the
        // approved card by prefix, suffix and length. The card gets a BIN nobody else has, so the
        // match is unambiguous however many students there are.
        for k in 0..<2 {
            if let i = grantee(ccbSchools) {
                let account = population.account(for: population.students.count + 2000 + k, bank: Bank.ccb,
                                                 channel: Channel.fundCard)
                let payload = (Bank.maskedCardBIN * 1_000_000_000_000 + account / 10 % 1_000_000_000_000)
                population.students[i].account = payload * 10 + Digits.luhnDigit(payload)
                population.students[i].channel = Channel.fundCard
                population.effects[i]?.ledger = [LedgerRow(day: payDay(i), amount: amount(i), success: true,
                                                          maskedAccount: true)]
                record("NEAR", .reconcile, student: i, kinds: [.ledger, .approved],
                       note: "R01/R02: account masked as \(Bank.maskedCardBIN)*********nnnn in the file without ids; matches the approved card by prefix, suffix and length (unique)")
            }
        }
        // Ledger id in scientific notation: a warning there, and the row is matched by account.
        if let i = grantee(idBankSchools) {
            population.effects[i]?.ledger = [LedgerRow(day: payDay(i), amount: amount(i), success: true, scientificId: true)]
            record("NEAR", .reconcile, student: i, kinds: .ledger,
                   note: "R01/R02: bank row id 3.7…E+17 is a warning; matched by account")
        }
        // The export also holds a row of the previous term for this student: not this term's.
        if let i = grantee(allSchools) {
            population.effects[i]?.previousTermRow = true
            record("NEAR", .reconcile, student: i, kinds: [.approved, .ledger],
                   note: "R04/R12: the approved list also has a \(term.previous.canonical) row; only this term's approval counts")
        }
        // A 15-digit id in the school roster that upgrades to the 18-digit id used elsewhere.
        for k in 0..<2 {
            if let i = grantee(allSchools) {
                population.reassignId(i, birth: Day.make(1997 + k, 3 + 4 * k, 11 + k))
                population.effects[i]?.idStyle = .fifteen
                record("NEAR", .submit, student: i, kinds: [.schoolRoster],
                       note: "15-digit id in the roster; upgrades to \(population.idText(i)) used in every other file")
            }
        }
        // 合计 row that disagrees with the column sum (a file warning, not a finding).
        if schoolCount >= 2 {
            let school = 1
            population.schools[school].totalRow = .wrong
            record("TOTAL_MISMATCH", .validate, student: nil, school: school, kinds: [],
                   note: "\(population.schools[school].applicationsPath): 合计 amount is 1000.00 more than the rows sum to")
        }
    }
}
