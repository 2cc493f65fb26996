/// An administrative division from GB/T 2260 (行政区划): a province-level division, a
/// prefecture-level city (地级市, 地区, 自治州, 盟) or a county-level division (区, 县, 县级市, 旗…).
public struct Region: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Level: String, Sendable, Codable, CaseIterable {
        /// 省级: 省, 自治区, 直辖市, 特别行政区.
        case province
        /// 地级: prefecture-level city, 地区, 自治州, 盟.
        case city
        /// 县级: district, county, county-level city, banner (every county-level division).
        case district
    }

    /// The six-digit code, e.g. 370202.
    public var code: Int
    public var name: String
    public var level: Level
    /// False for codes no longer in the current table (kept because ids and older rosters carry
    /// them: 重庆市江北区 500105, 山东省莱芜市 371200).
    public var isCurrent: Bool

    public init(code: Int, name: String, level: Level, isCurrent: Bool = true) {
        self.code = code
        self.name = name
        self.level = level
        self.isCurrent = isCurrent
    }

    /// The code of the province-level division: the first two digits + `0000`.
    public var provinceCode: Int { code / 10_000 * 10_000 }

    /// The code of the prefecture-level city this division belongs to: the first four digits +
    /// `00` (370202 → 370200), which is what "same city" compares (contract §3).
    ///
    /// Two refinements, because a "city" here means the unit that runs schools across its area
    /// (不得跨市办学): a 直辖市 (北京 11, 天津 12, 上海 31, 重庆 50) is one city, so all its
    /// districts and counties have the municipality's code (500229 → 500000); and a county-level
    /// division directly under a province (省直辖县级行政单位, the `xx90yy` codes such as 仙桃市
    /// 429004) belongs to no prefecture and is its own city.
    public var cityCode: Int { Self.cityCode(of: code) }

    /// `cityCode` of the division with code `code`, whether or not the table lists it.
    public static func cityCode(of code: Int) -> Int {
        let province = code / 10_000
        if Region.municipalities.contains(province) { return province * 10_000 }
        if code / 100 % 100 == 90 { return code }
        return code / 100 * 100
    }

    /// 北京, 天津, 上海, 重庆.
    static let municipalities: Set<Int> = [11, 12, 31, 50]

    /// `370202 市南区`.
    public var description: String { "\(code) \(name)" }
}
