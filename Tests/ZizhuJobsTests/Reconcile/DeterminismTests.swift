import Testing
import ZizhuCore
import ZizhuJobs

/// A case touching most codes, matching methods and a reversal.
private func busyCase() -> ReconcileCase {
    var c = ReconcileCase()
    for n in 1...30 { c.approve(n, name: "学生\(n)", school: n % 2 == 0 ? "A01" : "B02") }
    for n in 1...30 where n % 5 != 0 {
        switch n % 7 {
        case 0: c.pay(n, name: "学生\(n)", amount: "750.00")
        case 1: c.pay(n, name: "学生\(n)"); c.pay(n, name: "学生\(n)", date: "2023-11-01")
        case 2: c.payWithoutID(account: card(n), name: "学生\(n)", file: 1)
        case 3: c.payWithoutID(account: masked(card(n)), name: "学生\(n)", file: 1)
        case 4: c.pay(n, name: "别人", channel: "现金")
        default: c.pay(n, name: "学生\(n)", status: "失败")
        }
    }
    c.pay(8, name: "学生8", date: "2023-11-05", status: "冲正")
    c.pay(41, name: "外人")
    c.payWithoutID(account: card(88), name: "刘建军", file: 1)
    for n in 1...25 { c.enrol(n, name: "学生\(n)", status: n == 3 ? "退学" : "在籍", changed: n == 3 ? "2023-09-20" : "") }
    c.allocate("A01", "10000.00")
    c.allocate("B02", "5000.00")
    return c
}

@Test func batchesInAnotherOrderGiveTheSameResult() throws {
    var whole = busyCase()
    whole.batchSize = nil
    var split = busyCase()
    split.batchSize = 3
    split.reverseBatches = true
    let a = try whole.run(), b = try split.run()
    #expect(a.findings.count > 10)
    #expect(a.findings == b.findings)
    #expect(a.ledger == b.ledger)
    #expect(a.settlement == b.settlement)
    #expect(a.totals == b.totals)
    #expect(a.notes == b.notes)
    #expect(Set(a.findings.map(\.code)).isSuperset(of: ["R01", "R02", "R03", "R04", "R05", "R07", "R09", "R10", "R13", "R14"]))
}

@Test func findingsAreInContractOrder() throws {
    let result = try busyCase().run()
    #expect(result.findings == result.findings.sorted(by: Discrepancy.contractOrder))
}
