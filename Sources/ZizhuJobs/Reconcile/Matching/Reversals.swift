import ZizhuCore

extension Reconciler.Run {
    /// Lays the matched bank rows out per student (counting sort: one pass to count, one to
    /// place), each student's rows in (file, line) order.
    mutating func groupRows() {
        let n = studentCount
        rowStart = [Int32](repeating: 0, count: n + 1)
        for s in rowStudent where s >= 0 { rowStart[Int(s) + 1] += 1 }
        for s in 0..<n { rowStart[s + 1] += rowStart[s] }
        var next = rowStart
        rowList = [Int32](repeating: 0, count: Int(rowStart[n]))
        for (i, s) in rowStudent.enumerated() where s >= 0 {
            rowList[Int(next[Int(s)])] = Int32(i)
            next[Int(s)] += 1
        }
    }

    /// Lets every reversal (冲正 / 退汇, or a negative amount) take back the payment it reverses:
    /// a payment of the same student — for unmatched rows, of the same account — with the same
    /// absolute amount, dated on or before the reversal, the latest such one not yet taken back.
    /// A reversal that finds none is a note.
    mutating func applyReversals() {
        for s in 0..<studentCount {
            let rows = rows(ofStudent: s)
            guard rows.contains(where: { inputs.ledger[Int($0)].kind == .reversal }) else { continue }
            reverse(Array(rows), student: s)
        }
        // Unmatched rows: one group per account.
        let keyed = unmatchedRows.map { i -> (key: AccountGroupKey, row: Int32) in (groupKey(inputs.ledger[Int(i)]), i) }
            .sorted { ($0.key, inputs.ledger[Int($0.row)].ref) < ($1.key, inputs.ledger[Int($1.row)].ref) }
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count, keyed[end].key == keyed[start].key { end += 1 }
            let group = keyed[start..<end].map(\.row)
            if group.contains(where: { inputs.ledger[Int($0)].kind == .reversal }) {
                reverse(group, student: nil)
            }
            start = end
        }
    }

    /// Groups unmatched rows by account: a full number, or a masked one as the bank wrote it.
    struct AccountGroupKey: Comparable, Hashable {
        var kind: UInt8
        var a: UInt64
        var b: UInt64
        var c: UInt32

        static func < (x: Self, y: Self) -> Bool { (x.kind, x.a, x.b, x.c) < (y.kind, y.a, y.b, y.c) }
    }

    func groupKey(_ row: Reconciler.LedgerRecord) -> AccountGroupKey {
        if row.account != 0 { return AccountGroupKey(kind: 0, a: row.account, b: 0, c: 0) }
        if row.masked >= 0 {
            let m = inputs.maskedAccounts[Int(row.masked)]
            return AccountGroupKey(kind: 1, a: m.prefix, b: m.suffix,
                                   c: UInt32(m.length) << 16 | UInt32(m.prefixCount) << 8 | UInt32(m.suffixCount))
        }
        return AccountGroupKey(kind: 2, a: row.ref.raw, b: 0, c: 0)
    }

    /// `student`: whose rows these are; nil for a group of unmatched rows of one account.
    private mutating func reverse(_ group: [Int32], student: Int?) {
        let ordered = group.sorted {
            let a = inputs.ledger[Int($0)], b = inputs.ledger[Int($1)]
            return (a.date, a.ref) < (b.date, b.ref)
        }
        for r in ordered where inputs.ledger[Int(r)].kind == .reversal {
            let reversal = inputs.ledger[Int(r)]
            var best: Int32 = -1
            for p in group where rowState[Int(p)] == .normal {
                let payment = inputs.ledger[Int(p)]
                guard payment.kind == .paid, payment.magnitude == reversal.magnitude, payment.date <= reversal.date else { continue }
                if best < 0 {
                    best = p
                } else {
                    let current = inputs.ledger[Int(best)]
                    if (payment.date, payment.ref) > (current.date, current.ref) { best = p }
                }
            }
            if best >= 0 {
                rowState[Int(best)] = .cancelled
                rowState[Int(r)] = .reversing
            } else {
                rowState[Int(r)] = .orphan
                if notes.admit("reversal without payment") {
                    let owner = student.map { say("note.reconcile.owner.student", ["name": display(student: $0).name, "id": maskedID(id(ofStudent: $0))]) }
                        ?? say("note.reconcile.owner.account", ["account": maskedAccount(ofRow: reversal)])
                    notes.keep(say("note.reconcile.orphanReversal", ["source": source(reversal.ref), "amount": yuan(reversal.magnitude),
                                                                     "date": date(reversal.date), "owner": owner]))
                }
            }
        }
    }

    /// A payment that counts: status 成功 and not taken back by a reversal.
    func isEffectivePayment(_ i: Int32) -> Bool {
        inputs.ledger[Int(i)].kind == .paid && rowState[Int(i)] == .normal
    }
}
