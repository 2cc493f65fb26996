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
        /// What to do about it (the rule's hint), shown beside the message.
        public var hint: String
        public init(file: String, line: Int, column: String, value: String, rule: String, message: String, hint: String = "") {
            self.file = file; self.line = line; self.column = column; self.value = value; self.rule = rule; self.message = message
            self.hint = hint } }

    /// A table of a job's own (merge: one per city), shown after the facts. Cells are text;
    /// `numeric` columns are right-aligned and never wrap; `tokens` columns (codes, dates, ids)
    /// never wrap either; `paths` columns may break anywhere (file paths, archive!entry names).
    public struct Table: Sendable {
        public var title: String
        public var note: String
        public var columns: [String]
        public var numeric: Set<Int>
        public var tokens: Set<Int>
        public var paths: Set<Int>
        public var rows: [[String]]
        public init(title: String, note: String = "", columns: [String], numeric: Set<Int> = [], tokens: Set<Int> = [],
                    paths: Set<Int> = [], rows: [[String]]) {
            self.title = title; self.note = note; self.columns = columns; self.numeric = numeric; self.tokens = tokens
            self.paths = paths; self.rows = rows }
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
    /// The language of the page's own words (headings, column titles); codes never change.
    public var language: Language

    public init(title: String, subtitle: String, facts: [Fact], tables: [Table] = [], files: [FileRow], findings: [Discrepancy],
                rejects: [Reject], rejectTotal: Int, language: Language = .zh) {
        self.language = language
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

    /// How a cell prints. Codes, ids, dates and numbers (`token`, `number`) never wrap mid-token
    /// (CSS `white-space: nowrap`); a `path` may break anywhere; `text` wraps between words and
    /// Chinese characters.
    enum CellKind {
        case text, token, number, path

        /// The cell's class in the page: `num` right-aligned, `tok` kept whole, `path` broken anywhere.
        func cssClass(_ text: String) -> String {
            switch self {
            case .text: return ""
            case .number: return "num"
            case .path: return "path"
            // A long value with spaces is prose, not a token: it wraps like text.
            case .token: return HTMLReport.isToken(text) ? "tok" : ""
            }
        }
    }

    /// Whether `text` is read whole (a code, id, date, amount, or a short value such as
    /// `≤ 2023-10-20` or `国家助学金 application`): one word of at most 32 characters, or at most
    /// 24 characters in all — short enough that one line cannot push a table off the page.
    static func isToken(_ text: String) -> Bool {
        text.count <= 24 || (text.count <= 32 && !text.contains { $0.isWhitespace })
    }

    /// Fingerprints, dates, ids (masked or not), school codes, student numbers and amounts inside prose: kept
    /// whole (`<span class="tok">`) where the prose around them wraps.
    static let tokenPattern = try? NSRegularExpression(
        pattern: #"[0-9a-f]{16,}…?|\d{4}-\d{2}-\d{2}|[A-Z]?\d[\d*]{5,}[\dXx]|\d{4}[A-Z]\d{3}|\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2}"#)

    /// The tokens of `text` that `tokenPattern` keeps whole.
    static func tokens(in text: String) -> [Substring] {
        guard let pattern = tokenPattern else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { text[$0] } }
    }

    /// An amount in yuan as people read it on paper: `1234567.50` → `1,234,567.50` (a minus sign
    /// kept); any other text unchanged. The machine files keep the plain form.
    public static func grouped(yuan text: String) -> String {
        var digits = Substring(text)
        var sign = ""
        if digits.first == "-" { sign = "-"; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return text }
        var integer = ""
        for (i, digit) in parts[0].enumerated() {
            if i > 0, (parts[0].count - i) % 3 == 0 { integer += "," }
            integer.append(digit)
        }
        return sign + integer + (parts.count == 2 ? "." + parts[1] : "")
    }

    /// HTML-escaped text (`&`, `<`, `>`, `"`, `'`).
    static func escape<S: StringProtocol>(_ text: S) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A cell's HTML: escaped; a path may break after `/` and `!` (`<wbr>`, which copying leaves
    /// out); prose keeps its dates, ids and amounts whole.
    static func cellHTML(_ text: String, kind: CellKind) -> String {
        switch kind {
        case .path:
            return escape(text).replacingOccurrences(of: "/", with: "/<wbr>").replacingOccurrences(of: "!", with: "!<wbr>")
        case .text:
            var out = ""
            var rest = text.startIndex
            for token in tokens(in: text) {
                out += escape(text[rest..<token.startIndex]) + "<span class=\"tok\">" + escape(token) + "</span>"
                rest = token.endIndex
            }
            return out + escape(text[rest...])
        case .token, .number:
            return escape(text)
        }
    }

    /// The printable width of an A4 portrait page with the `@page` margins, and of a landscape one,
    /// in mm, less 4 mm of slack for the estimate below.
    static let portraitWidthMM = 186.0
    static let landscapeWidthMM = 273.0
    /// Font size of the data tables, in pt.
    static let tableFontPt = 8.5

    /// The narrowest a table can print, in mm: per column, the widest cell that may not wrap (a
    /// token or a number whole, the longest word of a title; text and paths break anywhere), plus
    /// the cell padding. Latin letters and digits are taken as 0.58 em wide, Chinese as 1 em — a
    /// little wider than Noto Sans CJK draws them, so the estimate errs towards landscape.
    static func minimumWidthMM(columns: [String], rows: [[(text: String, kind: CellKind)]]) -> Double {
        let em = tableFontPt * 25.4 / 72
        func width(_ text: Substring) -> Double {
            text.unicodeScalars.reduce(0) { $0 + ($1.value < 0x2E80 ? 0.58 : 1) } * em
        }
        var total = 0.0
        for (i, title) in columns.enumerated() {
            var widest = title.split(whereSeparator: { $0 == " " || $0 == "/" }).map { width($0) }.max() ?? 0
            for row in rows where i < row.count {
                let cell = row[i]
                switch cell.kind.cssClass(cell.text) {
                case "num", "tok": widest = max(widest, width(cell.text[...]))
                case "path": widest = max(widest, em)
                default: widest = max(widest, tokens(in: cell.text).map(width).max() ?? em)
                }
            }
            total += widest + 2 * 1.4 + 0.3
        }
        return total
    }

    /// How a table of `minimumWidthMM` prints: on the portrait page; a little too wide, on the
    /// portrait page scaled down to no less than 85 % (CSS zoom, in percent) — a clerk would rather
    /// not turn the sheet for one table; wider, on a landscape page of its own (CSS named page
    /// `wide`); wider still, landscape and scaled down.
    static func layout(minimumWidthMM width: Double) -> (wide: Bool, zoom: Int?) {
        if width <= portraitWidthMM { return (false, nil) }
        if width <= portraitWidthMM / 0.85 { return (false, Int((100 * portraitWidthMM / width).rounded(.down))) }
        if width <= landscapeWidthMM { return (true, nil) }
        return (true, max(50, Int((100 * landscapeWidthMM / width).rounded(.down))))
    }

    private func label(_ label: ReportLabel, _ arguments: CustomStringConvertible...) -> String {
        label.text(language, arguments: arguments)
    }

    /// A table's mustache context: its cells with their classes, and its page layout.
    private func tableContext(columns: [String], rows: [[(text: String, kind: CellKind)]]) -> [String: Any] {
        let layout = Self.layout(minimumWidthMM: Self.minimumWidthMM(columns: columns, rows: rows))
        return [
            "columns": columns.map { ["text": $0] },
            // A row's cells are made here, not by a Mustache section per cell: 5,000 findings of
            // eight cells each cost the template ~150,000 instructions a cell (a second per report).
            "rows": rows.map { row -> [String: Any] in
                var html = ""
                for cell in row {
                    html += "<td class=\"" + Self.escape(cell.kind.cssClass(cell.text)) + "\">" + Self.cellHTML(cell.text, kind: cell.kind) + "</td>"
                }
                return ["cellsHTML": html]
            },
            "section": layout.wide ? "wide" : "portrait",
            "hasZoom": layout.zoom != nil, "zoom": layout.zoom ?? 100,
        ]
    }

    func context() -> [String: Any] {
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.code, default: 0] += 1 }
        let codes = counts.keys.sorted()
        let maxCount = max(1, counts.values.max() ?? 1)
        let barHeight = 22
        func severityText(_ severity: Severity) -> String {
            severity == .error ? label(.severityError) : label(.severityWarning)
        }
        var bars: [[String: Any]] = []
        for (i, code) in codes.enumerated() {
            let count = counts[code] ?? 0
            let entry = FindingCatalog.entry(code)
            let severity = entry?.severity ?? .error
            bars.append([
                "code": code, "name": entry?.name(language) ?? "", "count": count,
                "summary": entry?.summary(language) ?? "",
                "severity": severity.rawValue, "severityText": severityText(severity),
                "color": severity == .error ? "#c0392b" : "#d68910",
                "y": i * barHeight + 4, "textY": i * barHeight + 19,
                "width": max(2, Int((Double(count) / Double(maxCount) * 420).rounded())),
                "labelX": max(2, Int((Double(count) / Double(maxCount) * 420).rounded())) + 46,
            ])
        }
        let findingColumns = [label(.school), label(.studentNo), label(.personName), label(.idNumber), label(.expected),
                              label(.actual), label(.detail), label(.sources)]
        var groups: [[String: Any]] = []
        var shown = 0
        for code in codes {
            let rows = findings.filter { $0.code == code }
            let visible = rows.prefix(max(0, Self.findingLimit - shown))
            shown += visible.count
            let cells = visible.map { f -> [(text: String, kind: CellKind)] in
                let f = FindingsWriter.masked(f)
                return [(f.schoolCode, .token), (f.studentNo, .token), (f.name, .token), (f.idNumber, .token),
                        (f.expected, .token), (f.actual, .token), (f.detail, .text), (f.sources.joined(separator: "; "), .path)]
            }
            var group: [String: Any] = [
                "code": code, "name": FindingCatalog.entry(code)?.name(language) ?? "", "count": rows.count,
                "summary": FindingCatalog.entry(code)?.summary(language) ?? "",
                "hidden": label(.moreFindings, rows.count - visible.count),
                "hasHidden": rows.count > visible.count,
            ]
            group.merge(tableContext(columns: findingColumns, rows: cells)) { $1 }
            groups.append(group)
        }
        let rejectRows = rejects.prefix(Self.rejectLimit).map { r -> [(text: String, kind: CellKind)] in
            [(r.file, .path), (String(r.line), .number), (Masking.text(r.column), .token), (Masking.text(r.value), .token),
             (r.rule, .token), (Masking.text(r.message), .text), (Masking.text(r.hint), .text)]
        }
        var rejectTable = tableContext(
            columns: [label(.file), label(.line), label(.column), label(.value), label(.rule), label(.message), label(.hint)],
            rows: rejectRows)
        rejectTable["intro"] = label(.rejectsIntro, rejectTotal)
        let fileColumns = [label(.file), label(.encoding), label(.read), label(.accepted), label(.rejected), label(.blank)]
        let hiddenRejects = max(0, rejectTotal - min(rejects.count, Self.rejectLimit))
        return [
            "lang": language == .en ? "en" : "zh-CN",
            "title": title, "subtitle": subtitle, "hasSinceLastRun": sinceLastRun != nil, "sinceLastRun": sinceLastRun.map(Masking.text) ?? "",
            "facts": facts.map { fact -> [String: Any] in
                let value = Masking.text(fact.value)
                return ["label": fact.label, "value": value, "class": value.count <= 64 && !value.contains { $0.isWhitespace } ? "tok" : ""]
            },
            "tables": tables.map { table -> [String: Any] in
                let rows = table.rows.map { row in
                    row.enumerated().map { i, text -> (text: String, kind: CellKind) in
                        (Masking.text(text), table.numeric.contains(i) ? .number : table.tokens.contains(i) ? .token
                            : table.paths.contains(i) ? .path : .text)
                    }
                }
                var context = tableContext(columns: table.columns, rows: rows)
                context["title"] = table.title
                context["note"] = table.note
                context["hasNote"] = !table.note.isEmpty
                return context
            },
            "filesTitle": label(.inputFiles),
            "fileColumns": fileColumns.map { ["text": $0] },
            "files": files.map { f -> [String: Any] in
                ["name": Self.cellHTML(f.name, kind: .path), "encoding": f.encoding, "read": f.read, "accepted": f.accepted, "rejected": f.rejected,
                 "blank": f.blank, "notes": f.notes.map { ["html": Self.cellHTML(Masking.text($0), kind: .text)] }]
            },
            "findingsTitle": label(.findings), "noFindings": label(.noFindings), "chartLabel": label(.chartLabel),
            "codeColumns": [label(.code), label(.name), label(.severity), label(.count), label(.meaning)].map { ["text": $0] },
            "hasFindings": !findings.isEmpty, "findingCount": findings.count,
            "bars": bars, "chartHeight": codes.count * barHeight + 8, "groups": groups,
            "rejectsTitle": label(.rejectedRows), "noRejects": label(.noRejects),
            "hasRejects": rejectTotal > 0, "rejectTable": rejectTable,
            "rejectsHidden": label(.moreRejects, hiddenRejects),
            "hasRejectsHidden": rejectTotal > min(rejects.count, Self.rejectLimit),
        ]
    }

    static let template = #"""
<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<title>{{title}}</title>
<style>
@page { size: A4 portrait; margin: 12mm 10mm; }
@page wide { size: A4 landscape; margin: 12mm 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10pt; line-height: 1.35; color: #1a1a1a; margin: 0 auto; max-width: 190mm; padding: 6mm 0; }
h1 { font-size: 16pt; margin: 0 0 1.5mm; }
h2 { font-size: 12.5pt; border-bottom: 1.5px solid #333; padding-bottom: 1mm; margin: 6mm 0 2.5mm; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
.subtitle { color: #555; margin-bottom: 3mm; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; table-layout: auto; }
th, td { border: 1px solid #bbb; padding: 1mm 1.4mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef1f5; word-break: keep-all; overflow-wrap: normal; font-weight: bold; }
table.data { font-size: 8.5pt; line-height: 1.3; }
table.facts { font-size: 9.5pt; }
.facts td:first-child { width: 30%; color: #444; }
.tok, .num { white-space: nowrap; overflow-wrap: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.path { overflow-wrap: anywhere; color: #555; }
.group-head { break-inside: avoid; break-after: avoid; }
.error { color: #a40000; font-weight: bold; }
.warning { color: #8a5a00; font-weight: bold; }
.note { color: #8a5a00; font-size: 8.5pt; }
.muted { color: #666; font-size: 9pt; }
.ok { color: #176117; font-weight: bold; }
svg { max-width: 100%; height: auto; }
svg text { font-size: 11px; font-family: inherit; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
section.wide { page: wide; }
@media screen { section.wide { width: 277mm; } }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
</style>
</head>
<body>
<h1>{{title}}</h1>
<div class="subtitle">{{subtitle}}</div>{{#hasSinceLastRun}}<p class="since">{{sinceLastRun}}</p>{{/hasSinceLastRun}}
<table class="facts">
{{#facts}}<tr><td>{{label}}</td><td class="{{class}}">{{value}}</td></tr>
{{/facts}}
</table>
{{#tables}}
<section class="{{section}}"{{#hasZoom}} style="zoom: {{zoom}}%"{{/hasZoom}}>
<h2>{{title}}</h2>
{{#hasNote}}<div class="muted">{{note}}</div>{{/hasNote}}
<table class="data">
<thead><tr>{{#columns}}<th>{{text}}</th>{{/columns}}</tr></thead>
<tbody>
{{#rows}}<tr>{{{cellsHTML}}}</tr>
{{/rows}}
</tbody>
</table>
</section>
{{/tables}}

<h2>{{filesTitle}}</h2>
<table class="data">
<thead><tr>{{#fileColumns}}<th>{{text}}</th>{{/fileColumns}}</tr></thead>
<tbody>
{{#files}}<tr><td class="path">{{{name}}}{{#notes}}<div class="note">⚠ {{{html}}}</div>{{/notes}}</td><td class="tok">{{encoding}}</td><td class="num">{{read}}</td><td class="num">{{accepted}}</td><td class="num">{{rejected}}</td><td class="num">{{blank}}</td></tr>
{{/files}}
</tbody>
</table>

<h2>{{findingsTitle}}</h2>
{{^hasFindings}}<p class="ok">{{noFindings}}</p>{{/hasFindings}}
{{#hasFindings}}
<svg width="640" height="{{chartHeight}}" viewBox="0 0 640 {{chartHeight}}" role="img" aria-label="{{chartLabel}}">
{{#bars}}<text x="0" y="{{textY}}">{{code}}</text><rect x="40" y="{{y}}" width="{{width}}" height="16" fill="{{color}}"></rect><text x="{{labelX}}" y="{{textY}}">{{count}} {{name}}</text>
{{/bars}}
</svg>
<table class="data">
<thead><tr>{{#codeColumns}}<th>{{text}}</th>{{/codeColumns}}</tr></thead>
<tbody>
{{#bars}}<tr><td class="tok">{{code}}</td><td>{{name}}</td><td class="tok {{severity}}">{{severityText}}</td><td class="num">{{count}}</td><td>{{summary}}</td></tr>
{{/bars}}
</tbody>
</table>
{{#groups}}
<section class="{{section}}"{{#hasZoom}} style="zoom: {{zoom}}%"{{/hasZoom}}>
<div class="group-head">
<h3>{{code}} {{name}} — {{count}}</h3>
<div class="muted">{{summary}}</div>
</div>
<table class="data">
<thead><tr>{{#columns}}<th>{{text}}</th>{{/columns}}</tr></thead>
<tbody>
{{#rows}}<tr>{{{cellsHTML}}}</tr>
{{/rows}}
</tbody>
</table>
{{#hasHidden}}<p class="muted">{{hidden}}</p>{{/hasHidden}}
</section>
{{/groups}}
{{/hasFindings}}

<h2>{{rejectsTitle}}</h2>
{{^hasRejects}}<p class="ok">{{noRejects}}</p>{{/hasRejects}}
{{#hasRejects}}
{{#rejectTable}}
<section class="{{section}}"{{#hasZoom}} style="zoom: {{zoom}}%"{{/hasZoom}}>
<p>{{intro}}</p>
<table class="data">
<thead><tr>{{#columns}}<th>{{text}}</th>{{/columns}}</tr></thead>
<tbody>
{{#rows}}<tr>{{{cellsHTML}}}</tr>
{{/rows}}
</tbody>
</table>
</section>
{{/rejectTable}}
{{#hasRejectsHidden}}<p class="muted">{{rejectsHidden}}</p>{{/hasRejectsHidden}}
{{/hasRejects}}
</body>
</html>
"""#
}
