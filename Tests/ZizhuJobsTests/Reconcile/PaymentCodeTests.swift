import Testing
import ZizhuCore
import ZizhuJobs

// R01, R03, R04, R10 and the reversals that decide between them.

@Test func approvedStudentWithNoBankRowIsR01() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.approve(2, name: "李华")
    c.pay(2, name: "李华")
    let result = try c.run()
    let r01 = result.codes("R01")
    #expect(r01.map(\.studentNo) == ["S1"])
    #expect(r01.first?.expected == "1250.00")
    #expect(r01.first?.actual == "0.00")
    #expect(r01.first?.idNumber == residentID(1))
    #expect(r01.first?.name == "王小明")
    #expect(r01.first?.schoolCode == "3701001")
    #expect(r01.first?.sources == ["approved.csv:2"])
    #expect(r01.first?.term == "2023-fall")
    #expect(result.row("S1")?.status == "未发放")
    #expect(result.row("S2")?.status == "已发放")
    #expect(result.findings.count == 1)
}

@Test func aFailedRowIsNotR01ButR10() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", status: "失败-账户已销户", reason: "账户已销户")
    let result = try c.run()
    #expect(result.codes("R01").isEmpty)
    let r10 = try #require(result.codes("R10").first)
    #expect(r10.studentNo == "S1")
    #expect(r10.sources == ["approved.csv:2", "ledger1.csv:2"])
    #expect(r10.detail.contains("账户已销户"))
    #expect(result.row("S1")?.status == "发放失败")
    #expect(result.totals.failedRows == 1)
}

@Test func aFailedPaymentFollowedByASuccessfulRetryIsNotR10() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15", status: "失败", reason: "户名不符")
    c.pay(1, name: "王小明", date: "2023-10-30")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    let row = try #require(result.row("S1"))
    #expect(row.status == "已发放")
    #expect(row.paid == Fen(125_000))
    #expect(row.payDate?.iso == "2023-10-30")
    #expect(row.sources == ["approved.csv:2", "ledger1.csv:2", "ledger1.csv:3"])
}

@Test func oneRowWithAnotherAmountIsR03() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", amount: "750.00")
    let result = try c.run()
    let r03 = try #require(result.codes("R03").first)
    #expect(r03.expected == "1250.00")
    #expect(r03.actual == "750.00")
    #expect(result.codes("R04").isEmpty)
    #expect(result.row("S1")?.status == "金额不符")
}

@Test func aSplitPaymentSummingToTheApprovedAmountIsNeitherR03NorR04() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", amount: "625.00", date: "2023-10-15")
    c.pay(1, name: "王小明", amount: "625.00", date: "2023-10-22")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.row("S1")?.status == "已发放")
    #expect(result.row("S1")?.paid == Fen(125_000))
}

@Test func aSplitPaymentShortOfTheApprovedAmountIsR03NotR04() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", amount: "625.00")
    c.pay(1, name: "王小明", amount: "500.00")
    let result = try c.run()
    #expect(result.codes("R03").first?.actual == "1125.00")
    #expect(result.codes("R04").isEmpty)
}

@Test func twoPaymentsAboveTheApprovedAmountAreR04NotR03() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15")
    c.pay(1, name: "王小明", date: "2023-10-29", file: 1)
    let result = try c.run()
    let r04 = try #require(result.codes("R04").first)
    #expect(r04.expected == "1250.00")
    #expect(r04.actual == "2500.00")
    #expect(r04.sources == ["approved.csv:2", "ledger1.csv:2", "ledger2.csv:2"])
    #expect(result.codes("R03").isEmpty)
    #expect(result.row("S1")?.status == "重复发放")
}

@Test func oneRowAboveTheApprovedAmountIsR03NotR04() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", amount: "2500.00")
    let result = try c.run()
    #expect(result.codes("R03").count == 1)
    #expect(result.codes("R04").isEmpty)
}

@Test func aReversalCancellingADuplicateLeavesNothingToReport() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15")
    c.pay(1, name: "王小明", date: "2023-10-16")
    c.pay(1, name: "王小明", amount: "1250.00", date: "2023-10-20", status: "冲正")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.row("S1")?.status == "已发放")
    // The latest earlier payment is the one taken back.
    #expect(result.row("S1")?.payDate?.iso == "2023-10-15")
    #expect(result.totals.cancelledPayments == 1)
    #expect(result.totals.reversalRows == 1)
    #expect(result.totals.paidRows == 1)
    #expect(result.notes.isEmpty)
}

@Test func aNegativeAmountIsAReversalToo() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15")
    c.pay(1, name: "王小明", date: "2023-10-16")
    c.pay(1, name: "王小明", amount: "-1250.00", date: "2023-10-20")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.totals.cancelledPayments == 1)
}

@Test func aReversalOfTheOnlyPaymentIsR10() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15")
    c.pay(1, name: "王小明", date: "2023-10-25", status: "退汇", reason: "账户冻结")
    let result = try c.run()
    let r10 = try #require(result.codes("R10").first)
    #expect(r10.detail.contains("reversed"))
    #expect(result.codes("R03").isEmpty)
    #expect(result.row("S1")?.status == "发放失败")
    #expect(result.row("S1")?.paid == .zero)
}

@Test func aReversalOfAnotherAmountOrOfALaterPaymentCancelsNothingAndIsANote() throws {
    var c = ReconcileCase()
    c.approve(1, name: "王小明")
    c.pay(1, name: "王小明", date: "2023-10-15")
    c.pay(1, name: "王小明", amount: "1000.00", date: "2023-10-20", status: "冲正")
    c.approve(2, name: "李华")
    c.pay(2, name: "李华", date: "2023-10-20", status: "冲正")
    c.pay(2, name: "李华", date: "2023-10-25")
    let result = try c.run()
    #expect(result.findings.isEmpty)
    #expect(result.totals.cancelledPayments == 0)
    #expect(result.notes.count == 2)
    #expect(result.notes.allSatisfy { $0.contains("cancels no earlier payment") })
    #expect(result.notes.contains { $0.contains("ledger1.csv:3") && $0.contains("1000.00") })
}
