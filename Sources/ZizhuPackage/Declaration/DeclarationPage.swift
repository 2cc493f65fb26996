import Foundation
import Mustache
import ZizhuCore

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
    /// The language of the page's own words (the title and statement are the declaration's own).
    public var language: Language

    /// The aid types and 国家助学金 tiers the form always lists, in this order (with 0 when absent);
    /// any other key in the counts follows, sorted.
    static let standardAidTypes = ["国家助学金", "免学费"]
    static let standardTiers = ["一档", "二档", "三档"]

    public init(declaration: Declaration, manifest: PackageManifest, packageFileName: String, language: Language = .zh) {
        self.language = language
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
        let persons = DeclarationLabel.persons.text(language)
        rows.append(Self.row(item: DeclarationLabel.fullTimeEnrolled.text(language), value: counts.fullTimeEnrolled, unit: persons))
        let aid = Self.ordered(counts.applicationsByAidType, first: Self.standardAidTypes)
        for (i, entry) in aid.enumerated() {
            rows.append(Self.row(group: DeclarationLabel.applicationsGroup.text(language), first: i == 0, span: aid.count,
                                 item: entry.key, value: entry.value, unit: persons))
        }
        let tiers = Self.ordered(counts.grantApplicationsByTier, first: Self.standardTiers)
        for (i, entry) in tiers.enumerated() {
            rows.append(Self.row(group: DeclarationLabel.tiersGroup.text(language), first: i == 0, span: tiers.count,
                                 item: entry.key, value: entry.value, unit: persons))
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
            "lang": language == .en ? "en" : "zh-CN",
            "isEnglish": language == .en,
        ]
        for label in DeclarationLabel.allCases { context["L_\(label.rawValue)"] = label.text(language) }
        context["L_subtitle"] = DeclarationLabel.subtitle.text(language, declaration.termName)
        context["L_fingerprintNote"] = DeclarationLabel.fingerprintNote.text(language, PackageFormat.dataEntries.joined(separator: "、"))
        context["L_footer"] = DeclarationLabel.footer.text(language, manifest.tool, manifest.generatedAt)
        if let upper = Self.chineseUppercaseYuan(counts.grantAmount) { context["grantAmountUpper"] = upper }
        let percent = Self.printScalePercent(schoolName: declaration.schoolName, statement: declaration.statement,
                                             countRows: rows.count, signed: declaration.signature != nil)
        if percent < 100 {
            // Wider by as much as it is smaller, so the zoomed sheet still spans the text width.
            let tenths = (Self.textWidthMM * 10 * 100 + percent - 1) / percent
            context["zoom"] = ["percent": percent, "width": "\(tenths / 10).\(tenths % 10)mm"]
        }
        if let signature = declaration.signature {
            // The key id in monospace: the label's text around its `{1}`.
            let text = DeclarationLabel.signedElectronically.text(language, signature.algorithm, "\u{0}")
            let parts = text.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            context["signature"] = ["before": parts[0], "keyId": signature.keyId, "after": parts.count > 1 ? parts[1] : ""]
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

    /// Width of the text block: A4's 210 mm less the 18 mm side margins of `@page`.
    static let textWidthMM = 174

    /// How much to shrink the printed sheet (CSS `zoom`, in percent) so that it stays on one A4
    /// page when the school name or statement runs to more lines, or the counts to more rows, than
    /// a typical declaration. The height model was measured on Chromium with Noto Serif CJK: 263 mm
    /// of the 273 mm text height for a one-line name, a four-line statement, six count rows and an
    /// e-signature line. It errs on the large side (zooming out also widens the lines), and stops
    /// at 70 %: a page that needs more is refused by `scripts/render-declaration.sh`.
    static func printScalePercent(schoolName: String, statement: String, countRows: Int, signed: Bool) -> Int {
        func ems(_ text: String) -> Double {
            text.unicodeScalars.reduce(0) { $0 + ($1.value < 0x2E80 ? 0.55 : 1) }
        }
        let nameLines = max(1, (ems(schoolName) / 34.4).rounded(.up))
        let statementLines = max(1, ((ems(statement) + 2) / 38.5).rounded(.up))
        let height = 263 + 6.0 * (nameLines - 1) + 7.2 * (statementLines - 4) + 7.4 * Double(countRows - 6)
            - (signed ? 0 : 5)
        let available = 271.0
        guard height > available else { return 100 }
        return max(70, Int((100 * available / height).rounded(.down)))
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
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="zizhu-fingerprint" content="{{fingerprint}}">
<title>{{title}} · {{schoolName}} · {{termName}}</title>
<style>
@page { size: A4 portrait; margin: 13mm 18mm 11mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif; font-size: 10.5pt; line-height: 1.4; }
.sheet { width: 174mm; margin: 0 auto; }
@media screen { body { background: #e4e4e4; } .sheet { background: #fff; width: 210mm; min-height: 297mm; padding: 13mm 18mm 11mm; margin: 6mm auto; box-shadow: 0 1px 6px rgba(0,0,0,.3); } }
.mono { font-family: "DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono CJK SC", "Consolas", monospace; }
header { text-align: center; border-bottom: 2.4pt double #000; padding-bottom: 2mm; margin-bottom: 3.5mm; }
h1 { font-size: 20pt; font-weight: 700; letter-spacing: .3em; margin: 0; padding-left: .3em; line-height: 1.3; }
.subtitle { font-size: 10pt; letter-spacing: .06em; }
h2 { font-size: 11pt; font-weight: 700; margin: 3.2mm 0 1.2mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: .75pt solid #000; padding: .8mm 2.2mm; vertical-align: middle; overflow-wrap: anywhere; }
th { font-weight: 700; background: #f0f0f0; white-space: nowrap; }
.info th { width: 23mm; text-align: center; }
.info td.name { font-size: 12pt; font-weight: 700; line-height: 1.35; }
.counts th.col { text-align: center; }
.counts th.head { width: 32mm; text-align: center; line-height: 1.3; }
.counts td.n { width: 52mm; text-align: right; font-size: 11.5pt; font-weight: 700; font-variant-numeric: tabular-nums; padding-right: 4mm; }
.counts td.unit { width: 14mm; text-align: center; }
.counts tr.amount td { border-top-width: 1.2pt; }
.counts td.upper { font-size: 10pt; letter-spacing: .03em; text-align: right; padding-right: 4mm; }
.note { font-size: 7.5pt; color: #333; margin: .8mm 0 0; line-height: 1.35; }
.fp { border: .75pt solid #000; padding: 1.5mm 3mm; display: flex; align-items: center; gap: 4mm; }
.fp .label { white-space: nowrap; font-weight: 700; line-height: 1.3; }
.fp .hex { font-size: 11.5pt; letter-spacing: .02em; line-height: 1.45; white-space: pre; }
.fp .package { margin-left: auto; text-align: right; font-size: 9pt; line-height: 1.35; white-space: nowrap; }
.files { margin-top: 1.2mm; font-size: 7.5pt; line-height: 1.3; }
.files th, .files td { padding: .4mm 1.5mm; border-color: #777; }
.files td.n { text-align: right; }
.statement { border: 1.2pt solid #000; padding: 2.5mm 4mm; font-size: 12pt; line-height: 1.7; text-indent: 2em; text-align: justify; }
.sign { display: flex; align-items: center; margin-top: 4mm; font-size: 12pt; }
.sign .lines { flex: 1; display: flex; flex-direction: column; gap: 13mm; }
.sign p { margin: 0; white-space: nowrap; }
.sign .label { display: inline-block; width: 4em; text-align-last: justify; }
.blank { display: inline-block; border-bottom: .9pt solid #000; height: 1.25em; vertical-align: bottom; }
.blank.signature { width: 58mm; } .blank.year { width: 17mm; } .blank.md { width: 10mm; }
.seal { display: flex; align-items: flex-start; gap: 2mm; }
.seal .area { width: 42mm; height: 42mm; border: .8pt dashed #888; border-radius: 50%; display: flex; align-items: center; justify-content: center; color: #999; font-size: 9pt; }
.esign { margin-top: 2.5mm; font-size: 9pt; }
footer { margin-top: 2.5mm; font-size: 7.5pt; color: #444; text-align: center; border-top: .5pt solid #999; padding-top: 1mm; }
header, table, .fp, .statement, .sign { break-inside: avoid; }
</style>
{{#zoom}}<style>@media print { .sheet { zoom: {{percent}}%; width: {{width}}; } }</style>
{{/zoom}}{{#isEnglish}}<style>.sign .label { width: auto; text-align-last: auto; } .counts td.unit { width: 18mm; white-space: nowrap; }</style>
{{/isEnglish}}</head>
<body>
<div class="sheet">
<header>
<h1>{{title}}</h1>
<div class="subtitle">{{L_subtitle}}</div>
</header>

<table class="info">
<tr><th>{{L_schoolName}}</th><td class="name" colspan="3">{{schoolName}}</td></tr>
<tr><th>{{L_schoolCode}}</th><td class="mono">{{schoolCode}}</td><th>{{L_term}}</th><td>{{termName}}（<span class="mono">{{term}}</span>）</td></tr>
</table>

<h2>{{L_sectionData}}</h2>
<table class="counts">
<tr><th class="col" colspan="2">{{L_item}}</th><th class="col">{{L_quantity}}</th><th class="col">{{L_unit}}</th></tr>
{{#rows}}<tr>{{#grouped}}{{#head}}<th class="head" rowspan="{{span}}">{{{group}}}</th>{{/head}}<td class="item">{{item}}</td>{{/grouped}}{{^grouped}}<td colspan="2">{{item}}</td>{{/grouped}}<td class="n">{{value}}</td><td class="unit">{{unit}}</td></tr>
{{/rows}}<tr class="amount"><td colspan="2">{{L_grantAmountTotal}}</td><td class="n">{{grantAmount}}</td><td class="unit">{{L_yuanUnit}}</td></tr>
{{#grantAmountUpper}}<tr><td colspan="2">{{L_amountInWords}}</td><td class="upper" colspan="2">{{grantAmountUpper}}</td></tr>
{{/grantAmountUpper}}</table>
<p class="note">{{L_countsNote}}</p>

<h2>{{L_sectionFingerprint}}</h2>
<div class="fp">
<div class="label">SHA-256</div>
<div class="hex mono">{{fingerprintGrouped}}</div>
<div class="package">{{L_packageFile}}<br><span class="mono">{{packageFileName}}</span></div>
</div>
<p class="note">{{L_fingerprintNote}}</p>
<table class="files">
<tr><th>{{L_dataFile}}</th><th>{{L_rows}}</th><th>{{L_bytes}}</th><th>SHA-256</th></tr>
{{#files}}<tr><td class="mono">{{path}}</td><td class="n">{{rows}}</td><td class="n">{{bytes}}</td><td class="mono">{{sha256}}</td></tr>
{{/files}}</table>

<h2>{{L_sectionStatement}}</h2>
<div class="statement">{{statement}}</div>

<div class="sign">
<div class="lines">
<p><span class="label">{{L_principalSignature}}</span>：<span class="blank signature"></span></p>
<p><span class="label">{{L_date}}</span>：<span class="blank year"></span>{{L_year}}<span class="blank md"></span>{{L_month}}<span class="blank md"></span>{{L_day}}</p>
</div>
<div class="seal"><span>{{L_schoolSeal}}</span><div class="area">{{L_sealArea}}</div></div>
</div>
{{#signature}}<div class="esign">{{before}}<span class="mono">{{keyId}}</span>{{after}}</div>
{{/signature}}
<footer>{{L_footer}}</footer>
</div>
</body>
</html>
"""#
}
