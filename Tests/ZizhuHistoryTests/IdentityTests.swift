import Foundation
import Testing
import ZizhuCore
import ZizhuHistory

/// The identity's hashes are what a store holds: a run must key a student as every earlier run
/// did, or each finding turns up new. The expected values are HMAC-SHA-256 / SHA-256 computed
/// outside Swift (Python's hmac and hashlib) from the documented material.
@Suite("History: finding identity")
struct IdentityTests {
    let identity = FindingIdentity(secret: Data(repeating: 7, count: 32))
    /// HMAC under 32 bytes of 7 of "id:11010519491231002X".
    let keyOfIDA1 = "07bd711a93f685635adc8fee95131d4e510c3b460bd11521ad0a94e132203523"

    @Test("an id is keyed upper-cased without whitespace, written any way, ASCII or not",
          arguments: ["11010519491231002X", "11010519491231002x", " 110105 19491231002X\t", "110105\r\n19491231002x\n",
                      "110105\u{3000}19491231002X", "\u{00A0}11010519491231002x"])
    func idNormalized(_ written: String) {
        #expect(identity.studentKey(idNumber: written, schoolCode: "A", studentNo: "1") == keyOfIDA1)
    }

    @Test("a secret of a block (a store's secret file: 64 hex digits) or longer keys as HMAC-SHA-256 does")
    func secretsOfEveryLength() {
        let block = FindingIdentity(secret: Data((0..<64).map { UInt8($0) }))
        #expect(block.studentKey(idNumber: "11010519491231002X", schoolCode: "A", studentNo: "1")
            == "c976a5b9acd53f9ed0a5490721305284774e8591fc77aefbdf062846cc0d011a")
        let long = FindingIdentity(secret: Data((0..<100).map { UInt8($0) }))
        #expect(long.studentKey(idNumber: "11010519491231002X", schoolCode: "A", studentNo: "1")
            == "44ce41fccf927073c96c0ce05db6706239f96f94ea47fd1c50647ddcbe1adef4")
    }

    @Test("without an id a student is keyed by school and student number (spaces removed); with neither the key is empty")
    func keyWithoutID() {
        // HMAC of "no:A\u{1F}2023001" and of "no:学校\u{1F}2023001".
        #expect(identity.studentKey(idNumber: "", schoolCode: "A", studentNo: " 2023 001 ")
            == "b0f1b5402bdae3d69825d376af703bea610a011432f218359000c5382be740c0")
        #expect(identity.studentKey(idNumber: " \t", schoolCode: "A", studentNo: "2023001")
            == "b0f1b5402bdae3d69825d376af703bea610a011432f218359000c5382be740c0")
        #expect(identity.studentKey(idNumber: "", schoolCode: "学校", studentNo: "2023\u{3000}001")
            == "13fa8117ee35a7baf063c01f6ce0baa1b497e08bb59351eb5ad588c502aa2ba9")
        #expect(identity.studentKey(idNumber: "", schoolCode: "A", studentNo: "") == "")
    }

    @Test("a finding id is the first 16 hex digits of SHA-256 over code, term, school, key (and ordinal)")
    func findingID() {
        #expect(FindingIdentity.findingID(code: "R01", term: "2023-fall", schoolCode: "A", studentKey: "key") == "2ceb936dfa30f764")
        #expect(FindingIdentity.findingID(code: "R01", term: "2023-fall", schoolCode: "A", studentKey: "key", ordinal: 2)
            == "428d067022406f74")
        #expect(HistoryHash.hex(["R01", "2023-fall", "A", "key"]).hasPrefix("2ceb936dfa30f764"))
    }

    @Test("the facts hash is the hex SHA-256 of severity, expected and actual")
    func factsHash() {
        let facts = FindingFacts(code: "R01", severity: "error", schoolCode: "A", studentNo: "1", name: "张*", idMasked: "",
                                 expected: "1000.00", actual: "0.00", detail: "moves", sources: "x.csv:2")
        #expect(facts.factsHash == "50b4942512f3b176611e4e4da7bf0872cb48db52e57262c1ca98bb3222f57b0e")
    }
}
