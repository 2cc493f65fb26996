import Foundation
import Testing
import ZizhuCore
import ZizhuTestSupport

/// Contract §9: masking does not trust the column — an id-shaped or account-shaped run inside any
/// text a person reads is masked wherever it sits.
@Suite struct MaskingTextTests {
    @Test func anIdInsideANameIsMaskedSixAndFour() {
        #expect(Masking.text("370102199001011234") == "370102********1234")
        #expect(Masking.text("张三370102200801262117") == "张三370102********2117")
        #expect(Masking.text("id 37010219900101123X here") == "id 370102********123X here")
        #expect(Masking.text("37010219900101123x") == "370102********123x")
    }

    @Test func aFifteenDigitIdKeepsSixAndFour() {
        #expect(Masking.text("370102900101123") == "370102*****1123")
    }

    @Test func anAccountKeepsItsLastFour() {
        #expect(Masking.text("6212263711166533298") == "***************3298")
        #expect(Masking.text("卡号 621226371116") == "卡号 ********1116")
        #expect(Masking.text("6212 2637 1116 6533 298") == "**** **** **** ***3 298")
    }

    @Test func fullWidthDigitsAreMaskedToo() {
        #expect(Masking.text("张三３７０１０２１９９００１０１１２３Ｘ") == "张三３７０１０２＊＊＊＊＊＊＊＊１２３Ｘ")
        #expect(Masking.text("６２１２２６３７１１１６６５３３２９８") == "＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊３２９８")
        #expect(Masking.text("３７０１０２1990０１０１１２３４") == "３７０１０２****＊＊＊＊１２３４", "mixed widths are one run, each star as wide as its digit")
        #expect(Masking.text("电话１３９１２３４５６７８") == "电话１３９１２３４５６７８")
    }

    @Test func onlyCardStyleGroupsJoinOverSpaces() {
        #expect(Masking.text("3701J001 2023000100027 在籍") == "3701J001 *********0027 在籍")
        #expect(Masking.text("001 2023 0001") == "001 2023 0001")
        #expect(Masking.text("rows 1000 2000") == "rows 1000 2000")
    }

    @Test func everyRunInACellIsMasked() {
        #expect(Masking.text("a 370102199001011234, b 6212263711166533298")
                == "a 370102********1234, b ***************3298")
    }

    @Test func datesAmountsPhonesAndShortNumbersStayWhole() {
        for text in ["20230901", "2023-09-01", "1,000.00", "1000.00", "13912345678", "20230001001",
                     "line 12, column 3", "张三", "", "3701J001", "ＡＢＣ", "10000.00", "100,000,000.00"] {
            #expect(Masking.text(text) == text)
        }
    }

    @Test func digitsInsideAHashOrKeyIdStayWhole() {
        let fingerprint = "fingerprint 02efadf631dc5991787bd42b0208d92dab4792aa9de49fa815a649a3ca2c1ea9"
        let digitsInside = "fingerprint e0458112727758657186318787f487d73b1c8998e3ee7f8c7ae754c7142552f9"
        #expect(Masking.text(fingerprint) == fingerprint)
        #expect(Masking.text(digitsInside) == digitsInside)
        #expect(Masking.text("key 4f1a203926163117654d") == "key 4f1a203926163117654d")
        // One hex-looking letter before an id does not make it a hash.
        #expect(Masking.text("A370102199001011234") == "A370102********1234")
    }

    @Test func maskedTextIsLeftAsItIs() {
        let once = Masking.text("name 370102199001011234 acct 6212263711166533298")
        #expect(Masking.text(once) == once)
    }

    @Test func needsMaskingIsTheCheapTest() {
        #expect(Masking.needsMasking("x 370102199001011234"))
        #expect(!Masking.needsMasking("x 13912345678"))
    }

    /// On random text: the length in bytes is kept, masking again changes nothing, and no run of
    /// 12 or more ASCII digits is left whole.
    @Test func randomTextKeepsItsLengthAndLeavesNoLongRun() {
        let alphabet = ["0", "1", "2", "3", "7", "9", "X", "x", " ", " ", "g", "张", ",", "-", "０", "５", "Ｘ", "*"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        for _ in 0..<4000 {
            var text = ""
            for _ in 0..<(next() % 48) {
                // Mostly digits, so long runs are common.
                text += next() % 3 == 0 ? alphabet[next() % alphabet.count] : alphabet[next() % 6]
            }
            let masked = Masking.text(text)
            #expect(masked.utf8.count == text.utf8.count, "\(text)")
            #expect(Masking.text(masked) == masked, "\(text) → \(masked)")
            #expect(masked.range(of: "[0-9]{12,}", options: .regularExpression) == nil, "\(text) → \(masked)")
        }
    }

    /// `maskRuns(in:from:)` masks a cell where it lies in a buffer: the same bytes as `maskedRuns`
    /// of the cell (or the cell unchanged), with what precedes it untouched — for cells with no
    /// run, one run (masked in place) and several (a hash beside an id, two cards, spaced groups).
    @Test func maskingInPlaceIsMaskingACopy() {
        var random = SeededRandom(state: 41)
        let pieces = ["3", "7", "0", "1", "X", "x", "０", "９", "Ｘ", " ", "a", "f", "王", "*", "-", "＊",
                      "370102199001011234", "6212263711166533298", "6212 2637 1116 6533", "4f1a2c09", "110105194912310021"]
        var cells: [[UInt8]] = pieces.map { Array($0.utf8) }
        for _ in 0..<3_000 {
            cells.append(Array((0..<random.below(9)).map { _ in pieces[random.below(pieces.count)] }.joined().utf8))
        }
        var masked = 0, several = 0
        for cell in cells {
            let before: [UInt8] = Array("卡1234".utf8)
            var buffer = before + cell
            Masking.maskRuns(in: &buffer, from: before.count)
            let expected = cell.withUnsafeBufferPointer { Masking.maskedRuns($0) } ?? cell
            #expect(buffer == before + expected, "\(String(decoding: cell, as: UTF8.self))")
            if expected != cell { masked += 1 }
            let text = String(decoding: expected, as: UTF8.self)
            if text.filter({ $0 == "*" || $0 == "＊" }).count > 12 { several += 1 }
        }
        #expect(masked > 1_000, "too few cells were masked: \(masked)")
        #expect(several > 100, "too few cells had several runs: \(several)")
    }
}
