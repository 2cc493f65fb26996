import Foundation
import Testing
import ZizhuCore

@Suite struct ResidentIDTests {
    // Check characters computed independently (ISO 7064 MOD 11-2 by hand / a reference script).
    @Test(arguments: [
        "11010519491231002X", "370102199001011231", "370202200503150021", "440304200711085611",
        "37010219900101124X", "370102199001011258", "370202200802291529",
    ])
    func acceptsValidIds(text: String) throws {
        let id = try #require(withBytes(text) { ResidentID.parse($0) }.value)
        #expect(id.string == text)
    }

    @Test func derivesBirthDateGenderAndRegion() throws {
        let id = try #require(ResidentID.parse("11010519491231002X").value)
        #expect(id.birthDate == date(1949, 12, 31))
        #expect(id.gender == .female)            // 17th digit 2
        #expect(id.regionCode == 110105)
        let man = try #require(ResidentID.parse("370102199001011231").value)
        #expect(man.gender == .male)             // 17th digit 3
        #expect(man.birthDate == date(1990, 1, 1))
        #expect(man.regionCode == 370102)
        #expect(try #require(ResidentID.parse("370202200802291529").value).birthDate == date(2008, 2, 29))
    }

    @Test func lowerCaseXIsUpperCased() throws {
        let id = try #require(ResidentID.parse("11010519491231002x").value)
        #expect(id.string == "11010519491231002X")
        #expect(withBytes("37010219900101124x") { ResidentID.parse($0) }.value?.string == "37010219900101124X")
    }

    @Test func upgradesFifteenDigitIds() throws {
        let id = try #require(ResidentID.parse("370102900101123").value)
        #expect(id.string == "370102199001011231")
        #expect(id.birthDate == date(1990, 1, 1))
        #expect(id.gender == .male)
        #expect(ResidentID.parse("370102901301123").error?.rule == "ID_BIRTH_DATE")
        #expect(ResidentID.parse("37010290010112X").error?.rule == "ID_LENGTH")
    }

    @Test func rejectsAFailedCheckCharacter() {
        for text in ["370102199001011232", "11010519491231002Y", "110105194912310021", "370102199001011241"] {
            let error = ResidentID.parse(text).error
            #expect(error?.rule == (text.hasSuffix("Y") ? "ID_CHARACTERS" : "ID_CHECKSUM"), "\(text)")
        }
        #expect(ResidentID.parse("370102199001011232").error?.hint != nil)
    }

    @Test(arguments: ["3.70102E+17", "3.70102199001011E+17", "3.7e17", "3.70102E17", "4.40304E+17", " 3.70102E+17 "])
    func rejectsScientificNotationIds(text: String) {
        let error = withBytes(text) { ResidentID.parse($0) }.error
        #expect(error?.rule == "ID_SCIENTIFIC_NOTATION")
        #expect(error?.hint?.contains("text") == true)
    }

    @Test func rejectsImpossibleBirthDates() {
        // Month 13, 2023-02-29, year 1899: checksums made valid so only the date is wrong.
        for body in ["37010219901301123", "37010220230229123", "37010218991231123", "37010219900100123"] {
            guard let check = ResidentID.checkCharacter(Array(body.utf8)) else {
                Issue.record("no check for \(body)")
                continue
            }
            let text = body + String(decoding: [check], as: UTF8.self)
            #expect(ResidentID.parse(text).error?.rule == "ID_BIRTH_DATE", "\(text)")
        }
    }

    @Test func checksResidencePermitsTheSameWay() throws {
        for text in ["810000199909090012", "820000200002290021", "83000019951111003X"] {
            let id = try #require(ResidentID.parse(text).value, "\(text)")
            #expect(id.isResidencePermit)
            #expect(id.string == text)
        }
        #expect(ResidentID.parse("810000199909090013").error?.rule == "ID_CHECKSUM")
        #expect(try #require(ResidentID.parse("370102199001011231").value).isResidencePermit == false)
    }

    @Test func toleratesWhiteSpaceAndFullWidth() {
        #expect(withBytes("  370102199001011231\u{3000}") { ResidentID.parse($0) }.value?.string == "370102199001011231")
        #expect(withBytes("\t370102199001011231\r\n") { ResidentID.parse($0) }.value != nil)
        #expect(ResidentID.parse("３７０１０２１９９００１０１１２３１").value?.string == "370102199001011231")
        #expect(ResidentID.parse("11010519491231002ｘ").value?.string == "11010519491231002X")
        #expect(ResidentID.parse("370102 19900101 1231").value?.string == "370102199001011231")
    }

    @Test(arguments: [("", "ID_LENGTH"), ("3701021990010112", "ID_LENGTH"), ("3701021990010112311", "ID_LENGTH"),
                      ("37010219900101123", "ID_LENGTH"), ("37010219900101123A", "ID_CHARACTERS"),
                      ("3701021990X1011231", "ID_CHARACTERS"), ("370102-19900101-1231", "ID_CHARACTERS"),
                      ("E12345678", "ID_CHARACTERS"), ("37010219900101123１", "ID_CHARACTERS")])
    func rejectsWrongLengthsAndCharacters(text: String, rule: String) {
        // Bytes path: no folding, so the full-width digit is a foreign character here.
        #expect(withBytes(text) { ResidentID.parse($0) }.error?.rule == rule)
    }

    @Test func checkCharacterNeedsSeventeenDigits() {
        #expect(ResidentID.checkCharacter(Array("11010519491231002".utf8)) == UInt8(ascii: "X"))
        #expect(ResidentID.checkCharacter(Array("37010219900101123".utf8)) == UInt8(ascii: "1"))
        #expect(ResidentID.checkCharacter(Array("3701021990010112".utf8)) == nil)
        #expect(ResidentID.checkCharacter(Array("370102199001011234".utf8)) == nil)
        #expect(ResidentID.checkCharacter(Array("3701021990010112a".utf8)) == nil)
    }

    @Test func packsIntoUInt64AndBack() throws {
        let id = try #require(ResidentID.parse("11010519491231002X").value)
        #expect(id.packed == 11_010_519_491_231_002 * 11 + 10)
        #expect(ResidentID(packed: id.packed) == id)
        #expect(ResidentID(packed: id.packed + 1) == nil)      // wrong check value
        #expect(ResidentID(packed: 0) == nil)                   // no birth date
        #expect(ResidentID(packed: .max) == nil)
    }

    @Test func ordersLikeTheStrings() throws {
        let texts = ["440304200711085611", "11010519491231002X", "370102199001011231", "37010219900101124X"]
        let ids = try texts.map { try #require(ResidentID.parse($0).value) }
        #expect(ids.sorted().map(\.string) == texts.sorted())
    }

    @Test func masksSixPlusFour() throws {
        let id = try #require(ResidentID.parse("11010519491231002X").value)
        #expect(id.masked == "110105********002X")
        #expect("\(id)" == "110105********002X")   // interpolation never leaks the id
    }

    @Test func codableAsTheString() throws {
        let id = try #require(ResidentID.parse("11010519491231002X").value)
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["11010519491231002X"]"#)
        #expect(try JSONDecoder().decode([ResidentID].self, from: data) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ResidentID].self, from: Data(#"["110105194912310021"]"#.utf8))
        }
    }
}
