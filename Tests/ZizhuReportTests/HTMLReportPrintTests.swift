import Foundation
import Testing
import ZizhuCore
@testable import ZizhuReport

/// report.html as it prints: Chinese words first (English for `.en`), ids, money, dates and codes
/// kept whole, each reject with its hint, and a table too wide for A4 portrait on a landscape page.
@Suite struct HTMLReportPrintTests {
    private func report(language: Language = .zh, findings: [Discrepancy] = [], rejects: [HTMLReport.Reject] = [],
                        tables: [HTMLReport.Table] = []) throws -> String {
        try HTMLReport(title: "报告", subtitle: "zizhu test", facts: [.init("学期", "2023-fall")], tables: tables,
                       files: [.init(name: "roster.csv", encoding: "UTF-8, ','", read: 3, accepted: 2, rejected: 1, blank: 0, notes: [])],
                       findings: findings, rejects: rejects, rejectTotal: rejects.count, language: language).render()
    }

    private let finding = Discrepancy(code: "R03", term: "2023-fall", schoolCode: "3701J001", studentNo: "G370102200801011234",
                                      name: "张三", idNumber: "370102200801011234", expected: "1,500.00", actual: "2023-09-15",
                                      detail: "实发金额与审批金额不符", sources: ["ledger.csv:7"])

    /// The `<td>` holding exactly `text`, with its attributes.
    private func cell(_ html: String, _ text: String) -> String? {
        guard let end = html.range(of: ">\(text)</td>") else { return nil }
        guard let start = html[..<end.lowerBound].range(of: "<td", options: .backwards) else { return nil }
        return String(html[start.lowerBound..<end.lowerBound])
    }

    @Test func everyLabelHasChineseAndEnglish() {
        for label in ReportLabel.allCases {
            let entry = ReportLabel.table[label]
            #expect(entry != nil, "\(label) has no words")
            #expect(!(entry?.zh.isEmpty ?? true) && !(entry?.en.isEmpty ?? true), "\(label)")
            #expect(entry?.zh.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } ?? false
                        || label == .subtitle || label == .generatedAt, "\(label)'s Chinese holds no Chinese")
            // Placeholders match: the same {n} in both languages.
            let holes = { (text: String) in (0..<6).filter { text.contains("{\($0)}") } }
            #expect(holes(entry?.zh ?? "") == holes(entry?.en ?? ""), "\(label)")
        }
        #expect(ReportLabel.table.count == ReportLabel.allCases.count)
    }

    @Test func chineseByDefaultEnglishOnRequest() throws {
        let zh = try report(findings: [finding], rejects: [.init(file: "a.csv", line: 4, column: "身份证号", value: "x", rule: "ID_CHECKSUM",
                                                                  message: "校验位错误", hint: "核对身份证号")])
        for word in ["<html lang=\"zh-CN\">", "<h2>输入文件</h2>", "<h2>发现问题</h2>", "<h2>拒绝的行</h2>", "<th>身份证号</th>", "<th>处理建议</th>"] {
            #expect(zh.contains(word), "\(word)")
        }
        #expect(!zh.contains("Input files") && !zh.contains("Rejected rows"))
        let en = try report(language: .en, findings: [finding], rejects: [.init(file: "a.csv", line: 4, column: "身份证号", value: "x",
                                                                                rule: "ID_CHECKSUM", message: "bad", hint: "check it")])
        for word in ["<html lang=\"en\">", "<h2>Input files</h2>", "<h2>Findings</h2>", "<h2>Rejected rows</h2>", "<th>Id number</th>",
                     "<th>What to do</th>", ">R03</td>", ">ID_CHECKSUM</td>"] {
            #expect(en.contains(word), "\(word)")
        }
        #expect(!en.contains("输入文件") && !en.contains("拒绝的行"))
    }

    @Test func idsMoneyDatesAndCodesNeverWrap() throws {
        let html = try report(findings: [finding])
        #expect(html.contains(".tok, .num { white-space: nowrap;"))
        for text in ["3701J001", "G370102200801011234", "370102********1234", "1,500.00", "2023-09-15"] {
            let td = try #require(cell(html, text), "no cell \(text)")
            #expect(td.contains("class=\"tok\""), "\(text): \(td)")
        }
        // Counts and amounts of a job's table are numbers: right-aligned, whole.
        let table = HTMLReport.Table(title: "济南市 370100", columns: ["学校代码", "学生", "金额"], numeric: [1, 2], tokens: [0],
                                     rows: [["3701J001", "120", "180,000.00"]])
        let withTable = try report(tables: [table])
        #expect(cell(withTable, "180,000.00")?.contains("class=\"num\"") == true)
        #expect(cell(withTable, "3701J001")?.contains("class=\"tok\"") == true)
        // Prose wraps: a long detail is no token (the detail is not R03's name, 金额不符, which the summary table shows now).
        #expect(cell(html, "实发金额与审批金额不符")?.contains("class=\"\"") == true)
        #expect(!HTMLReport.isToken(String(repeating: "长", count: 40)) && !HTMLReport.isToken("a phrase of more than twenty-four characters"))
    }

    @Test func datesIdsAndAmountsInsideProseStayWholeAndPathsBreakAtSlashes() throws {
        let detail = "学籍注册日期 2023-10-27 is after the deadline; paid 1,500.00 to 370102********1234 <b>"
        let html = HTMLReport.cellHTML(detail, kind: .text)
        #expect(html.contains("<span class=\"tok\">2023-10-27</span>"))
        #expect(html.contains("<span class=\"tok\">1,500.00</span>"))
        #expect(html.contains("<span class=\"tok\">370102********1234</span>"))
        #expect(html.hasSuffix(" &lt;b&gt;"), "escaped: \(html)")
        #expect(HTMLReport.cellHTML("sample-data/finance/a.zip!b.csv:3", kind: .path) == "sample-data/<wbr>finance/<wbr>a.zip!<wbr>b.csv:3")
        // A short value with a space is read whole too (≤ 2023-10-20 wrapped after ≤ before).
        let page = try report(findings: [Discrepancy(code: "S05", studentNo: "2023000300075", expected: "≤ 2023-10-20", actual: "2023-10-27")])
        #expect(cell(page, "≤ 2023-10-20")?.contains("class=\"tok\"") == true)
    }

    @Test func eachRejectShowsItsHint() throws {
        let html = try report(rejects: [.init(file: "roster.csv", line: 4, column: "身份证号码", value: "110105194912310029",
                                              rule: "ID_CHECKSUM", message: "身份证号校验位错误", hint: "请核对身份证号的最后一位")])
        #expect(html.contains("<th>处理建议</th>"))
        #expect(html.contains(">请核对身份证号的最后一位</td>"))
        #expect(html.contains(">110105********0029</td>"), "the value is masked")
        #expect(cell(html, "4")?.contains("class=\"num\"") == true)
    }

    @Test func aTableTooWideForPortraitPrintsOnALandscapePage() throws {
        #expect(try report().contains("@page wide { size: A4 landscape;"))
        let narrow = HTMLReport.Table(title: "窄", columns: ["代码", "数量"], numeric: [1], tokens: [0], rows: [["3701J001", "12"]])
        let wide = HTMLReport.Table(title: "宽", columns: (1...12).map { "列\($0)" }, tokens: Set(0..<12),
                                    rows: [(1...12).map { _ in "370102200801011234" }])
        let html = try report(tables: [narrow, wide])
        #expect(html.contains("<section class=\"portrait\">\n<h2>窄</h2>"))
        #expect(html.contains("<section class=\"wide\""), "12 columns of 18-digit ids do not fit 186 mm")
        #expect(html.contains("section.wide { page: wide; }"))
        // Wider than landscape too: scaled to fit.
        #expect(HTMLReport.layout(minimumWidthMM: 100) == (false, nil))
        #expect(HTMLReport.layout(minimumWidthMM: 200) == (false, 93), "a little too wide: scaled, still portrait")
        #expect(HTMLReport.layout(minimumWidthMM: 250) == (true, nil))
        let scaled = HTMLReport.layout(minimumWidthMM: 400)
        #expect(scaled.wide && (scaled.zoom ?? 100) < 70)
    }

    @Test func amountsAreGroupedByThousandsForPeople() {
        #expect(HTMLReport.grouped(yuan: "1234567.50") == "1,234,567.50")
        #expect(HTMLReport.grouped(yuan: "-1000.00") == "-1,000.00")
        #expect(HTMLReport.grouped(yuan: "999.00") == "999.00")
        #expect(HTMLReport.grouped(yuan: "0.00") == "0.00")
        #expect(HTMLReport.grouped(yuan: "n/a") == "n/a")
    }

    @Test func sameInputSameBytes() throws {
        #expect(try report(findings: [finding]) == report(findings: [finding]))
    }
}
