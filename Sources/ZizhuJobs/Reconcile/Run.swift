import ZizhuCore

extension Reconciler {
    /// How a bank row was tied to a student (contract §6, issue 3): by id number, else by the
    /// full account against the approved card, else by masked account + name + amount.
    enum MatchMethod: UInt8, Sendable {
        case none = 0, id, account, masked

        var name: String {
            switch self {
            case .none: return ""
            case .id: return "id"
            case .account: return "account"
            case .masked: return "masked"
            }
        }
    }

    /// What became of a bank row once reversals were applied.
    enum RowState: UInt8, Sendable {
        case normal = 0
        /// A payment a later reversal took back.
        case cancelled
        /// A reversal that took back a payment.
        case reversing
        /// A reversal that found no payment to take back (a note).
        case orphan
    }

    /// Per approved student, what the payout ledger needs once the findings are made.
    struct StudentSummary: Sendable {
        var paid: Int64 = 0
        /// The last payment not reversed (ledger row index); -1 when none.
        var lastPaid: Int32 = -1
        var status: LedgerStatus = .unpaid
        var methods: UInt8 = 0
    }

    /// 发放台账 status of an approved student.
    enum LedgerStatus: UInt8, Sendable {
        case paid, unpaid, failed, amountMismatch, duplicate

        var name: String {
            switch self {
            case .paid: return "已发放"
            case .unpaid: return "未发放"
            case .failed: return "发放失败"
            case .amountMismatch: return "金额不符"
            case .duplicate: return "重复发放"
            }
        }
    }

    /// One reconcile run over everything added: owns the inputs, sorts them in (file, line)
    /// order, matches, decides the findings and builds the outputs.
    ///
    /// Students are numbered: `0 ..< approved.count` are the approved students (sorted by id),
    /// then `extras`, the people a bank row names by id who are not approved (R02 candidates).
    struct Run {
        var inputs: Inputs
        let settings: ReconcileSettings
        let sourceNames: [String]
        let termName: String

        var notes = NoteLog()
        var findings: [Discrepancy] = []
        var totals = ReconcileTotals()

        // Prepared inputs.
        var approvedByID = PackedIndex()
        /// Approved rows beyond the first for the same id (approved index → their refs).
        var approvedDuplicates: [Int32: [RowRef]] = [:]
        var cardIndex = PackedIndex()
        /// Cards on the approved rows of two or more students (card → approved indexes).
        var sharedCards: [UInt64: [Int32]] = [:]
        /// (bucket, approved index), sorted: the masked-account index.
        var maskedIndex: [(bucket: UInt32, student: Int32)] = []
        var rosterByID = PackedIndex()
        var othersByID = PackedIndex()

        // Matching.
        var extras: [UInt64] = []
        var extraByID = PackedIndex()
        var rowStudent: [Int32] = []
        var rowMethod: [MatchMethod] = []
        var rowState: [RowState] = []
        /// Bank rows per student (CSR): rows of student s are `rowList[rowStart[s] ..< rowStart[s + 1]]`,
        /// in (file, line) order.
        var rowStart: [Int32] = []
        var rowList: [Int32] = []
        var unmatchedRows: [Int32] = []
        /// Bank rows left unmatched because several approved students fitted.
        var tiedRows: Set<Int32> = []

        var summaries: [StudentSummary] = []
        /// Attributed school per student (0: none), for R14 and the settlement.
        var studentSchool: [UInt32] = []

        init(inputs: consuming Inputs, settings: ReconcileSettings, sourceNames: [String]) {
            self.inputs = inputs
            self.settings = settings
            self.sourceNames = sourceNames
            termName = settings.term.canonical
        }

        mutating func execute() -> ReconcileResult {
            prepareApproved()
            prepareRoster()
            prepareOthers()
            matchLedger()
            groupRows()
            applyReversals()
            evaluateStudents()
            findSharedAccounts()
            reportUnmatchedRows()
            let settlement = settle()
            countTotals()
            noteSkippedRows()
            let ledger = payoutLedger()
            findings.sort(by: Discrepancy.contractOrder)
            return ReconcileResult(findings: findings, ledger: ledger, settlement: settlement, totals: totals,
                                   notes: notes.finished())
        }

        // MARK: helpers shared by the steps

        var approvedCount: Int { inputs.approved.count }
        var studentCount: Int { inputs.approved.count + extras.count }

        func id(ofStudent s: Int) -> UInt64 {
            s < approvedCount ? inputs.approved[s].id : extras[s - approvedCount]
        }

        func rows(ofStudent s: Int) -> ArraySlice<Int32> {
            rowList[Int(rowStart[s])..<Int(rowStart[s + 1])]
        }

        /// `file:line` of a row.
        func source(_ ref: RowRef) -> String {
            let name = ref.source < sourceNames.count ? sourceNames[ref.source] : "#\(ref.source)"
            return "\(name):\(ref.line)"
        }

        func idString(_ packed: UInt64) -> String { ResidentID(packed: packed)?.string ?? "" }
        func maskedID(_ packed: UInt64) -> String { ResidentID(packed: packed)?.masked ?? "" }
        func text(_ span: TextSpan) -> String { inputs.arena.string(span) }
        func yuan(_ fen: Int64) -> String { Fen(fen).yuan }
        func date(_ days: Int32) -> String { CalendarDate(daysSinceEpoch: days).iso }

        /// Roster rows of an id, in (file, line) order.
        func rosterRows(_ id: UInt64) -> ArraySlice<RosterRecord> {
            guard let first = rosterByID.find(id) else { return [] }
            var end = Int(first)
            while end < inputs.roster.count, inputs.roster[end].id == id { end += 1 }
            return inputs.roster[Int(first)..<end]
        }

        /// The most telling non-approved application row of an id (this term's grant first).
        func otherApplication(_ id: UInt64) -> ApplicationRecord? {
            othersByID.find(id).map { inputs.others[Int($0)] }
        }

        /// The account of a bank row as reports show it (stars and the last four digits).
        func maskedAccount(ofRow row: LedgerRecord) -> String {
            if row.account != 0 { return AccountKey.masked(row.account) }
            if row.masked >= 0 { return inputs.maskedAccounts[Int(row.masked)].maskedText }
            return ""
        }

        /// Who a student is in reports: school, number and name from the approved row, else the
        /// student's other application row, else the roster, else (name only) the bank's account
        /// name. `nameForComparison` leaves out the bank's name (R05 compares with it).
        func display(student s: Int) -> (school: String, studentNo: String, name: String, nameForComparison: TextSpan) {
            let id = id(ofStudent: s)
            var school: UInt32 = 0
            var studentNo = TextSpan.empty
            var name = TextSpan.empty
            func fill(_ s: UInt32, _ n: TextSpan, _ nm: TextSpan) {
                if school == 0 { school = s }
                if studentNo.isEmpty { studentNo = n }
                if name.isEmpty { name = nm }
            }
            if s < approvedCount {
                let a = inputs.approved[s]
                fill(a.school, a.studentNo, a.name)
            } else if let o = otherApplication(id) {
                fill(o.school, o.studentNo, o.name)
            }
            for r in rosterRows(id) { fill(r.school, r.studentNo, r.name) }
            let comparison = name
            if name.isEmpty, let first = rows(ofStudent: s).first(where: { !inputs.ledger[Int($0)].name.isEmpty }) {
                name = inputs.ledger[Int(first)].name
            }
            return (inputs.schools[school], text(studentNo), text(name), comparison)
        }

        /// A finding about student `s`, pre-filled with who they are. `sources`: the approved
        /// row(s), `extra` rows (another application row), the bank `rows`, then `roster` rows.
        func finding(_ code: String, student s: Int, expected: String, actual: String, detail: String,
                     rows: [Int32] = [], extra: [RowRef] = [], roster: [RowRef] = []) -> Discrepancy {
            let who = display(student: s)
            var refs: [RowRef] = []
            if s < approvedCount {
                refs.append(inputs.approved[s].ref)
                refs += approvedDuplicates[Int32(s)] ?? []
            }
            refs += extra
            refs += rows.map { inputs.ledger[Int($0)].ref }.sorted()
            refs += roster
            return Discrepancy(code: code, term: termName, schoolCode: who.school, studentNo: who.studentNo,
                               name: who.name, idNumber: idString(id(ofStudent: s)), expected: expected, actual: actual,
                               detail: detail, sources: refs.map(source))
        }
    }

    /// Notes for people, in the order they were made, at most `cap` of each kind (then one line
    /// saying how many more there were).
    struct NoteLog: Sendable {
        private var lines: [String] = []
        private var counts: [String: Int] = [:]
        private var kinds: [String] = []
        static let cap = 20

        mutating func add(_ kind: String, _ line: String) {
            let n = counts[kind, default: 0]
            if n == 0 { kinds.append(kind) }
            counts[kind] = n + 1
            if n < Self.cap { lines.append(line) }
        }

        func finished() -> [String] {
            var all = lines
            for kind in kinds {
                let n = counts[kind, default: 0]
                if n > Self.cap { all.append("… and \(n - Self.cap) more \(kind) notes like the above") }
            }
            return all
        }
    }
}
