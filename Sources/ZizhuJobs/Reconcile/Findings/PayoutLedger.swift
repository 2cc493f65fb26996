import ZizhuCore

extension Reconciler.Run {
    /// The payout ledger (发放台账): one row per approved student, sorted by school code,
    /// student number and id (byte order: the texts are NFC, so it is the string order).
    func payoutLedger() -> [PayoutLedgerRow] {
        var schoolOf = [UInt32](repeating: 0, count: approvedCount)
        var numberOf = [Reconciler.TextSpan](repeating: .empty, count: approvedCount)
        for s in 0..<approvedCount {
            let a = inputs.approved[s]
            schoolOf[s] = a.school
            numberOf[s] = a.studentNo
            if a.school == 0 || a.studentNo.isEmpty {
                for r in rosterRows(a.id) {
                    if schoolOf[s] == 0 { schoolOf[s] = r.school }
                    if numberOf[s].isEmpty { numberOf[s] = r.studentNo }
                }
            }
        }
        let names = inputs.schools.names
        let rankOrder = names.indices.sorted { names[$0] < names[$1] }
        var rank = [Int](repeating: 0, count: names.count)
        for (position, school) in rankOrder.enumerated() { rank[school] = position }
        let order: [Int] = inputs.arena.bytes.withUnsafeBufferPointer { bytes in
            func less(_ a: Reconciler.TextSpan, _ b: Reconciler.TextSpan) -> Int {
                let n = Int(min(a.length, b.length))
                for k in 0..<n {
                    let x = bytes[Int(a.offset) + k], y = bytes[Int(b.offset) + k]
                    if x != y { return x < y ? -1 : 1 }
                }
                return a.length == b.length ? 0 : (a.length < b.length ? -1 : 1)
            }
            return (0..<approvedCount).sorted { x, y in
                let rx = rank[Int(schoolOf[x])], ry = rank[Int(schoolOf[y])]
                if rx != ry { return rx < ry }
                let c = less(numberOf[x], numberOf[y])
                if c != 0 { return c < 0 }
                return inputs.approved[x].id < inputs.approved[y].id
            }
        }
        var ledger: [PayoutLedgerRow] = []
        ledger.reserveCapacity(approvedCount)
        for s in order {
            let a = inputs.approved[s]
            let summary = summaries[s]
            let rows = rows(ofStudent: s)
            var account = ""
            var payDate: CalendarDate?
            if summary.lastPaid >= 0 {
                let row = inputs.ledger[Int(summary.lastPaid)]
                payDate = CalendarDate(daysSinceEpoch: row.date)
                if row.account != 0 {
                    account = Reconciler.AccountKey.digits(row.account)
                } else if row.masked >= 0 {
                    let m = inputs.maskedAccounts[Int(row.masked)]
                    account = maskedDigits(m)
                }
            }
            if account.isEmpty, a.card != 0 { account = Reconciler.AccountKey.digits(a.card) }
            var methods: [String] = []
            for method in [Reconciler.MatchMethod.id, .account, .masked] where summary.methods & (1 << method.rawValue) != 0 {
                methods.append(method.name)
            }
            var sources = [source(a.ref)]
            if let more = approvedDuplicates[Int32(s)] { sources += more.map(source) }
            for i in rows { sources.append(source(inputs.ledger[Int(i)].ref)) }
            ledger.append(PayoutLedgerRow(
                schoolCode: inputs.schools[schoolOf[s]], studentNo: text(numberOf[s]), name: text(a.name),
                idNumber: idString(a.id), tier: a.tier == 0 ? "" : inputs.tierNames[Int(a.tier) - 1],
                approved: Fen(a.amount), paid: Fen(summary.paid), payDate: payDate, account: account,
                status: summary.status.name, matchedBy: methods.joined(separator: "+"), sources: sources))
        }
        return ledger
    }

    /// A masked account as the bank wrote it (`621285******1234`).
    private func maskedDigits(_ m: Reconciler.MaskedAccount) -> String {
        func padded(_ value: UInt64, _ count: Int) -> String {
            guard count > 0 else { return "" }
            let digits = String(value)
            return String(repeating: "0", count: max(0, count - digits.utf8.count)) + digits
        }
        let stars = Int(m.length) - Int(m.prefixCount) - Int(m.suffixCount)
        return padded(m.prefix, Int(m.prefixCount)) + String(repeating: "*", count: max(0, stars)) + padded(m.suffix, Int(m.suffixCount))
    }
}
