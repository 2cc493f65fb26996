import Foundation
import Testing
import ZizhuCore
@testable import ZizhuSchema
import ZizhuTestSupport

@Suite struct ReferenceRegionTests {
    let table = RegionTable.shared

    @Test func shippedTableLoads() {
        #expect(table.loadError == nil)
        #expect(table.count > 4000)
    }

    @Test func hasEveryProvinceLevelDivision() throws {
        let codes = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]
        #expect(codes.count == 34)
        for code in codes {
            let region = try #require(table.region(code: code * 10_000), "province \(code)")
            #expect(region.level == .province)
            #expect(region.isCurrent)
        }
        #expect(table.region(code: 710_000)?.name == "台湾省")
        #expect(table.region(code: 810_000)?.name == "香港特别行政区")
        #expect(table.region(code: 820_000)?.name == "澳门特别行政区")
    }

    @Test func hasEveryPrefectureOfShandongAndGuangdong() {
        let shandong = (1...17).compactMap { table.region(code: 370_000 + $0 * 100) }.filter(\.isCurrent)
        #expect(shandong.count == 16)                       // 莱芜市 371200 was merged into 济南 in 2019
        #expect(table.region(code: 371_200)?.isCurrent == false)
        let guangdong = (1...53).compactMap { table.region(code: 440_000 + $0 * 100) }.filter { $0.level == .city && $0.isCurrent }
        #expect(guangdong.count == 21)
        #expect(table.region(code: 440_300)?.name == "深圳市")
        #expect(table.region(code: 445_300)?.name == "云浮市")
    }

    @Test func looksUpByCode() throws {
        let shinan = try #require(table.region(code: 370_202))
        #expect(shinan.name == "市南区")
        #expect(shinan.level == .district)
        #expect(table.region(code: 370_200)?.level == .city)
        #expect(table.region(code: 999_999) == nil)
        #expect(table.resolve("370202") == shinan)
        #expect(table.resolve(" ３７０２０２ ") == shinan)
        #expect(table.resolve("999999") == nil)
        #expect(table.resolve("37020") == nil)
    }

    @Test(arguments: [
        ("青岛市", 370_200), ("青岛", 370_200), ("山东省青岛市", 370_200), ("山东青岛", 370_200), ("山东省 青岛市", 370_200),
        ("山东省青岛市市南区", 370_202), ("青岛市市南区", 370_202), ("山东省市南区", 370_202), ("山东省", 370_000), ("山东", 370_000),
        ("北京市", 110_000), ("北京", 110_000), ("北京市海淀区", 110_108), ("广西", 450_000),
        ("广西壮族自治区南宁市", 450_100), ("延边朝鲜族自治州", 222_400), ("延边", 222_400), ("黔东南", 522_600),
        ("香港", 810_000), ("吉林市", 220_200), ("吉林", 220_000), ("湖北省仙桃市", 429_004),
        ("重庆市江北区", 500_105), ("山东省莱芜市", 371_200), ("广东省深圳市南山区", 440_305),
    ])
    func resolvesNamesAtEveryDepth(text: String, code: Int) {
        #expect(table.resolve(text)?.code == code)
        #expect(table.resolve(text)?.code == code)   // the cached answer too
    }

    @Test(arguments: ["", "朝阳区", "市中区", "山东省深圳市", "青岛市香港中路", "火星", "山东省青岛市市南区xx", "青岛青岛"])
    func refusesUnknownAndAmbiguousNames(text: String) {
        #expect(table.resolve(text) == nil)
        #expect(table.resolve(text) == nil)   // the cached answer too
    }

    @Test func currentDivisionsWinOverAbolishedOnes() {
        // 崇川区 was recoded 320602 → 320613 in 2020.
        #expect(table.resolve("江苏省南通市崇川区")?.code == 320_613)
        #expect(table.region(code: 320_602)?.isCurrent == false)
    }

    @Test func sameCityComparesPrefectures() throws {
        func region(_ code: Int) throws -> Int { try #require(table.region(code: code), "\(code)").code }
        #expect(table.sameCity(try region(370_202), try region(370_212)))       // 市南区, 崂山区
        #expect(table.sameCity(try region(370_202), try region(370_200)))       // 市南区, 青岛市
        #expect(table.sameCity(try region(370_281), try region(370_200)))       // 胶州市 (county-level), 青岛市
        #expect(!table.sameCity(try region(370_202), try region(370_102)))      // 青岛 vs 济南
        #expect(!table.sameCity(try region(370_000), try region(370_200)))      // a province is no city
        #expect(table.sameCity(try region(110_000), try region(110_108)))       // 北京市, 海淀区
        #expect(table.sameCity(try region(500_101), try region(500_229)))       // 重庆: districts and counties
        #expect(!table.sameCity(try region(429_004), try region(429_005)))      // 仙桃, 潜江: directly under 湖北
        #expect(try #require(table.region(code: 500_229)).cityCode == 500_000)
        #expect(try #require(table.region(code: 429_004)).cityCode == 429_004)
        #expect(try #require(table.region(code: 440_305)).cityCode == 440_300)
        // S08 compares the codes cells hold, listed in the table or not.
        #expect(table.sameCity(370_299, 370_202))
        #expect(!table.sameCity(370_299, 370_102))
    }

    @Test func cityAndProvinceOfADistrict() throws {
        let nanshan = try #require(table.region(code: 440_305))
        #expect(table.city(of: nanshan)?.name == "深圳市")
        #expect(table.province(of: nanshan)?.name == "广东省")
    }

    @Test func shortNamesDropAdministrativeSuffixes() {
        #expect(RegionTable.shortName(of: "山东省") == "山东")
        #expect(RegionTable.shortName(of: "青岛市") == "青岛")
        #expect(RegionTable.shortName(of: "新疆维吾尔自治区") == "新疆")
        #expect(RegionTable.shortName(of: "湘西土家族苗族自治州") == "湘西")
        #expect(RegionTable.shortName(of: "克孜勒苏柯尔克孜自治州") == "克孜勒苏")
        #expect(RegionTable.shortName(of: "大兴安岭地区") == "大兴安岭")
        #expect(RegionTable.shortName(of: "阿拉善盟") == "阿拉善")
        #expect(RegionTable.shortName(of: "澳门特别行政区") == "澳门")
        #expect(RegionTable.shortName(of: "沙市") == nil)
    }

    @Test func loadingReportsTheFaultyLine() throws {
        let scratch = try ScratchFolder(prefix: "regions")
        defer { scratch.cleanUp() }
        let folder = scratch.url
        func load(_ text: String) throws -> RegionTable {
            let url = folder.appendingPathComponent("regions.csv")
            try Data(text.utf8).write(to: url)
            return try RegionTable.load(from: url)
        }
        let small = try load("code,name,level\n370000,山东省,province\r\n370200,青岛市,city\n370202,市南区,district\n")
        #expect(small.count == 3)
        #expect(small.resolve("青岛市市南区")?.code == 370_202)
        for (text, line) in [("370000,山东省,province\n", 1), ("code,name,level\n370000,山东省,state\n", 2),
                             ("code,name,level\n370000,山东省,province\n370000,山东,province\n", 3),
                             ("code,name,level\n3700,山东省,province\n", 2), ("code,name,level,status\n370000,山东省,province,gone\n", 2),
                             ("code,name,level\n", 1)] {
            let error = #expect(throws: ZizhuError.self, "accepted a broken table: \(text.debugDescription)") { _ = try load(text) }
            #expect(error?.code == .configuration)
            #expect(error?.position?.line == line, "\(text.debugDescription)")
        }
        #expect(throws: ZizhuError.self) { try RegionTable.load(from: folder.appendingPathComponent("absent.csv")) }
    }
}
