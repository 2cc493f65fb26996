import Foundation
import Testing
import ZizhuCore
import ZizhuReport

/// report.html names each finding code in the reader's language (issue 15): 金额不符 and the code's
/// Chinese meaning by default, the contract's English name (AMOUNT_MISMATCH) and meaning with `.en`.
@Suite struct HTMLFindingNameTests {
    private func report(_ language: Language) throws -> String {
        let finding = Discrepancy(code: "R03", term: "2023-fall", schoolCode: "3701J001", studentNo: "G1", name: "张三",
                                  idNumber: "", expected: "1,500.00", actual: "1,250.00", detail: "", sources: ["ledger.csv:7"])
        return try HTMLReport(title: "报告", subtitle: "zizhu test", facts: [], tables: [], files: [], findings: [finding],
                              rejects: [], rejectTotal: 0, language: language).render()
    }

    @Test func findingNamesAreChineseByDefault() throws {
        let html = try report(.zh)
        #expect(html.contains("<h3>R03 金额不符 — 1</h3>"), "\(html)")
        #expect(html.contains("<td>金额不符</td>"))
        #expect(html.contains("实发总额与审批金额不符"))
        #expect(!html.contains("AMOUNT_MISMATCH"))
    }

    @Test func findingNamesAreTheContractsEnglishNamesInEnglish() throws {
        let html = try report(.en)
        #expect(html.contains("<h3>R03 AMOUNT_MISMATCH — 1</h3>"), "\(html)")
        #expect(html.contains("total paid differs from the approved amount"))
        #expect(!html.contains("金额不符</td>"))
    }

    @Test func everyFindingCodeHasANameInBothLanguages() {
        for entry in FindingCatalog.entries {
            #expect(entry.name(.en) == entry.name, "\(entry.code)")
            #expect(entry.name(.zh) != entry.name && !entry.name(.zh).isEmpty, "\(entry.code)")
        }
    }
}
