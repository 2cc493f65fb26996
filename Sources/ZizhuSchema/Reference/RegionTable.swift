import Foundation
import ZizhuCore

/// The GB/T 2260 table of administrative divisions, shipped as `Reference/Data/regions.csv`
/// (`code,name,level,status`; sources in that folder's README).
///
/// Resolves what rosters write in a region field: a six-digit code, or a name at any depth —
/// `青岛市`, `青岛`, `山东省青岛市`, `山东青岛`, `山东省青岛市市南区`, `北京市海淀区`. Current divisions
/// win over abolished ones of the same name; a name that stays ambiguous (`朝阳区` is in Beijing
/// and in Changchun) resolves to nothing rather than to a guess.
public final class RegionTable: Sendable {
    /// The shipped table. If it cannot be loaded this is an empty table and `loadError` says why
    /// (a region lookup then finds nothing; the run reports, it does not crash).
    public static let shared: RegionTable = {
        guard let url = Bundle.module.url(forResource: "Data", withExtension: nil)?
            .appendingPathComponent("regions.csv") else {
            return RegionTable(regions: [], loadError: ZizhuError(
                .configuration, Message("reference.bundle"), hint: Message("reference.bundle.hint")))
        }
        do {
            return try load(from: url)
        } catch let error as ZizhuError {
            return RegionTable(regions: [], loadError: error)
        } catch {
            return RegionTable(regions: [], loadError: ZizhuError(.configuration, Message("reference.load", ["path": url.path]), cause: error))
        }
    }()

    /// Why `shared` is empty, when it is.
    public let loadError: ZizhuError?

    private let byCode: [Int: Region]
    /// Full names and short names (`青岛`, `广西`, `延边`) → candidate codes.
    private let names: [Substring: [NameEntry]]
    private let longestName: Int
    private let cache = ResolveCache()

    private struct NameEntry: Sendable {
        var code: Int
        var isShortForm: Bool
    }

    /// A table of the given divisions (tests, or a custom table).
    public convenience init(regions: [Region]) {
        self.init(regions: regions, loadError: nil)
    }

    private init(regions: [Region], loadError: ZizhuError?) {
        self.loadError = loadError
        var byCode: [Int: Region] = [:]
        for region in regions { byCode[region.code] = region }
        var names: [Substring: [NameEntry]] = [:]
        var longest = 0
        for region in byCode.values.sorted(by: { $0.code < $1.code }) {
            names[Substring(region.name), default: []].append(NameEntry(code: region.code, isShortForm: false))
            longest = max(longest, region.name.count)
            if region.level != .district, let short = RegionTable.shortName(of: region.name) {
                names[Substring(short), default: []].append(NameEntry(code: region.code, isShortForm: true))
            }
        }
        self.byCode = byCode
        self.names = names
        self.longestName = longest
    }

    /// Reads a `code,name,level,status` CSV (status `current` or `abolished`; the column may be
    /// left out, meaning current). Throws `ZizhuError` (.configuration) naming the line at fault.
    public static func load(from url: URL) throws -> RegionTable {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ZizhuError(.ioFailure, Message("region.read", ["path": url.path]), cause: error)
        }
        var regions: [Region] = []
        var seen = Set<Int>()
        let text = String(decoding: data, as: UTF8.self)
        // "\r\n" is one Character in Swift, so split on both forms.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 1
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if lineNumber == 1 {
                guard fields.count >= 3, fields[0] == "code", fields[1] == "name", fields[2] == "level" else {
                    throw bad(url, lineNumber, Message("region.header"))
                }
                continue
            }
            guard fields.count == 3 || fields.count == 4 else { throw bad(url, lineNumber, Message("region.fields")) }
            guard fields[0].utf8.count == 6, fields[0].allSatisfy(\.isASCII), let code = Int(fields[0]), code >= 100_000 else {
                throw bad(url, lineNumber, Message("region.code"))
            }
            guard !fields[1].isEmpty else { throw bad(url, lineNumber, Message("region.name")) }
            guard let level = Region.Level(rawValue: fields[2]) else {
                throw bad(url, lineNumber, Message("region.level"))
            }
            let status = fields.count == 4 ? fields[3] : "current"
            guard status == "current" || status == "abolished" else {
                throw bad(url, lineNumber, Message("region.status"))
            }
            guard seen.insert(code).inserted else { throw bad(url, lineNumber, Message("region.twice", ["code": "\(code)"])) }
            regions.append(Region(code: code, name: fields[1], level: level, isCurrent: status == "current"))
        }
        guard !regions.isEmpty else { throw bad(url, 1, Message("region.empty")) }
        return RegionTable(regions: regions, loadError: nil)
    }

    private static func bad(_ url: URL, _ line: Int, _ message: Message) -> ZizhuError {
        ZizhuError(.configuration, Message("region.invalid", parts: ["message": message]),
                   at: InputPosition(file: url.path, line: line))
    }

    /// Number of divisions (current and abolished).
    public var count: Int { byCode.count }

    public func region(code: Int) -> Region? { byCode[code] }

    /// The prefecture-level city (or municipality, or directly administered county) a division
    /// belongs to, when the table has it.
    public func city(of region: Region) -> Region? { byCode[region.cityCode] }

    /// The province-level division a division belongs to.
    public func province(of region: Region) -> Region? { byCode[region.provinceCode] }

    /// True when the divisions with codes `a` and `b` are in the same prefecture-level city (see
    /// `Region.cityCode`); a code need not be in the table (S08 compares the codes cells hold).
    public func sameCity(_ a: Int, _ b: Int) -> Bool { Region.cityCode(of: a) == Region.cityCode(of: b) }

    /// The division a region cell names, or nil: a six-digit code in the table, or a name whose
    /// parts run from the top down (`山东省青岛市市南区`, `青岛市市南区`, `青岛`) — the most specific
    /// division named. Text is normalized first (width, white space).
    ///
    /// Answers are cached (a roster repeats the same few hundred places a million times), so a
    /// repeated cell costs one hash lookup.
    public func resolve(_ text: String) -> Region? {
        if let cached = cache.value(for: text) { return cached.region }
        let region = resolveUncached(text)
        cache.store(ResolvedRegion(region: region), for: text)
        return region
    }

    private func resolveUncached(_ text: String) -> Region? {
        let key = TextNormalizer.normalize(text, mode: .compact)
        guard !key.isEmpty else { return nil }
        if key.utf8.count == 6, key.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return Int(key).flatMap { byCode[$0] }
        }
        var rest = Substring(key)
        var parent: Region?
        while !rest.isEmpty {
            guard let (match, length) = bestMatch(atStartOf: rest, under: parent) else { return nil }
            parent = match
            rest = rest.dropFirst(length)
        }
        return parent
    }

    /// The longest name at the start of `text` that names a division below `parent` (any
    /// division when `parent` is nil); ties go to current divisions, full names, then the higher
    /// level. Nil when nothing matches or the best candidates remain tied.
    private func bestMatch(atStartOf text: Substring, under parent: Region?) -> (Region, Int)? {
        var length = min(text.count, longestName)
        while length > 0 {
            let prefix = text.prefix(length)
            if let entries = names[prefix] {
                var best: (region: Region, rank: Int)?
                var tied = false
                for entry in entries {
                    guard let region = byCode[entry.code], isBelow(region, parent) else { continue }
                    let rank = (region.isCurrent ? 0 : 100) + (entry.isShortForm ? 10 : 0) + levelRank(region.level)
                    if let current = best {
                        if rank < current.rank {
                            best = (region, rank)
                            tied = false
                        } else if rank == current.rank, region.code != current.region.code {
                            tied = true
                        }
                    } else {
                        best = (region, rank)
                    }
                }
                if let best {
                    return tied ? nil : (best.region, length)
                }
            }
            length -= 1
        }
        return nil
    }

    private func levelRank(_ level: Region.Level) -> Int {
        switch level {
        case .province: return 0
        case .city: return 1
        case .district: return 2
        }
    }

    /// True when `region` lies inside `parent` and is a level below it (always true at the top).
    private func isBelow(_ region: Region, _ parent: Region?) -> Bool {
        guard let parent else { return true }
        switch parent.level {
        case .province:
            return region.level != .province && region.provinceCode == parent.code
        case .city:
            return region.level == .district && region.code / 100 == parent.code / 100
        case .district:
            return false
        }
    }

    /// The name without its administrative suffix: 山东省 → 山东, 青岛市 → 青岛,
    /// 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边, 香港特别行政区 → 香港. Nil when
    /// nothing would be left but one character.
    static func shortName(of name: String) -> String? {
        var short = Substring(name)
        var autonomous = false
        for suffix in ["特别行政区", "自治区", "自治州", "地区", "省", "市", "盟"] where short.hasSuffix(suffix) {
            short = short.dropLast(suffix.count)
            autonomous = suffix.hasPrefix("自治")
            break
        }
        if autonomous {
            // Peel off the peoples the autonomy is named for: 黔东南苗族侗族 → 黔东南.
            var peeled = true
            while peeled {
                peeled = false
                for people in ["维吾尔", "蒙古", "哈萨克", "柯尔克孜"] where short.hasSuffix(people) {
                    short = short.dropLast(people.count)
                    peeled = true
                }
                if short.hasSuffix("族"), short.count >= 4 {
                    // A people's name is one to three characters before 族 (藏族, 土家族, 布依族).
                    for width in [2, 3, 4] where short.count > width + 1 {
                        let candidate = short.suffix(width)
                        if RegionTable.peoples.contains(String(candidate)) {
                            short = short.dropLast(width)
                            peeled = true
                            break
                        }
                    }
                }
            }
        }
        guard short.count >= 2, short != Substring(name) else { return nil }
        return String(short)
    }

    /// Peoples named in the autonomous divisions of the table (with 族).
    private static let peoples: Set<String> = [
        "壮族", "回族", "藏族", "苗族", "彝族", "侗族", "瑶族", "白族", "傣族", "黎族", "羌族", "土族", "蒙古族",
        "朝鲜族", "满族", "土家族", "布依族", "哈尼族", "景颇族", "傈僳族", "拉祜族", "佤族", "纳西族", "仫佬族",
        "毛南族", "仡佬族", "水族", "畲族", "撒拉族", "东乡族", "保安族", "裕固族", "锡伯族", "达斡尔族", "鄂温克族",
        "鄂伦春族", "普米族", "怒族", "独龙族", "阿昌族", "布朗族", "德昂族", "哈萨克族", "塔吉克族", "各族",
    ]
}

/// A cached answer of `resolve`, nil included.
private struct ResolvedRegion: Sendable {
    var region: Region?
}

/// A small lock-protected memo for `RegionTable.resolve`. Bounded: when full it starts over, so a
/// hostile file of distinct junk cannot grow it without limit.
private final class ResolveCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: ResolvedRegion] = [:]
    private let limit = 65_536

    func value(for key: String) -> ResolvedRegion? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func store(_ value: ResolvedRegion, for key: String) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = value
    }
}
