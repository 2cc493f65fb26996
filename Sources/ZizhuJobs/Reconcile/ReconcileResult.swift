import ZizhuCore

/// Everything a reconcile run found: the findings, the payout ledger (发放台账), the settlement
/// per school (结算) and the totals behind the summary.
///
/// Ids and account numbers are whole here: the writers mask them unless `--unmask`. `notes`
/// are for people and are already masked.
public struct ReconcileResult: Sendable {
    /// R01–R14, sorted with `Discrepancy.contractOrder`.
    public var findings: [Discrepancy]
    /// One row per approved student, sorted by school_code, student_no, id_number.
    public var ledger: [PayoutLedgerRow]
    public var settlement: Settlement
    public var totals: ReconcileTotals
    /// What a person should know that is no finding: a reversal that cancels nothing, a tie that
    /// left a bank row unmatched, a student approved twice. Masked; deterministic order.
    public var notes: [String]
    /// What makes the whole run doubtful: a term that matches no approved row, a bank ledger
    /// with no data rows. Printed as warnings.
    public var warnings: [Message] = []

    public init(findings: [Discrepancy], ledger: [PayoutLedgerRow], settlement: Settlement,
                totals: ReconcileTotals, notes: [String]) {
        self.findings = findings
        self.ledger = ledger
        self.settlement = settlement
        self.totals = totals
        self.notes = notes
    }
}

/// One row of the payout ledger (发放台账): an approved student, what was approved, what reached
/// them, and how their bank rows were matched.
///
/// `status` is one of 已发放 (paid as approved), 未发放 (no bank row), 发放失败 (bank rows, but
/// every payment failed or was reversed), 金额不符 (paid another amount: R03) and 重复发放
/// (paid twice, above the approved amount: R04). `matchedBy` joins the methods of the student's
/// bank rows with `+` (`id`, `account`, `masked`); empty when there are none. `account` is the
/// account of the last payment (as the bank wrote it, possibly masked), else the approved card.
public struct PayoutLedgerRow: Sendable, Codable, Hashable {
    public var schoolCode: String
    public var studentNo: String
    public var name: String
    public var idNumber: String
    public var tier: String
    public var approved: Fen
    /// Paid and not reversed.
    public var paid: Fen
    /// The last payment that was not reversed.
    public var payDate: CalendarDate?
    public var account: String
    public var status: String
    public var matchedBy: String
    /// `file:line` of the approved row(s), then the student's bank rows.
    public var sources: [String]

    public init(schoolCode: String, studentNo: String, name: String, idNumber: String, tier: String,
                approved: Fen, paid: Fen, payDate: CalendarDate?, account: String, status: String,
                matchedBy: String, sources: [String]) {
        self.schoolCode = schoolCode
        self.studentNo = studentNo
        self.name = name
        self.idNumber = idNumber
        self.tier = tier
        self.approved = approved
        self.paid = paid
        self.payDate = payDate
        self.account = account
        self.status = status
        self.matchedBy = matchedBy
        self.sources = sources
    }
}

/// Money per school (结算): allocated, paid, and what is left (结余).
///
/// Paid rows that no approved row or roster row ties to a school are totalled apart
/// (`unattributedPaid`, `unattributedRows`), never spread over the schools.
public struct Settlement: Sendable, Codable, Hashable {
    /// Sorted by school code.
    public var schools: [SchoolSettlement]
    public var unattributedPaid: Fen
    public var unattributedRows: Int

    public init(schools: [SchoolSettlement], unattributedPaid: Fen, unattributedRows: Int) {
        self.schools = schools
        self.unattributedPaid = unattributedPaid
        self.unattributedRows = unattributedRows
    }
}

/// One school's settlement line. `allocated` and `surplus` are nil when no allocation was given
/// for the school (or no allocations file at all); a negative surplus is an overspend (R14).
public struct SchoolSettlement: Sendable, Codable, Hashable {
    public var schoolCode: String
    public var allocated: Fen?
    public var paid: Fen
    public var surplus: Fen?

    public init(schoolCode: String, allocated: Fen?, paid: Fen, surplus: Fen?) {
        self.schoolCode = schoolCode
        self.allocated = allocated
        self.paid = paid
        self.surplus = surplus
    }
}

/// The run's counts and money totals, for `summary.json` and the report.
///
/// A "paid row" is a bank row with status 成功 (and a positive amount) that no reversal
/// cancelled; `paidAmount` is their sum. Matches count bank rows of every status.
public struct ReconcileTotals: Sendable, Codable, Hashable {
    /// Students with an approved 国家助学金 row for the term, and the sum of their approved amounts.
    public var approvedStudents = 0
    public var approvedAmount = Fen.zero
    /// Accepted bank rows handed to the run.
    public var ledgerRows = 0
    public var paidRows = 0
    public var paidAmount = Fen.zero
    public var failedRows = 0
    /// Reversal rows (冲正 / 退汇, or a negative amount), and how many of them cancelled a payment.
    public var reversalRows = 0
    public var cancelledPayments = 0
    /// Paid rows matched to no student (each one an R02), and their sum.
    public var unmatchedPaidRows = 0
    public var unmatchedPaidAmount = Fen.zero
    /// Bank rows matched by id number, by full account number against the approved card, and by
    /// masked account + name + amount.
    public var matchedById = 0
    public var matchedByAccount = 0
    public var matchedByMasked = 0
    /// Bank rows left unmatched because two or more approved students fitted equally.
    public var ambiguousRows = 0

    public init() {}
}
