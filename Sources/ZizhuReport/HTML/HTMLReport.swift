import Foundation
import Mustache
import ZizhuCore

/// `report.html`: one self-contained page (no network, no script needed) a person reads or
/// prints on A4 — totals, a chart of findings per code, the findings grouped by code, rejects.
///
/// Deterministic: it holds no clock time, so two runs on the same inputs give the same bytes.
public struct HTMLReport: Sendable {
    public struct Fact: Sendable { public var label: String; public var value: String
        public init(_ label: String, _ value: String) { self.label = label; self.value = value } }
    public struct FileRow: Sendable { public var name: String; public var encoding: String; public var read: Int
        public var accepted: Int; public var rejected: Int; public var blank: Int; public var notes: [String]
        public init(name: String, encoding: String, read: Int, accepted: Int, rejected: Int, blank: Int, notes: [String]) {
            self.name = name; self.encoding = encoding; self.read = read; self.accepted = accepted
            self.rejected = rejected; self.blank = blank; self.notes = notes } }
    public struct Reject: Sendable { public var file: String; public var line: Int; public var column: String
        public var value: String; public var rule: String; public var message: String
        public init(file: String, line: Int, column: String, value: String, rule: String, message: String) {
            self.file = file; self.line = line; self.column = column; self.value = value; self.rule = rule; self.message = message } }

    /// A table of a job's own (merge: one per city), shown after the facts. Cells are text;
    /// `numeric` columns are right-aligned.
    public struct Table: Sendable {
        public var title: String
        public var note: String
        public var columns: [String]
        public var numeric: Set<Int>
        public var rows: [[String]]
        public init(title: String, note: String = "", columns: [String], numeric: Set<Int> = [], rows: [[String]]) {
            self.title = title; self.note = note; self.columns = columns; self.numeric = numeric; self.rows = rows }
    }

    public var title: String
    public var subtitle: String
    /// With a run history: "since the last run: N new, M resolved, K still open" (issue 16).
    public var sinceLastRun: String? = nil
    public var facts: [Fact]
    /// The job's own tables (empty for most jobs).
    public var tables: [Table] = []
    public var files: [FileRow]
    /// Findings, sorted; the page masks them again (a person reads it: ids and accounts in any
    /// cell are masked, contract §9), as it masks reject values, notes, facts and table cells.
    public var findings: [Discrepancy]
    public var rejects: [Reject]
    public var rejectTotal: Int
    /// Rows of rejects shown; the rest are in rejects.csv.
    public static let rejectLimit = 1000
    public static let findingLimit = 5000

    public init(title: String, subtitle: String, facts: [Fact], tables: [Table] = [], files: [FileRow], findings: [Discrepancy],
                rejects: [Reject], rejectTotal: Int) {
        self.title = title
        self.subtitle = subtitle
        self.facts = facts
        self.tables = tables
        self.files = files
        self.findings = findings
        self.rejects = rejects
        self.rejectTotal = rejectTotal
    }

    /// Renders the page.
    public func render() throws -> String {
        let template = try MustacheTemplate(string: Self.template)
        return template.render(context())
    }

    func context() -> [String: Any] {
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.code, default: 0] += 1 }
        let codes = counts.keys.sorted()
        let maxCount = max(1, counts.values.max() ?? 1)
        let barHeight = 22
        var bars: [[String: Any]] = []
        for (i, code) in codes.enumerated() {
            let count = counts[code] ?? 0
            let entry = FindingCatalog.entry(code)
            bars.append([
                "code": code, "name": entry?.name ?? "", "count": count,
                "summary": entry?.summary ?? "",
                "severity": (entry?.severity ?? .error).rawValue,
                "color": (entry?.severity ?? .error) == .error ? "#c0392b" : "#d68910",
                "y": i * barHeight + 4, "textY": i * barHeight + 19,
                "width": max(2, Int((Double(count) / Double(maxCount) * 420).rounded())),
                "labelX": max(2, Int((Double(count) / Double(maxCount) * 420).rounded())) + 46,
            ])
        }
        var groups: [[String: Any]] = []
        var shown = 0
        for code in codes {
            let rows = findings.filter { $0.code == code }
            let visible = rows.prefix(max(0, Self.findingLimit - shown))
            shown += visible.count
            groups.append([
                "code": code, "name": FindingCatalog.entry(code)?.name ?? "", "count": rows.count,
                "summary": FindingCatalog.entry(code)?.summary ?? "",
                "hidden": rows.count - visible.count,
                "hasHidden": rows.count > visible.count,
                "rows": visible.map { f -> [String: Any] in
                    let f = FindingsWriter.masked(f)
                    return ["severity": f.severity.rawValue, "term": f.term, "school": f.schoolCode, "studentNo": f.studentNo,
                            "name": f.name, "id": f.idNumber, "expected": f.expected, "actual": f.actual,
                            "detail": f.detail, "sources": f.sources.joined(separator: "; ")]
                },
            ])
        }
        return [
            "title": title, "subtitle": subtitle, "hasSinceLastRun": sinceLastRun != nil, "sinceLastRun": sinceLastRun.map(Masking.text) ?? "",
            "facts": facts.map { ["label": $0.label, "value": Masking.text($0.value)] },
            "tables": tables.map { table -> [String: Any] in
                [
                    "title": table.title, "note": table.note, "hasNote": !table.note.isEmpty,
                    "columns": table.columns.map { ["text": $0] },
                    "rows": table.rows.map { row -> [String: Any] in
                        ["cells": row.enumerated().map { ["text": Masking.text($1), "class": table.numeric.contains($0) ? "n" : ""] }]
                    },
                ]
            },
            "files": files.map { f -> [String: Any] in
                ["name": f.name, "encoding": f.encoding, "read": f.read, "accepted": f.accepted, "rejected": f.rejected,
                 "blank": f.blank, "notes": f.notes.map { ["text": Masking.text($0)] }]
            },
            "hasFindings": !findings.isEmpty, "findingCount": findings.count,
            "bars": bars, "chartHeight": codes.count * barHeight + 8, "groups": groups,
            "hasRejects": rejectTotal > 0, "rejectTotal": rejectTotal,
            "rejects": rejects.prefix(Self.rejectLimit).map { r -> [String: Any] in
                ["file": r.file, "line": r.line, "column": Masking.text(r.column), "value": Masking.text(r.value), "rule": r.rule,
                 "message": Masking.text(r.message)]
            },
            "rejectsHidden": max(0, rejectTotal - min(rejects.count, Self.rejectLimit)),
            "hasRejectsHidden": rejectTotal > min(rejects.count, Self.rejectLimit),
        ]
    }

    static let template = #"""
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{title}}</title>
<style>
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10.5pt; color: #1a1a1a; margin: 0 auto; max-width: 190mm; padding: 8mm 4mm; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; border-bottom: 1.5px solid #333; padding-bottom: 1mm; margin: 7mm 0 3mm; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; }
.subtitle { color: #555; margin-bottom: 4mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; }
th, td { border: 1px solid #bbb; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef1f5; word-break: keep-all; overflow-wrap: normal; font-size: 9.5pt; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.facts td:first-child { width: 38%; color: #444; }
.error { color: #a40000; font-weight: bold; }
.warning { color: #8a5a00; font-weight: bold; }
.note { color: #8a5a00; font-size: 9.5pt; }
.muted { color: #666; font-size: 9.5pt; }
.ok { color: #176117; font-weight: bold; }
svg text { font-size: 11px; font-family: inherit; }
tr, .group { page-break-inside: avoid; }
thead { display: table-header-group; }
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
</style>
</head>
<body>
<h1>{{title}}</h1>
<div class="subtitle">{{subtitle}}</div>{{#hasSinceLastRun}}<p class="since">{{sinceLastRun}}</p>{{/hasSinceLastRun}}
<table class="facts">
{{#facts}}<tr><td>{{label}}</td><td>{{value}}</td></tr>
{{/facts}}
</table>
{{#tables}}
<h2>{{title}}</h2>
{{#hasNote}}<div class="muted">{{note}}</div>{{/hasNote}}
<table>
<thead><tr>{{#columns}}<th>{{text}}</th>{{/columns}}</tr></thead>
<tbody>
{{#rows}}<tr>{{#cells}}<td class="{{class}}">{{text}}</td>{{/cells}}</tr>
{{/rows}}
</tbody>
</table>
{{/tables}}

<h2>输入文件 Input files</h2>
<table>
<thead><tr><th>文件 File</th><th>编码 Encoding</th><th>读入 Read</th><th>接受 Accepted</th><th>拒绝 Rejected</th><th>空行 Blank</th></tr></thead>
<tbody>
{{#files}}<tr><td>{{name}}{{#notes}}<div class="note">⚠ {{text}}</div>{{/notes}}</td><td>{{encoding}}</td><td class="n">{{read}}</td><td class="n">{{accepted}}</td><td class="n">{{rejected}}</td><td class="n">{{blank}}</td></tr>
{{/files}}
</tbody>
</table>

<h2>发现问题 Findings</h2>
{{^hasFindings}}<p class="ok">未发现问题 No findings.</p>{{/hasFindings}}
{{#hasFindings}}
<svg width="640" height="{{chartHeight}}" viewBox="0 0 640 {{chartHeight}}" role="img" aria-label="findings per code">
{{#bars}}<text x="0" y="{{textY}}">{{code}}</text><rect x="40" y="{{y}}" width="{{width}}" height="16" fill="{{color}}"></rect><text x="{{labelX}}" y="{{textY}}">{{count}} {{name}}</text>
{{/bars}}
</svg>
<table>
<thead><tr><th>代码 Code</th><th>名称 Name</th><th>级别 Severity</th><th>数量 Count</th><th>说明 Meaning</th></tr></thead>
<tbody>
{{#bars}}<tr><td>{{code}}</td><td>{{name}}</td><td class="{{severity}}">{{severity}}</td><td class="n">{{count}}</td><td>{{summary}}</td></tr>
{{/bars}}
</tbody>
</table>
{{#groups}}
<div class="group">
<h3>{{code}} {{name}} — {{count}}</h3>
<div class="muted">{{summary}}</div>
<table>
<thead><tr><th>学校 School</th><th>学籍号 No.</th><th>姓名 Name</th><th>身份证号 Id</th><th>应为 Expected</th><th>实为 Actual</th><th>说明 Detail</th><th>来源 Sources</th></tr></thead>
<tbody>
{{#rows}}<tr><td>{{school}}</td><td>{{studentNo}}</td><td>{{name}}</td><td>{{id}}</td><td>{{expected}}</td><td>{{actual}}</td><td>{{detail}}</td><td class="muted">{{sources}}</td></tr>
{{/rows}}
</tbody>
</table>
{{#hasHidden}}<p class="muted">… and {{hidden}} more in discrepancies.csv</p>{{/hasHidden}}
</div>
{{/groups}}
{{/hasFindings}}

<h2>拒绝的行 Rejected rows</h2>
{{^hasRejects}}<p class="ok">没有被拒绝的行 No rejected rows.</p>{{/hasRejects}}
{{#hasRejects}}
<p>{{rejectTotal}} reasons in all; each row below names the file, the physical line and the column.</p>
<table>
<thead><tr><th>文件 File</th><th>行 Line</th><th>列 Column</th><th>值 Value</th><th>规则 Rule</th><th>说明 Message</th></tr></thead>
<tbody>
{{#rejects}}<tr><td>{{file}}</td><td class="n">{{line}}</td><td>{{column}}</td><td>{{value}}</td><td>{{rule}}</td><td>{{message}}</td></tr>
{{/rejects}}
</tbody>
</table>
{{#hasRejectsHidden}}<p class="muted">… and {{rejectsHidden}} more in rejects.csv</p>{{/hasRejectsHidden}}
{{/hasRejects}}
</body>
</html>
"""#
}
