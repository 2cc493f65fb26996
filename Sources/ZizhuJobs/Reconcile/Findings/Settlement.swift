import ZizhuCore

extension Reconciler.Run {
    /// Attributes every payment that stands to a school (through the student's approved row,
    /// else their other application row, else the roster), totals them per school beside the
    /// allocations, and reports R14 for a school that paid more than it was allocated — when
    /// allocations were given. A school that paid with no allocation row at all counts as
    /// allocated 0.00. Payments tied to no school are totalled apart.
    mutating func settle() -> Settlement {
        let schoolCount = inputs.schools.names.count
        var paid = [Int64](repeating: 0, count: schoolCount)
        var paidRows = [Int](repeating: 0, count: schoolCount)
        var unattributed = Fen.zero
        var unattributedRows = 0
        for s in 0..<studentCount {
            let school = Int(studentSchool[s])
            for i in rows(ofStudent: s) where isEffectivePayment(i) {
                let amount = inputs.ledger[Int(i)].amount
                if school == 0 {
                    unattributed = unattributed + Fen(amount)
                    unattributedRows += 1
                } else {
                    paid[school] = (Fen(paid[school]) + Fen(amount)).value
                    paidRows[school] += 1
                }
            }
        }
        for i in unmatchedRows where isEffectivePayment(i) {
            unattributed = unattributed + Fen(inputs.ledger[Int(i)].amount)
            unattributedRows += 1
        }
        var allocated = [Int64?](repeating: nil, count: schoolCount)
        var allocationRefs = [[Reconciler.RowRef]](repeating: [], count: schoolCount)
        for record in inputs.allocations.sorted(by: { $0.ref < $1.ref }) {
            let school = Int(record.school)
            allocated[school] = (Fen(allocated[school] ?? 0) + Fen(record.allocated)).value
            allocationRefs[school].append(record.ref)
        }
        let order = (1..<max(schoolCount, 1)).filter { paidRows[$0] > 0 || allocated[$0] != nil }
            .sorted { inputs.schools.names[$0] < inputs.schools.names[$1] }
        var schools: [SchoolSettlement] = []
        for school in order {
            let code = inputs.schools.names[school]
            let given = allocated[school]
            schools.append(SchoolSettlement(schoolCode: code, allocated: given.map(Fen.init), paid: Fen(paid[school]),
                                            surplus: given.map { Fen($0) - Fen(paid[school]) }))
            if allocationRefs[school].count > 1 {
                notes.add("allocation rows summed", say("note.reconcile.allocationsSummed", [
                    "school": code, "rows": "\(allocationRefs[school].count)", "term": termName,
                    "sources": allocationRefs[school].map(source).joined(separator: ", "), "sum": yuan(given ?? 0)]))
            }
            guard inputs.allocationsGiven, paidRows[school] > 0, paid[school] > (given ?? 0) else { continue }
            let over = Fen(paid[school]) - Fen(given ?? 0)
            let detail = given == nil
                ? say("detail.R14.noAllocation", ["paid": yuan(paid[school]), "rows": "\(paidRows[school])", "term": termName, "over": over.yuan])
                : say("detail.R14", ["paid": yuan(paid[school]), "rows": "\(paidRows[school])", "allocated": yuan(given ?? 0), "over": over.yuan])
            findings.append(Discrepancy(code: "R14", term: termName, schoolCode: code, expected: yuan(given ?? 0),
                                        actual: yuan(paid[school]), detail: detail,
                                        sources: allocationRefs[school].map(source)))
        }
        return Settlement(schools: schools, unattributedPaid: unattributed, unattributedRows: unattributedRows)
    }

    /// The run's counts and money totals.
    mutating func countTotals() {
        var t = ReconcileTotals()
        t.approvedStudents = approvedCount
        t.approvedAmount = inputs.approved.reduce(Fen.zero) { $0 + Fen($1.amount) }
        t.ledgerRows = inputs.ledger.count
        for (i, row) in inputs.ledger.enumerated() {
            switch row.kind {
            case .paid:
                if rowState[i] == .normal {
                    t.paidRows += 1
                    t.paidAmount = t.paidAmount + Fen(row.amount)
                } else {
                    t.cancelledPayments += 1
                }
            case .failed: t.failedRows += 1
            case .reversal: t.reversalRows += 1
            }
            switch rowMethod[i] {
            case .id: t.matchedById += 1
            case .account: t.matchedByAccount += 1
            case .masked: t.matchedByMasked += 1
            case .none: break
            }
        }
        for i in unmatchedRows where isEffectivePayment(i) {
            t.unmatchedPaidRows += 1
            t.unmatchedPaidAmount = t.unmatchedPaidAmount + Fen(inputs.ledger[Int(i)].amount)
        }
        t.ambiguousRows = tiedRows.count
        totals = t
    }

    /// Says what was read but could take no part in matching.
    mutating func noteSkippedRows() {
        let i = inputs
        if i.approvedMaskedCards > 0 {
            notes.add("input", say("note.reconcile.maskedCards", ["rows": "\(i.approvedMaskedCards)"]))
        }
        if i.applicationsWithoutID > 0 {
            notes.add("input", say("note.reconcile.noID", ["rows": "\(i.applicationsWithoutID)"]))
        }
        if i.approvedOtherIDs > 0 {
            notes.add("input", say("note.reconcile.otherIDs", ["rows": "\(i.approvedOtherIDs)"]))
        }
        if i.allocationsOtherTerm > 0 {
            notes.add("input", say("note.reconcile.allocationsOtherTerm", ["rows": "\(i.allocationsOtherTerm)", "term": termName]))
        }
        if i.ledgerUnreadableAccounts > 0 {
            notes.add("input", say("note.reconcile.unreadableAccounts", ["rows": "\(i.ledgerUnreadableAccounts)"]))
        }
    }
}
