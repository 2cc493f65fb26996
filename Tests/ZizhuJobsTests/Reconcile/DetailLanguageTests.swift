import Testing
import ZizhuCore
import ZizhuJobs

// The detail column follows the run's language; the code and the other columns do not.

@Test func theDetailColumnIsChineseOrEnglishTheCodeIsTheSame() throws {
    func r03(_ language: Language) throws -> Discrepancy? {
        var c = ReconcileCase()
        c.language = language
        c.approve(1, name: "王小明")
        c.pay(1, name: "王小明", amount: "1000.00")
        return try c.run().codes("R03").first
    }
    let zh = try #require(try r03(.zh))
    let en = try #require(try r03(.en))
    #expect(zh.detail.hasPrefix("审批 1250.00，1 行实发 1000.00："), "\(zh.detail)")
    #expect(zh.detail.contains("发放 1000.00"), "\(zh.detail)")
    #expect(en.detail.hasPrefix("approved 1250.00, paid 1000.00 in 1 row: paid 1000.00 on "), "\(en.detail)")
    #expect(zh.code == en.code)
    #expect(zh.expected == en.expected && zh.actual == en.actual && zh.sources == en.sources)
}
