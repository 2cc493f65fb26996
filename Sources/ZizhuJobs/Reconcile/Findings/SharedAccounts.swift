import ZizhuCore

extension Reconciler.Run {
    /// R06 (一卡多人): one full account number paid for two or more different students. One
    /// finding per student, naming the others; its sources are every payment into the shared
    /// account(s). Masked accounts are left out: a masked number cannot prove two rows share one.
    mutating func findSharedAccounts() {
        var paidInto: [(account: UInt64, student: Int32, row: Int32)] = []
        for (i, s) in rowStudent.enumerated() where s >= 0 && isEffectivePayment(Int32(i)) {
            let account = inputs.ledger[i].account
            if account != 0 { paidInto.append((account, s, Int32(i))) }
        }
        paidInto.sort { ($0.account, $0.student, $0.row) < ($1.account, $1.student, $1.row) }
        var involved: [Int32: (rows: [Int32], accounts: [UInt64], others: [Int32])] = [:]
        var start = 0
        while start < paidInto.count {
            var end = start + 1
            while end < paidInto.count, paidInto[end].account == paidInto[start].account { end += 1 }
            let group = paidInto[start..<end]
            var students: [Int32] = []
            for entry in group where students.last != entry.student { students.append(entry.student) }
            if students.count >= 2 {
                let rows = group.map(\.row)
                for s in students {
                    var entry = involved[s] ?? ([], [], [])
                    entry.rows += rows
                    entry.accounts.append(group[start].account)
                    for other in students where other != s && !entry.others.contains(other) { entry.others.append(other) }
                    involved[s] = entry
                }
            }
            start = end
        }
        for (s, entry) in involved.sorted(by: { $0.key < $1.key }) {
            let accounts = entry.accounts.map(Reconciler.AccountKey.masked).joined(separator: ", ")
            let others = entry.others.map { o -> String in
                let who = display(student: Int(o))
                return who.studentNo.isEmpty ? who.name : "\(who.name) (\(who.studentNo))"
            }.joined(separator: ", ")
            findings.append(finding("R06", student: Int(s), expected: "1", actual: "\(entry.others.count + 1)",
                                    detail: say("detail.R06", ["accounts": accounts, "count": "\(entry.others.count + 1)", "others": others]),
                                    rows: Array(Set(entry.rows)), extra: extraRefs(Int(s))))
        }
    }

    /// R02 for every payment no student could be tied to: one finding per row, named by the
    /// account holder, the account shown masked.
    mutating func reportUnmatchedRows() {
        for i in unmatchedRows where isEffectivePayment(i) {
            let row = inputs.ledger[Int(i)]
            let why = tiedRows.contains(i)
                ? say("detail.R02.row.tied")
                : row.id == 0 && row.account == 0 && row.masked < 0
                    ? say("detail.R02.row.noKey")
                    : say("detail.R02.row.noMatch")
            let account = maskedAccount(ofRow: row)
            let holder = row.name.isEmpty ? "" : say("detail.R02.row.holder", ["name": text(row.name)])
            findings.append(Discrepancy(
                code: "R02", term: termName, name: text(row.name), expected: yuan(0), actual: yuan(row.amount),
                detail: say("detail.R02.row", ["account": account.isEmpty ? say("detail.R02.row.noAccount") : account, "holder": holder,
                                               "date": date(row.date), "why": why]),
                sources: [source(row.ref)]))
        }
    }
}
