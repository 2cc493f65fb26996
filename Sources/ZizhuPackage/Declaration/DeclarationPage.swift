import Foundation
import Mustache

/// `declaration.html`: the printable 申报数据真实性声明 (contract §8) — one A4 portrait page the
/// principal (校长) prints, signs and stamps.
///
/// It shows the school, the term, the declared counts, the package file name and the data
/// fingerprint (数据指纹) in groups of four hex digits so two people can read it to each other, the
/// data files in small print, the statement, and the signature block (校长签字, 学校盖章, 日期).
///
/// Deterministic: the only time on the page is the manifest's `generated_at`, so the same package
/// gives the same bytes. Self-contained: no script, no network; every value is HTML-escaped.
public struct DeclarationPage: Sendable {
    public var declaration: Declaration
    public var manifest: PackageManifest
    /// `{school_code}_{term}.zip`, as written next to the page.
    public var packageFileName: String

    /// The aid types and 国家助学金 tiers the form always lists, in this order (with 0 when absent);
    /// any other key in the counts follows, sorted.
    static let standardAidTypes = ["国家助学金", "免学费"]
    static let standardTiers = ["一档", "二档", "三档"]

    public init(declaration: Declaration, manifest: PackageManifest, packageFileName: String) {
        self.declaration = declaration
        self.manifest = manifest
        self.packageFileName = packageFileName
    }

    /// Renders the page.
    public func render() throws -> String {
        let template = try MustacheTemplate(string: Self.template)
        return template.render(context())
    }

    func context() -> [String: Any] {
        let counts = declaration.counts
        var rows: [[String: Any]] = []
        rows.append(Self.row(item: "全日制在籍学生数", value: counts.fullTimeEnrolled, unit: "人"))
        let aid = Self.ordered(counts.applicationsByAidType, first: Self.standardAidTypes)
        for (i, entry) in aid.enumerated() {
            rows.append(Self.row(group: "申报人数<br>（不含退回）", first: i == 0, span: aid.count,
                                 item: entry.key, value: entry.value, unit: "人"))
        }
        let tiers = Self.ordered(counts.grantApplicationsByTier, first: Self.standardTiers)
        for (i, entry) in tiers.enumerated() {
            rows.append(Self.row(group: "国家助学金<br>分档人数", first: i == 0, span: tiers.count,
                                 item: entry.key, value: entry.value, unit: "人"))
        }
        let amount = Self.groupedYuan(counts.grantAmount) ?? counts.grantAmount
        var context: [String: Any] = [
            "title": declaration.title,
            "schoolName": declaration.schoolName,
            "schoolCode": declaration.schoolCode,
            "term": declaration.term,
            "termName": declaration.termName,
            "rows": rows,
            "grantAmount": amount,
            "packageFileName": packageFileName,
            "fingerprint": declaration.fingerprint,
            "fingerprintGrouped": Self.fingerprintLines(declaration.fingerprint).joined(separator: "\n"),
            "dataEntries": PackageFormat.dataEntries.joined(separator: "、"),
            "files": manifest.files.map { f -> [String: Any] in
                ["path": f.path, "rows": f.rows, "bytes": f.bytes, "sha256": f.sha256]
            },
            "statement": declaration.statement,
            "generatedAt": manifest.generatedAt,
            "tool": manifest.tool,
        ]
        if let upper = Self.chineseUppercaseYuan(counts.grantAmount) { context["grantAmountUpper"] = upper }
        if let signature = declaration.signature {
            context["signature"] = ["algorithm": signature.algorithm, "keyId": signature.keyId]
        }
        return context
    }

    /// One line of the counts table. `group` is template text (it holds a `<br>`), never data.
    private static func row(group: String? = nil, first: Bool = true, span: Int = 1, item: String, value: Int,
                            unit: String) -> [String: Any] {
        var row: [String: Any] = ["item": item, "value": value, "unit": unit]
        if let group {
            row["grouped"] = true
            if first { row["head"] = ["group": group, "span": span] }
        }
        return row
    }

    /// The standard keys first (0 when missing), then the others sorted.
    static func ordered(_ counts: [String: Int], first: [String]) -> [(key: String, value: Int)] {
        first.map { ($0, counts[$0] ?? 0) } + counts.filter { !first.contains($0.key) }.sorted { $0.key < $1.key }
    }

    /// The fingerprint as lines of eight groups of four characters: `1a2b 3c4d …`, two lines for
    /// a SHA-256 — short enough to read aloud group by group and compare with the province's copy.
    static func fingerprintLines(_ fingerprint: String) -> [String] {
        let characters = Array(fingerprint)
        var groups: [String] = []
        var start = 0
        while start < characters.count {
            groups.append(String(characters[start..<min(start + 4, characters.count)]))
            start += 4
        }
        var lines: [String] = []
        start = 0
        while start < groups.count {
            lines.append(groups[start..<min(start + 8, groups.count)].joined(separator: " "))
            start += 8
        }
        return lines
    }

    /// Splits `1234567.5` into integer digits and two fraction digits; nil unless it is a plain
    /// non-negative decimal with at most two fraction digits.
    private static func yuanParts(_ amount: String) -> (integer: [UInt8], fraction: [UInt8])? {
        let parts = amount.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 2, (parts.count == 1 || !fraction.isEmpty) else { return nil }
        func digits(_ text: Substring) -> [UInt8]? {
            var out: [UInt8] = []
            for byte in text.utf8 {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                out.append(byte - 0x30)
            }
            return out
        }
        guard var integer = digits(whole), var cents = digits(fraction) else { return nil }
        while integer.count > 1, integer.first == 0 { integer.removeFirst() }
        while cents.count < 2 { cents.append(0) }
        return (integer, cents)
    }

    /// `1234567.5` → `1,234,567.50`; nil when the amount is not a plain decimal.
    static func groupedYuan(_ amount: String) -> String? {
        guard let (integer, fraction) = yuanParts(amount) else { return nil }
        var text = ""
        for (i, digit) in integer.enumerated() {
            if i > 0, (integer.count - i) % 3 == 0 { text += "," }
            text += String(digit)
        }
        return text + "." + fraction.map(String.init).joined()
    }

    /// The amount in financial capitals (人民币大写), as a bank or finance office writes it:
    /// `2250.00` → `贰仟贰佰伍拾元整`, `1005.30` → `壹仟零伍元叁角整`, `100000.05` → `壹拾万元零伍分`.
    /// Nil when the amount is not a plain decimal or has more than 16 integer digits.
    static func chineseUppercaseYuan(_ amount: String) -> String? {
        guard let (integer, fraction) = yuanParts(amount), integer.count <= 16 else { return nil }
        let numerals = Array("零壹贰叁肆伍陆柒捌玖")
        let places = ["", "拾", "佰", "仟"]
        let sections = ["", "万", "亿", "万亿"]

        // Sections of four digits, most significant first.
        var groups: [[UInt8]] = []
        var end = integer.count
        while end > 0 {
            groups.insert(Array(integer[max(0, end - 4)..<end]), at: 0)
            end -= 4
        }
        var text = ""
        var zeroPending = false
        for (index, group) in groups.enumerated() {
            let padded = Array(repeating: UInt8(0), count: 4 - group.count) + group
            if padded.allSatisfy({ $0 == 0 }) {
                zeroPending = !text.isEmpty
                continue
            }
            if !text.isEmpty, zeroPending || padded[0] == 0 { text += "零" }
            var started = false
            var zeroInside = false
            for (position, digit) in padded.enumerated() {
                if digit == 0 {
                    zeroInside = started
                } else {
                    if zeroInside { text += "零" }
                    text.append(numerals[Int(digit)])
                    text += places[3 - position]
                    started = true
                    zeroInside = false
                }
            }
            text += sections[groups.count - 1 - index]
            zeroPending = false
        }

        let jiao = Int(fraction[0]), fen = Int(fraction[1])
        if text.isEmpty {
            if jiao == 0, fen == 0 { return "零元整" }
        } else {
            text += "元"
        }
        if jiao == 0, fen == 0 { return text + "整" }
        if jiao != 0 { text += "\(numerals[jiao])角" } else if !text.isEmpty { text += "零" }
        if fen != 0 { text += "\(numerals[fen])分" } else { text += "整" }
        return text
    }

    static let template = #"""
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="zizhu-fingerprint" content="{{fingerprint}}">
<title>{{title}} · {{schoolName}} · {{termName}}</title>
<style>
@page { size: A4 portrait; margin: 14mm 18mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif; font-size: 10.5pt; line-height: 1.45; }
.sheet { width: 174mm; margin: 0 auto; }
@media screen { body { background: #e8e8e8; } .sheet { background: #fff; padding: 14mm 18mm 12mm; width: 210mm; min-height: 297mm; margin: 8mm auto; box-shadow: 0 1px 6px rgba(0,0,0,.25); } }
.mono { font-family: "DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono CJK SC", "Consolas", monospace; }
header { text-align: center; border-bottom: 2.2pt double #000; padding-bottom: 2.5mm; margin-bottom: 4mm; }
h1 { font-size: 21pt; font-weight: 700; letter-spacing: .32em; margin: 0 0 1mm; padding-left: .32em; }
.subtitle { font-size: 10.5pt; letter-spacing: .08em; }
h2 { font-size: 11.5pt; font-weight: 700; margin: 4mm 0 1.5mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: .75pt solid #000; padding: 1.3mm 2.2mm; vertical-align: middle; overflow-wrap: anywhere; }
th { font-weight: 700; background: #f1f1f1; white-space: nowrap; }
.info th { width: 24mm; text-align: center; }
.info td.name { font-size: 12pt; font-weight: 700; }
.counts th.head { width: 30mm; text-align: center; line-height: 1.35; }
.counts td.item { width: 34mm; }
.counts td.n { text-align: right; font-size: 12pt; font-weight: 700; font-variant-numeric: tabular-nums; padding-right: 3mm; }
.counts td.unit { width: 14mm; text-align: center; }
.counts tr.amount td.n { font-size: 13pt; }
.counts td.upper { font-size: 11pt; letter-spacing: .04em; }
.fp { border: .75pt solid #000; padding: 2mm 3mm; display: flex; align-items: center; gap: 4mm; }
.fp .label { white-space: nowrap; font-weight: 700; }
.fp .hex { font-size: 12.5pt; letter-spacing: .04em; line-height: 1.5; white-space: pre; }
.fp .package { font-size: 9.5pt; margin-left: auto; text-align: right; }
.note { font-size: 8pt; color: #333; margin: 1mm 0 0; line-height: 1.35; }
.files { margin-top: 1.5mm; font-size: 7.5pt; }
.files th, .files td { padding: .6mm 1.5mm; border-color: #666; }
.files td.n { text-align: right; }
.files td.sha { font-size: 7.5pt; letter-spacing: 0; }
.statement { border: 1.2pt solid #000; padding: 3.5mm 4.5mm; margin-top: 4mm; font-size: 12.5pt; line-height: 1.75; text-indent: 2em; text-align: justify; font-weight: 600; }
.sign { display: flex; justify-content: space-between; align-items: stretch; margin-top: 7mm; }
.sign .lines { flex: 1; display: flex; flex-direction: column; justify-content: space-around; padding-right: 8mm; font-size: 12.5pt; }
.sign .lines p { margin: 0; white-space: nowrap; }
.blank { display: inline-block; border-bottom: .9pt solid #000; height: 1.2em; vertical-align: bottom; }
.blank.signature { width: 62mm; }
.blank.year { width: 18mm; } .blank.md { width: 11mm; }
.seal { width: 62mm; font-size: 12.5pt; }
.seal .area { margin-top: 2mm; width: 46mm; height: 46mm; border: .9pt dashed #777; border-radius: 50%; display: flex; align-items: center; justify-content: center; color: #888; font-size: 9.5pt; margin-left: 8mm; }
.esign { margin-top: 3mm; font-size: 9.5pt; border-top: .5pt solid #999; padding-top: 1.5mm; }
footer { margin-top: 4mm; font-size: 7.5pt; color: #444; text-align: center; border-top: .5pt solid #999; padding-top: 1.2mm; }
header, table, .fp, .statement, .sign { break-inside: avoid; }
</style>
</head>
<body>
<div class="sheet">
<header>
<h1>{{title}}</h1>
<div class="subtitle">学生资助申报数据 · {{termName}}</div>
</header>

<table class="info">
<tr><th>学校名称</th><td class="name" colspan="3">{{schoolName}}</td></tr>
<tr><th>学校代码</th><td class="mono">{{schoolCode}}</td><th>申报学期</th><td>{{termName}}<span class="mono">（{{term}}）</span></td></tr>
</table>

<h2>一、申报数据</h2>
<table class="counts">
<tr><th colspan="2">项　目</th><th>数　量</th><th>单位</th></tr>
{{#rows}}<tr>{{#grouped}}{{#head}}<th class="head" rowspan="{{span}}">{{{group}}}</th>{{/head}}<td class="item">{{item}}</td>{{/grouped}}{{^grouped}}<td colspan="2">{{item}}</td>{{/grouped}}<td class="n">{{value}}</td><td class="unit">{{unit}}</td></tr>
{{/rows}}<tr class="amount"><td colspan="2">国家助学金申报总金额</td><td class="n">{{grantAmount}}</td><td class="unit">元</td></tr>
{{#grantAmountUpper}}<tr><td colspan="2">金额（人民币大写）</td><td class="upper" colspan="2">{{grantAmountUpper}}</td></tr>
{{/grantAmountUpper}}</table>
<p class="note">申报人数为申报包中状态不为“退回”的申请；金额为其中国家助学金申请金额之和。</p>

<h2>二、数据指纹</h2>
<div class="fp">
<div class="label">SHA-256</div>
<div class="hex mono">{{fingerprintGrouped}}</div>
<div class="package">申报包<br><span class="mono">{{packageFileName}}</span></div>
</div>
<p class="note">数据指纹 = 对申报包内数据文件（{{dataEntries}}，按此顺序）的 <span class="mono">sha256sum</span> 清单再计算 SHA-256。请与省级平台显示的指纹逐组核对，任一字符不同即表示数据已被改动。</p>
<table class="files">
<tr><th>数据文件</th><th>记录行数</th><th>字节数</th><th>SHA-256</th></tr>
{{#files}}<tr><td class="mono">{{path}}</td><td class="n">{{rows}}</td><td class="n">{{bytes}}</td><td class="sha mono">{{sha256}}</td></tr>
{{/files}}</table>

<h2>三、声明</h2>
<div class="statement">{{statement}}</div>

<div class="sign">
<div class="lines">
<p>校长签字：<span class="blank signature"></span></p>
<p>日期：<span class="blank year"></span>年<span class="blank md"></span>月<span class="blank md"></span>日</p>
</div>
<div class="seal">学校盖章：<div class="area">（盖章处）</div></div>
</div>
{{#signature}}<div class="esign">已电子签名（{{algorithm}}），密钥标识 <span class="mono">{{keyId}}</span>；签名见申报包内 declaration.json。</div>
{{/signature}}
<footer>本页由 {{tool}} 根据申报包生成 · 生成时间 {{generatedAt}} · 共 1 页</footer>
</div>
</body>
</html>
"""#
}
