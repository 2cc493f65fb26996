import ZizhuCore
import ZizhuIO
import ZizhuPackage

/// What a merge (`zizhu merge`, contract §6 merge, §7) is told besides its inputs.
public struct MergeSettings: Sendable {
    /// The canonical term merged (`2023-fall`); packages of another term are listed, not merged.
    public var term: String
    /// The language of the findings' detail column (codes never change with it).
    public var language: Language = .zh
    /// The expected list (`--expected SCHOOLS.csv`), for M03; nil when none was given.
    public var expected: [ExpectedSchool]?
    /// The trust folder (`--trust KEYS_DIR`): every package must then be signed by its school's key (M06).
    public var trust: TrustStore?
    /// Caps for every archive read: city archives, packages, and the gzip files inside them.
    public var limits: ArchiveLimits
    /// Largest package (the zip itself) read into memory; a bigger one is quarantined (M02).
    /// Real packages are a few MiB: 20 000 students make about 2 MiB.
    public var maximumPackageBytes: Int64
    /// Threads that read and verify packages at once (pass 1) and read ahead for the merged
    /// files (pass 2). Outputs are the same bytes whatever the number.
    public var workers: Int

    public init(term: String, expected: [ExpectedSchool]? = nil, trust: TrustStore? = nil,
                limits: ArchiveLimits = .default, maximumPackageBytes: Int64 = 512 << 20,
                workers: Int = OrderedPool.defaultWorkers()) {
        self.term = term
        self.expected = expected
        self.trust = trust
        self.limits = limits
        self.maximumPackageBytes = maximumPackageBytes
        self.workers = workers
    }
}

/// One school of the expected list (应报学校名单): the schools a city or province office expects
/// a package from (M03 MISSING_SUBMISSION).
public struct ExpectedSchool: Sendable, Hashable {
    public var code: String
    public var name: String
    /// The school's city (GB/T 2260, 6 digits), when the list gives it.
    public var cityCode: String
    /// The city's name, when the list gives it.
    public var cityName: String
    /// `schools.csv:5`: where the list names the school (the M03 finding's source).
    public var source: String

    public init(code: String, name: String = "", cityCode: String = "", cityName: String = "", source: String = "") {
        self.code = code
        self.name = name
        self.cityCode = cityCode
        self.cityName = cityName
        self.source = source
    }
}
