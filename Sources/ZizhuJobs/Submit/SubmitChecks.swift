import ZizhuCore
import ZizhuSchema

/// The S-code checks of one submission, over rows already validated and normalized.
struct SubmitChecks {
    let settings: SubmitSettings
    let roster: [SubmitRosterRow]
    let applications: [SubmitApplicationRow]
    let sourceNames: [String]
    let termName: String
    /// The words of the detail column and the notes, in the run's language.
    var say: Language { settings.language }

    var findings: [Discrepancy] = []
    var notes: [String] = []
    var otherTermRows = 0

    /// Roster rows per id, in (file, line) order.
    private var rosterByID: [String: [Int]] = [:]
    /// This term's application rows per id, in (file, line) order.
    private var applicationsByID: [String: [Int]] = [:]
    /// Indexes of this term's application rows.
    private var termApplications: [Int] = []

    init(settings: SubmitSettings, roster: [SubmitRosterRow], applications: [SubmitApplicationRow], sourceNames: [String],
         rosterFields: [String], applicationFields: [String]) {
        self.settings = settings
        rosterSchoolIndex = rosterFields.firstIndex(of: "school_code")
        rosterSchoolNameIndex = rosterFields.firstIndex(of: "school_name")
        rosterSortKeys = ["id_number", "student_no"].compactMap { rosterFields.firstIndex(of: $0) }
        applicationTermIndex = applicationFields.firstIndex(of: "term")
        applicationSchoolIndex = applicationFields.firstIndex(of: "school_code")
        applicationSortKeys = ["id_number", "aid_type", "applied_date"].compactMap { applicationFields.firstIndex(of: $0) }
        self.roster = roster.sorted { $0.at < $1.at }
        self.applications = applications.sorted { $0.at < $1.at }
        self.sourceNames = sourceNames
        termName = settings.term.canonical
    }

    mutating func run() throws {
        for (i, row) in roster.enumerated() where !row.id.isEmpty { rosterByID[row.id, default: []].append(i) }
        for (i, row) in applications.enumerated() {
            if let term = row.term, term != settings.term {
                otherTermRows += 1
                continue
            }
            termApplications.append(i)
            if !row.id.isEmpty { applicationsByID[row.id, default: []].append(i) }
        }
        if otherTermRows > 0 {
            notes.append(say("note.submit.otherTerm", ["rows": "\(otherTermRows)", "term": termName]))
        }
        checkSchoolCodes()
        checkRoster()
        try checkStatusChanges()
        checkApplicants()
        checkApplications()
    }

    // MARK: school (S12)

    /// S12: roster and this term's application rows that name another school code than the
    /// submitting school's — another school's data in this package. One finding per student (by
    /// id; a row without an id is its own student), naming every such row. An empty code is the
    /// submitting school's (the package fills it in). Codes are compared as the normalizer leaves
    /// them (full-width folded, trimmed) and without regard to ASCII case: `3701j001` is `3701J001`.
    /// Application rows of another term are not in the package and not checked.
    private mutating func checkSchoolCodes() {
        let own = Self.schoolKey(settings.schoolCode)
        func isOther(_ code: String) -> Bool { !code.isEmpty && Self.schoolKey(code) != own }
        var order: [String] = []
        var rows: [String: (roster: [Int], applications: [Int], codes: [String])] = [:]
        func note(_ key: String, _ code: String, roster r: Int? = nil, application a: Int? = nil) {
            if rows[key] == nil { order.append(key); rows[key] = ([], [], []) }
            if let r { rows[key]?.roster.append(r) }
            if let a { rows[key]?.applications.append(a) }
            if rows[key]?.codes.contains(code) == false { rows[key]?.codes.append(code) }
        }
        for (i, row) in roster.enumerated() where isOther(row.schoolCode) {
            note(row.id.isEmpty ? "roster \(i)" : row.id, row.schoolCode, roster: i)
        }
        for i in termApplications where isOther(applications[i].schoolCode) {
            let app = applications[i]
            note(app.id.isEmpty ? "application \(i)" : app.id, app.schoolCode, application: i)
        }
        for key in order {
            guard let student = rows[key] else { continue }
            let codes = student.codes.sorted()
            add("S12", roster: student.roster, applications: student.applications, expected: settings.schoolCode,
                actual: codes.joined(separator: ", "),
                detail: say("detail.S12", ["codes": codes.joined(separator: ", "), "school": settings.schoolCode]))
            // Listed under the submitting school, whose package it is (the other school is `actual`).
            findings[findings.count - 1].schoolCode = settings.schoolCode
        }
    }

    /// A school code as S12 compares it.
    static func schoolKey(_ code: String) -> String {
        TextNormalizer.normalize(code, mode: .compact).uppercased()
    }

    // MARK: roster checks (S02, S05, S08)

    private mutating func checkRoster() {
        let schoolCity = settings.schoolCity
        if schoolCity == nil {
            notes.append(say("note.submit.noCity"))
        }
        var seen = Set<String>()
        for (i, row) in roster.enumerated() {
            // S05: registered after the term's registration deadline.
            if let registered = row.registered, registered > settings.registrationDeadline {
                add("S05", roster: [i], expected: "≤ \(settings.registrationDeadline.iso)", actual: registered.iso,
                    detail: say("detail.S05", ["date": registered.iso, "term": termName, "deadline": settings.registrationDeadline.iso]))
            }
            // S08: campus in another prefecture-level city (codes differ in their first four digits;
            // a 直辖市 is one city, a 省直辖县级市 its own: `Region.cityCode`).
            if let schoolCity, let campus = row.campusCity, !RegionTable.shared.sameCity(Int(campus), Int(schoolCity)) {
                let city = Int32(Region.cityCode(of: Int(schoolCity)))
                let campusName = RegionTable.shared.region(code: Int(campus))?.name ?? CanonicalCells.regionText(campus)
                let schoolName = RegionTable.shared.region(code: Int(city))?.name ?? CanonicalCells.regionText(schoolCity)
                add("S08", roster: [i], expected: CanonicalCells.regionText(city), actual: CanonicalCells.regionText(campus),
                    detail: say("detail.S08", ["campus": campusName, "city": schoolName]))
            }
            // S02: special hardship, full-time, enrolled, grade 1–2, no grant application not 退回.
            guard !row.id.isEmpty, seen.insert(row.id).inserted else { continue }
            // With two rows for one id (S01), the enrolled one describes the student.
            let row = (rosterByID[row.id] ?? [i]).first { roster[$0].enrolled }.map { roster[$0] } ?? row
            guard settings.specialHardship.contains(row.hardship), row.fullTime == true, row.enrolled,
                  let grade = row.grade, settings.hardshipGrades.contains(grade) else { continue }
            let own = applicationsByID[row.id] ?? []
            let grants = own.filter { applications[$0].isGrant }
            if grants.allSatisfy({ applications[$0].returned }) {
                add("S02", roster: rosterByID[row.id] ?? [i], applications: own, expected: "国家助学金 application",
                    actual: grants.isEmpty ? "none" : "退回 only",
                    detail: say(grants.isEmpty ? "detail.S02.none" : "detail.S02.returned", ["hardship": row.hardship, "grade": "\(grade)"]))
            }
        }
    }

    /// S07: a status change recorded more than N working days after it happened.
    private mutating func checkStatusChanges() throws {
        let limit = settings.statusChangeWorkingDays
        for (i, row) in roster.enumerated() {
            guard let change = row.changeDate, let recorded = row.recordedDate, recorded > change else { continue }
            // Cheap bound first: within `limit` calendar days cannot be more than `limit` working days.
            if change.days(to: recorded) <= limit { continue }
            let days: Int
            do {
                days = try settings.calendar.workingDays(after: change, through: recorded)
            } catch let error as ValueError {
                throw ZizhuError(.configuration, Message("submit.calendar", ["source": "\(source(row.at))", "change": change.iso, "recorded": recorded.iso],
                                                         parts: ["message": error.messageWords]),
                                 hint: error.hintMessage ?? Message("submit.calendar.hint"))
            }
            guard days > limit else { continue }
            add("S07", roster: [i], expected: "≤ \(limit) working days", actual: "\(days) working days",
                detail: say("detail.S07", ["status": row.status.isEmpty ? "异动" : row.status, "date": change.iso, "recorded": recorded.iso,
                                           "days": "\(days)", "limit": "\(limit)"]))
        }
    }

    // MARK: application checks

    /// S03 and S04, per applicant: absent from the roster or not enrolled; part-time.
    private mutating func checkApplicants() {
        var done = Set<String>()
        for i in termApplications {
            let app = applications[i]
            guard !app.returned, !app.id.isEmpty, done.insert(app.id).inserted else { continue }
            let own = (applicationsByID[app.id] ?? [i]).filter { !applications[$0].returned }
            let aid = Set(own.map { applications[$0].aidType }).sorted().joined(separator: ", ")
            guard let rows = rosterByID[app.id] else {
                add("S03", applications: own, expected: "in the roster", actual: "absent",
                    detail: say("detail.S03.absent", ["aid": aid]))
                continue
            }
            let enrolled = rows.filter { roster[$0].enrolled }
            if enrolled.isEmpty {
                let row = roster[rows[0]]
                let since = row.changeDate.map { say("detail.S03.since", ["date": $0.iso]) } ?? ""
                add("S03", roster: rows, applications: own, expected: "在籍 or 复学", actual: row.status,
                    detail: say("detail.S03.notEnrolled", ["aid": aid, "status": row.status.isEmpty ? say("detail.S03.notEnrolledStatus") : row.status,
                                                           "since": since]))
                continue
            }
            if enrolled.allSatisfy({ roster[$0].fullTime == false }) {
                add("S04", roster: enrolled, applications: own, expected: "全日制", actual: "非全日制",
                    detail: say("detail.S04", ["aid": aid]))
            }
        }
    }

    /// S06, S10, S11, per student over their applications of the term (退回 rows excepted).
    private mutating func checkApplications() {
        let tierListing = settings.tiers.sorted { ($1.value.value, $0.key) < ($0.value.value, $1.key) }
            .map { "\($0.key) \($0.value.yuan)" }.joined(separator: " / ")
        let amounts = Set(settings.tiers.values.map(\.value))
        var done = Set<String>()
        for i in termApplications {
            let first = applications[i]
            guard !first.id.isEmpty, done.insert(first.id).inserted else { continue }
            let own = (applicationsByID[first.id] ?? [i]).filter { !applications[$0].returned }
            guard !own.isEmpty else { continue }
            // S06: applied after the deadline.
            let late = own.filter { (applications[$0].applied ?? settings.applicationDeadline) > settings.applicationDeadline }
            if !late.isEmpty {
                let dates = late.compactMap { applications[$0].applied?.iso }
                add("S06", applications: late, expected: "≤ \(settings.applicationDeadline.iso)", actual: dates.joined(separator: ", "),
                    detail: say("detail.S06", ["dates": dates.joined(separator: ", "), "term": termName, "deadline": settings.applicationDeadline.iso]))
            }
            // S10: two or more applications for one aid type.
            var byAid: [String: [Int]] = [:]
            for j in own { byAid[applications[j].aidType, default: []].append(j) }
            let twice = byAid.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
            if !twice.isEmpty {
                add("S10", applications: twice.flatMap(\.value).sorted(), expected: "one application per aid type",
                    actual: twice.map { "\($0.key) × \($0.value.count)" }.joined(separator: ", "),
                    detail: twice.map { say("detail.S10", ["count": "\($0.value.count)", "aid": $0.key, "term": termName]) }.joined(separator: "; "))
            }
            // S11: a grant application whose tier or amount is not a configured one, or they disagree.
            var bad: [Int] = []
            var actual: [String] = []
            var details: [String] = []
            for j in own where applications[j].isGrant {
                let app = applications[j]
                let amount = app.amount?.yuan ?? "(no amount)"
                if !app.tier.isEmpty {
                    guard let configured = settings.tiers[app.tier] else {
                        bad.append(j); actual.append("\(app.tier) \(amount)")
                        details.append(say("detail.S11.unknownTier", ["tier": app.tier, "term": termName]))
                        continue
                    }
                    if let fen = app.amount, fen != configured {
                        bad.append(j); actual.append("\(app.tier) \(amount)")
                        details.append(say("detail.S11.wrongAmount", ["tier": app.tier, "configured": configured.yuan, "amount": amount]))
                    }
                } else if let fen = app.amount, !amounts.contains(fen.value) {
                    bad.append(j); actual.append(amount)
                    details.append(say("detail.S11.noTier", ["amount": amount]))
                }
            }
            if !bad.isEmpty {
                add("S11", applications: bad, expected: tierListing, actual: actual.joined(separator: ", "),
                    detail: say("detail.S11", ["problems": details.joined(separator: "; "), "tiers": tierListing]))
            }
        }
    }

    // MARK: package rows

    /// Roster rows for the package (school code and name filled in where empty), sorted by id,
    /// student number, then the whole row.
    func packageRoster(schoolName: String) -> [[String]] {
        roster.map { row in
            var cells = row.cells
            let own = row.schoolCode.isEmpty || row.schoolCode == settings.schoolCode
            if let i = rosterSchoolIndex, cells[i].isEmpty { cells[i] = settings.schoolCode }
            if own, let i = rosterSchoolNameIndex, cells[i].isEmpty { cells[i] = schoolName }
            return cells
        }.sorted { Self.rowOrder($0, $1, keys: rosterSortKeys) }
    }

    /// This term's application rows, term filled in, sorted by id, aid type, then the whole row.
    func packageApplications() -> [[String]] {
        termApplications.map { i in
            var cells = applications[i].cells
            if let t = applicationTermIndex, cells[t].isEmpty { cells[t] = termName }
            if let s = applicationSchoolIndex, cells[s].isEmpty { cells[s] = settings.schoolCode }
            return cells
        }.sorted { Self.rowOrder($0, $1, keys: applicationSortKeys) }
    }

    let rosterSchoolIndex: Int?
    let rosterSchoolNameIndex: Int?
    let rosterSortKeys: [Int]
    let applicationTermIndex: Int?
    let applicationSchoolIndex: Int?
    let applicationSortKeys: [Int]

    /// Compares rows on `keys` first, then on every cell: a total order, so the package does
    /// not depend on the input's row order.
    static func rowOrder(_ a: [String], _ b: [String], keys: [Int]) -> Bool {
        for k in keys where a[k] != b[k] { return a[k] < b[k] }
        for k in a.indices where a[k] != b[k] { return a[k] < b[k] }
        return false
    }

    /// The school's name: the pipeline's, else the most common 学校名称 on the roster, else on the
    /// applications (`fallback`), else the code.
    func schoolName(fallback: [String: Int] = [:]) -> String {
        if let name = settings.schoolName, !name.isEmpty { return name }
        var counts: [String: Int] = [:]
        for row in roster where !row.schoolName.isEmpty && (row.schoolCode.isEmpty || row.schoolCode == settings.schoolCode) {
            counts[row.schoolName, default: 0] += 1
        }
        if counts.isEmpty { counts = fallback }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? settings.schoolCode
    }

    // MARK: findings

    func source(_ at: SourceLine) -> String {
        let name = at.source < sourceNames.count ? sourceNames[at.source] : "input \(at.source)"
        return "\(name):\(at.line)"
    }

    /// Adds one finding for a student, described from their roster row (else application row).
    private mutating func add(_ code: String, roster rosterRows: [Int] = [], applications appRows: [Int] = [],
                              expected: String, actual: String, detail: String) {
        var sources = rosterRows.map { roster[$0].at } + appRows.map { applications[$0].at }
        sources.sort()
        var finding = Discrepancy(code: code, term: termName, schoolCode: settings.schoolCode,
                                  expected: expected, actual: actual, detail: detail,
                                  sources: sources.map(source))
        if let r = rosterRows.first.map({ roster[$0] }) {
            finding.studentNo = r.studentNo
            finding.name = r.name
            finding.idNumber = r.id
            if !r.schoolCode.isEmpty { finding.schoolCode = r.schoolCode }
        }
        if let a = appRows.first.map({ applications[$0] }) {
            if finding.studentNo.isEmpty { finding.studentNo = a.studentNo }
            if finding.name.isEmpty { finding.name = a.name }
            if finding.idNumber.isEmpty { finding.idNumber = a.id }
            if rosterRows.isEmpty, !a.schoolCode.isEmpty { finding.schoolCode = a.schoolCode }
        }
        findings.append(finding)
    }
}
