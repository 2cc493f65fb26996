import Testing
import ZizhuCore
import ZizhuIO
@_spi(Oracle) @testable import ZizhuIngest

/// The scanner's quick paths (SpreadsheetML's start tags read straight from the buffer, an end
/// tag that closes the innermost element compared as bytes) against the general path they
/// shortcut and against expat: the same events, or the same refusal, at every chunk cut.
@Suite struct XLSXScannerQuickPathTests {
    /// The scanner's reading with the quick paths on or off, fed in the pieces `cuts` makes.
    static func scanned(_ document: [UInt8], quickPaths: Bool, cuts: [Int]) -> XLSXScannerOracleTests.Outcome {
        XLSXScannerOracleTests.scanner(document, cuts: cuts, quickPaths: quickPaths)
    }

    /// Quick and general path agree at every cut, and the scanner agrees with expat.
    static func check(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let document = Array("<sheetData>\(body)</sheetData>".utf8)
        XLSXScannerOracleTests.agree(document, sourceLocation: sourceLocation)
        for cuts in [[]] + (1..<document.count).map({ [$0] }) {
            let quick = scanned(document, quickPaths: true, cuts: cuts)
            let general = scanned(document, quickPaths: false, cuts: cuts)
            guard quick == general else {
                Issue.record("quick and general paths differ (cut \(cuts)) on \(body.debugDescription)\ngeneral:\n\(general)\nquick:\n\(quick)",
                             sourceLocation: sourceLocation)
                return
            }
        }
    }

    @Test func cellTagsAsExcelWritesThemGiveTheSameEvents() {
        Self.check(#"<row r="2" spans="1:12"><c r="A2" t="s"><v>12</v></c><c r="E2" s="1"><v>39473</v></c></row>"#)
        Self.check(#"<row r="3"><c r="B3" s="4" t="inlineStr"><is><t>王小明</t></is></c><c r="C3"/></row>"#)
        Self.check(#"<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>"#)
        Self.check(#"<c r="A1"  t="s" ><v>1</v></c><c r="B1" /><c/><c />"#)
        Self.check(#"<c_1 r="A1"></c_1><c-d.e r="A1"></c-d.e><_c:x r=""></_c:x>"#)
    }

    @Test func tagsTheQuickPathLeavesToTheGeneralOneGiveTheSameEvents() {
        Self.check(#"<c r = "A1"></c>"#)
        Self.check(#"<c r='A1' t='s'></c>"#)
        Self.check(#"<c r="A&amp;1" t="&#115;"></c>"#)
        Self.check("<c r=\"A\t1\n\"></c>")
        Self.check("<c\tr=\"A1\"\n></c>")
        Self.check(#"<c r="第一" 名="值"></c><名 r="A1"></名>"#)
        Self.check("<c r=\"A1\"></c ><c r=\"B1\"></c\t>")
        Self.check(#"<c r="]]>"></c>"#)
    }

    @Test func damagedTagsAreRefusedByBothPathsAlike() {
        for body in [#"<c r="A1"t="s"></c>"#, #"<c r="A1" r="B1"></c>"#, #"<c r="A<1"></c>"#, #"<c r="A1"/ ></c>"#,
                     #"<c r="A1" =></c>"#, #"<c r></c>"#, #"<c r=></c>"#, #"<c r="A1></c>"#, #"<c r="A1"></cc>"#,
                     #"<cc r="A1"></c>"#, #"<c r="A1"></ c>"#, #"<c r="A1"></c"#, #"<c r="A1"><v>1</c></v>"#,
                     "<c r=\"A\u{1}\"></c>", #"<1c></1c>"#, #"<c 1="x"></c>"#, #"<c r="A1" t="s" r="A1"/>"#] {
            Self.check(body)
        }
    }
}
