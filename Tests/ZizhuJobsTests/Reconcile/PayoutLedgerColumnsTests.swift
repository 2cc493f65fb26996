import Testing
import ZizhuCore
import ZizhuJobs

private let row = PayoutLedgerRow(
    schoolCode: "3701J001", studentNo: "S1", name: "王小明", idNumber: "11010519491231002X", tier: "一档",
    approved: Fen(125_000), paid: Fen(125_000), payDate: CalendarDate(year: 2023, month: 11, day: 3),
    account: "6212854012341234", status: "已发放", matchedBy: "id", sources: ["a.csv:2", "l.csv:5"])

@Test func theLedgerMasksIdsAndAccountsUnlessUnmasked() {
    let masked = row.cells(unmask: false)
    #expect(masked.count == PayoutLedgerRow.columns.count)
    #expect(masked[3] == "110105********002X")
    #expect(masked[8] == "************1234")
    #expect(masked.last == "")   // 学生签名, for signing on paper
    let whole = row.cells(unmask: true)
    #expect(whole[3] == "11010519491231002X")
    #expect(whole[8] == "6212854012341234")
    #expect(whole[5] == "1250.00")
    #expect(whole[11] == "a.csv:2;l.csv:5")
}

@Test func aLedgerRowWithoutAnAccountLeavesTheCellEmpty() {
    var unpaid = row
    unpaid.account = ""
    #expect(unpaid.cells(unmask: false)[8] == "")
}
