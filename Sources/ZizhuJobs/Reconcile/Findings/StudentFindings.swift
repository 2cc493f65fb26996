import ZizhuCore

extension Reconciler.Run {
    /// What the per-student checks look up once per run instead of once per row.
    struct Lookups {
        var window: ClosedRange<Int32>
        /// Per channel slot: allowed?
        var channelAllowed: [Bool]
        /// Per tier slot: the configured amount (nil: the tier is not configured).
        var tierAmounts: [Int64?]
        var configuredAmounts: Set<Int64>
        var tierListing: String
    }

    func makeLookups() -> Lookups {
        let tiers = settings.tiers.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        return Lookups(
            window: settings.window.lowerBound.daysSinceEpoch...settings.window.upperBound.daysSinceEpoch,
            channelAllowed: inputs.channelNames.map { settings.allowedChannels.contains($0) },
            tierAmounts: inputs.tierNames.map { settings.tiers[$0]?.value },
            configuredAmounts: Set(settings.tiers.values.map(\.value)),
            tierListing: tiers.map { "\($0.key) \($0.value.yuan)" }.joined(separator: " / "))
    }

    /// Decides the per-student codes — R01, R03, R04, R10, R12 for approved students; R02 for a
    /// paid student who is not approved; R05, R07, R08, R09, R11 for every paid student; R13
    /// when a roster was given — and fills the ledger summaries and school attribution.
    mutating func evaluateStudents() {
        let lookups = makeLookups()
        summaries = [Reconciler.StudentSummary](repeating: .init(), count: approvedCount)
        studentSchool = [UInt32](repeating: 0, count: studentCount)
        var paid: [Int32] = []
        for s in 0..<studentCount {
            let rows = rows(ofStudent: s)
            paid.removeAll(keepingCapacity: true)
            for i in rows where isEffectivePayment(i) { paid.append(i) }
            studentSchool[s] = attributedSchool(s)
            if s < approvedCount {
                evaluateApproved(s, rows: rows, paid: paid, lookups: lookups)
            } else if !paid.isEmpty {
                reportUnapproved(s, paid: paid)
            }
            let roster = rosterRows(id(ofStudent: s))
            if !paid.isEmpty { checkPaidRows(s, paid: paid, roster: roster, lookups: lookups) }
            if inputs.rosterGiven, s < approvedCount || !paid.isEmpty, roster.isEmpty {
                let detail = s < approvedCount
                    ? (paid.isEmpty ? say("detail.R13.approved", ["approved": yuan(inputs.approved[s].amount)])
                        : say("detail.R13.approvedPaid", ["approved": yuan(inputs.approved[s].amount), "paid": yuan(total(paid))]))
                    : say("detail.R13.unapproved", ["paid": yuan(total(paid))])
                findings.append(finding("R13", student: s, expected: "in the roster", actual: "absent", detail: detail,
                                        rows: paid, extra: extraRefs(s)))
            }
        }
    }

    func total(_ rows: [Int32]) -> Int64 {
        rows.reduce(Int64(0)) { (Fen($0) + Fen(inputs.ledger[Int($1)].amount)).value }
    }

    /// The school a student's money counts against: the approved row's, else (not approved)
    /// their other application row's, else the roster's.
    func attributedSchool(_ s: Int) -> UInt32 {
        let id = id(ofStudent: s)
        if s < approvedCount, inputs.approved[s].school != 0 { return inputs.approved[s].school }
        if s >= approvedCount, let o = otherApplication(id), o.school != 0 { return o.school }
        return rosterRows(id).first(where: { $0.school != 0 })?.school ?? 0
    }

    /// The name bank account names are compared with (R05): the application's, else the roster's.
    func comparisonName(_ s: Int) -> Reconciler.TextSpan {
        let id = id(ofStudent: s)
        if s < approvedCount, !inputs.approved[s].name.isEmpty { return inputs.approved[s].name }
        if s >= approvedCount, let o = otherApplication(id), !o.name.isEmpty { return o.name }
        return rosterRows(id).first(where: { !$0.name.isEmpty })?.name ?? .empty
    }

    /// Rows besides the approved and bank rows that a finding about `s` involves: the other
    /// application row of a student who is not approved.
    func extraRefs(_ s: Int) -> [Reconciler.RowRef] {
        guard s >= approvedCount, let o = otherApplication(id(ofStudent: s)) else { return [] }
        return [o.ref]
    }

    private func describe(_ i: Int32) -> String {
        let row = inputs.ledger[Int(i)]
        var text: String
        switch (row.kind, rowState[Int(i)]) {
        case (.paid, .cancelled): text = say("detail.row.paidReversed", ["amount": yuan(row.amount), "date": date(row.date)])
        case (.paid, _): text = say("detail.row.paid", ["amount": yuan(row.amount), "date": date(row.date)])
        case (.failed, _): text = say("detail.row.failed", ["amount": yuan(row.magnitude), "date": date(row.date)])
        case (.reversal, .orphan): text = say("detail.row.orphanReversal", ["amount": yuan(row.magnitude), "date": date(row.date)])
        case (.reversal, _): text = say("detail.row.reversal", ["amount": yuan(row.magnitude), "date": date(row.date)])
        }
        if !row.reason.isEmpty { text += say("detail.row.reason", ["reason": self.text(row.reason)]) }
        return text + " [\(source(row.ref))]"
    }

    private mutating func evaluateApproved(_ s: Int, rows: ArraySlice<Int32>, paid: [Int32], lookups: Lookups) {
        let a = inputs.approved[s]
        var summary = Reconciler.StudentSummary()
        for i in rows { summary.methods |= 1 << rowMethod[Int(i)].rawValue }
        let paidTotal = total(paid)
        summary.paid = paidTotal
        var last: Int32 = -1
        for i in paid {
            if last < 0 || (inputs.ledger[Int(i)].date, inputs.ledger[Int(i)].ref) > (inputs.ledger[Int(last)].date, inputs.ledger[Int(last)].ref) {
                last = i
            }
        }
        if last >= 0 {
            let row = inputs.ledger[Int(last)]
            summary.payDate = row.date
            summary.account = row.account
            summary.masked = row.masked
        }
        if paid.isEmpty {
            summary.status = rows.isEmpty ? .unpaid : .failed
        } else if paid.count >= 2, paidTotal > a.amount {
            summary.status = .duplicate
        } else if paidTotal != a.amount {
            summary.status = .amountMismatch
        } else {
            summary.status = .paid
        }
        summaries[s] = summary
        if summary.status != .paid { reportPayment(s, status: summary.status, rows: rows, paid: paid, paidTotal: paidTotal) }
        checkTier(s, lookups: lookups)
    }

    /// R01, R10, R04 or R03 for an approved student not paid as approved.
    private mutating func reportPayment(_ s: Int, status: Reconciler.LedgerStatus, rows: ArraySlice<Int32>, paid: [Int32], paidTotal: Int64) {
        let approved = yuan(inputs.approved[s].amount)
        switch status {
        case .unpaid:
            findings.append(finding("R01", student: s, expected: approved, actual: yuan(0),
                                    detail: say("detail.R01", ["approved": approved])))
        case .failed:
            findings.append(finding("R10", student: s, expected: approved, actual: yuan(0),
                                    detail: say("detail.R10", ["approved": approved, "rows": rows.map(describe).joined(separator: "; ")]),
                                    rows: Array(rows)))
        case .duplicate:
            findings.append(finding("R04", student: s, expected: approved, actual: yuan(paidTotal),
                                    detail: say("detail.R04", ["approved": approved, "count": "\(paid.count)", "rows": paid.map(describe).joined(separator: "; ")]),
                                    rows: paid))
        case .amountMismatch:
            findings.append(finding("R03", student: s, expected: approved, actual: yuan(paidTotal),
                                    detail: say(paid.count == 1 ? "detail.R03.one" : "detail.R03", ["approved": approved, "paid": yuan(paidTotal), "count": "\(paid.count)",
                                                                                           "rows": paid.map(describe).joined(separator: "; ")]),
                                    rows: paid))
        case .paid:
            break
        }
    }

    /// R12: the approved row's tier is not configured, its amount is not its tier's, or (no
    /// tier given) its amount is no configured tier's.
    private mutating func checkTier(_ s: Int, lookups: Lookups) {
        let a = inputs.approved[s]
        if a.tier != 0 {
            let configured = lookups.tierAmounts[Int(a.tier) - 1]
            if configured == a.amount { return }
            let name = inputs.tierNames[Int(a.tier) - 1]
            let amount = yuan(a.amount)
            guard let configured else {
                findings.append(finding("R12", student: s, expected: lookups.tierListing, actual: "\(name) \(amount)",
                                        detail: say("detail.R12.unknownTier", ["tier": name, "term": termName, "tiers": lookups.tierListing])))
                return
            }
            if configured != a.amount {
                findings.append(finding("R12", student: s, expected: yuan(configured), actual: "\(name) \(amount)",
                                        detail: say("detail.R12.wrongAmount", ["tier": name, "configured": yuan(configured), "amount": amount])))
            }
        } else if !lookups.configuredAmounts.contains(a.amount) {
            let amount = yuan(a.amount)
            findings.append(finding("R12", student: s, expected: lookups.tierListing, actual: amount,
                                    detail: say("detail.R12.noTier", ["amount": amount, "tiers": lookups.tierListing])))
        }
    }

    /// R02 for a student a bank row names by id who has no approved grant for the term.
    private mutating func reportUnapproved(_ s: Int, paid: [Int32]) {
        let id = id(ofStudent: s)
        let why: String
        if let o = otherApplication(id) {
            let status = o.approval < Reconciler.approvalNames.count ? Reconciler.approvalNames[Int(o.approval)] : "?"
            switch o.standing {
            case .pending, .returned:
                why = say("detail.R02.notApproved", ["status": status])
            case .otherTerm:
                let term = Term(year: Int(o.otherTerm / 2), season: o.otherTerm % 2 == 1 ? .fall : .spring)
                why = say("detail.R02.otherTerm", ["status": status, "other": term.canonical, "term": termName])
            case .otherAid, .approved:
                why = say("detail.R02.otherAid")
            }
        } else {
            why = say("detail.R02.noApplication")
        }
        let paidTotal = total(paid)
        findings.append(finding("R02", student: s, expected: yuan(0), actual: yuan(paidTotal),
                                detail: say("detail.R02", ["paid": yuan(paidTotal), "term": termName, "why": why, "rows": paid.map(describe).joined(separator: "; ")]),
                                rows: paid, extra: extraRefs(s)))
    }

    /// R05, R07, R08, R09, R11: checks on a student's payments that stand (not reversed).
    private mutating func checkPaidRows(_ s: Int, paid: [Int32], roster: Reconciler.RosterRows, lookups: Lookups) {
        // R05: account holder name differs from the student's.
        let name = comparisonName(s)
        if !name.isEmpty, paid.contains(where: { holderDiffers(inputs.ledger[Int($0)].name, name) }) {
            let wrong = paid.filter { holderDiffers(inputs.ledger[Int($0)].name, name) }
            var holders: [String] = []
            for i in wrong {
                let holder = text(inputs.ledger[Int(i)].name)
                if !holders.contains(holder) { holders.append(holder) }
            }
            findings.append(finding("R05", student: s, expected: text(name), actual: holders.joined(separator: "; "),
                                    detail: say(wrong.count == 1 ? "detail.R05.one" : "detail.R05",
                                                ["holders": holders.joined(separator: ", "), "student": text(name), "count": "\(wrong.count)"]),
                                    rows: wrong, extra: extraRefs(s)))
        }
        // R07 and R08 from the roster.
        if !roster.isEmpty { checkRoster(s, paid: paid, roster: roster) }
        // R09: a channel that is set and not allowed.
        func wrongChannel(_ i: Int32) -> Bool {
            let c = inputs.ledger[Int(i)].channel
            return c != 0 && !lookups.channelAllowed[Int(c) - 1]
        }
        if paid.contains(where: wrongChannel) {
            let wrong = paid.filter(wrongChannel)
            var channels: [String] = []
            for i in wrong {
                let c = inputs.channelNames[Int(inputs.ledger[Int(i)].channel) - 1]
                if !channels.contains(c) { channels.append(c) }
            }
            let allowed = settings.allowedChannels.sorted().joined(separator: " / ")
            findings.append(finding("R09", student: s, expected: allowed, actual: channels.joined(separator: "; "),
                                    detail: say("detail.R09", ["channels": channels.joined(separator: ", "), "allowed": allowed,
                                                               "rows": wrong.map(describe).joined(separator: "; ")]),
                                    rows: wrong, extra: extraRefs(s)))
        }
        // R11: a pay date outside the term window.
        if paid.contains(where: { !lookups.window.contains(inputs.ledger[Int($0)].date) }) {
            let outside = paid.filter { !lookups.window.contains(inputs.ledger[Int($0)].date) }
            let window = "\(settings.window.lowerBound.iso)..\(settings.window.upperBound.iso)"
            findings.append(finding("R11", student: s, expected: window,
                                    actual: outside.map { date(inputs.ledger[Int($0)].date) }.joined(separator: "; "),
                                    detail: say("detail.R11", ["term": termName, "window": window, "rows": outside.map(describe).joined(separator: "; ")]),
                                    rows: outside, extra: extraRefs(s)))
        }
    }

    private func holderDiffers(_ holder: Reconciler.TextSpan, _ name: Reconciler.TextSpan) -> Bool {
        !holder.isEmpty && !inputs.arena.equal(holder, name)
    }

    /// R07 (paid on or after leaving) and R08 (paid to a 非全日制 student).
    private mutating func checkRoster(_ s: Int, paid: [Int32], roster: Reconciler.RosterRows) {
        for r in roster where Reconciler.leavingStatuses.contains(r.status) && r.changeDate != Int32.min {
            guard paid.contains(where: { inputs.ledger[Int($0)].date >= r.changeDate }) else { continue }
            let after = paid.filter { inputs.ledger[Int($0)].date >= r.changeDate }
            let status = Reconciler.rosterStatusNames[Int(r.status)]
            findings.append(finding("R07", student: s, expected: "在籍", actual: "\(status) \(date(r.changeDate))",
                                    detail: say("detail.R07", ["status": status, "date": date(r.changeDate), "rows": after.map(describe).joined(separator: "; ")]),
                                    rows: after, extra: extraRefs(s), roster: [r.ref]))
            break
        }
        if let r = roster.first(where: \.partTime) {
            findings.append(finding("R08", student: s, expected: "全日制", actual: "非全日制",
                                    detail: say("detail.R08", ["paid": yuan(total(paid))]),
                                    rows: paid, extra: extraRefs(s), roster: [r.ref]))
        }
    }
}
