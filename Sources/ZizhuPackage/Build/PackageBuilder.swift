import Crypto
import ZizhuCore
import ZizhuIO

/// What a school package is made from: who, which term, and the two data files.
public struct PackageInput: Sendable {
    public var schoolCode: String
    public var schoolName: String
    /// The school's city (GB/T 2260, 6 digits), when known.
    public var schoolCity: String?
    /// Canonical term, `2023-fall`.
    public var term: String
    /// The term as people write it, `2023年秋季学期`.
    public var termName: String
    /// ISO 8601 with offset; the only clock in the package.
    public var generatedAt: String
    /// `zizhu 0.3.0`.
    public var tool: String
    /// The roster as package CSV (`PackageCSV`): normalized and sorted by the caller.
    public var rosterCSV: [UInt8]
    /// The applications as package CSV: normalized and sorted by the caller.
    public var applicationsCSV: [UInt8]

    public init(schoolCode: String, schoolName: String, schoolCity: String?, term: String, termName: String,
                generatedAt: String, tool: String, rosterCSV: [UInt8], applicationsCSV: [UInt8]) {
        self.schoolCode = schoolCode
        self.schoolName = schoolName
        self.schoolCity = schoolCity
        self.term = term
        self.termName = termName
        self.generatedAt = generatedAt
        self.tool = tool
        self.rosterCSV = rosterCSV
        self.applicationsCSV = applicationsCSV
    }
}

/// A built school package: its entries in archive order, and the manifest and declaration they hold.
public struct SchoolPackage: Sendable {
    public var manifest: PackageManifest
    public var declaration: Declaration
    /// `roster.csv.gz`, `applications.csv.gz`, `manifest.json`, `declaration.json`.
    public var entries: [ZipEntryData]

    /// `{school_code}_{term}.zip`.
    public var fileName: String { PackageFormat.fileName(schoolCode: manifest.schoolCode, term: manifest.term) }

    /// Writes the zip to `path` (replacing it): fixed timestamps and permissions, so equal
    /// packages give equal bytes.
    public func write(to path: String) throws {
        try ZipWriter.write(entries: entries, to: path)
    }
}

/// Makes the school package (申报包) from normalized data: gzip, hashes, row counts, the
/// fingerprint, the declaration's counts, and the principal's signature when a key is given.
public enum PackageBuilder {
    /// Builds the package. Equal input gives byte-identical entries: gzip carries no time or
    /// name and JSON is written with sorted keys. A signed package is identical too where
    /// swift-crypto signs with BoringSSL (Linux: Ed25519 as RFC 8032, deterministic); Apple's
    /// CryptoKit randomizes Ed25519 signatures, so on macOS the signature value differs per build
    /// (it verifies all the same).
    /// Data that `PackageCSV` cannot read, or that lacks a column the counts need, is refused
    /// (`.csvSyntax` / `.noHeader`): a package is never built that its verifier would reject.
    public static func build(_ input: PackageInput, signingKey: SigningKey? = nil) throws -> SchoolPackage {
        let counts = try DeclarationCounts.compute(roster: input.rosterCSV, applications: input.applicationsCSV)
        let rosterGzip = try Gzip.compress(input.rosterCSV)
        let applicationsGzip = try Gzip.compress(input.applicationsCSV)
        let files = [
            dataFile(PackageFormat.rosterEntry, schema: "roster", gzip: rosterGzip, rows: counts.rosterRows),
            dataFile(PackageFormat.applicationsEntry, schema: "applications", gzip: applicationsGzip,
                     rows: counts.applicationRows),
        ]
        let manifest = PackageManifest(schoolCode: input.schoolCode, schoolName: input.schoolName,
                                       schoolCity: input.schoolCity, term: input.term, generatedAt: input.generatedAt,
                                       tool: input.tool, files: files)
        var declaration = Declaration(
            schoolCode: input.schoolCode, schoolName: input.schoolName, term: input.term, termName: input.termName,
            counts: counts, fingerprint: fingerprint(files.map { ($0.path, $0.sha256) }),
            statement: Declaration.standardStatement(schoolName: input.schoolName, termName: input.termName))
        if let signingKey { declaration = try signingKey.sign(declaration) }
        let entries = [
            ZipEntryData(name: PackageFormat.rosterEntry, bytes: rosterGzip),
            ZipEntryData(name: PackageFormat.applicationsEntry, bytes: applicationsGzip),
            ZipEntryData(name: PackageFormat.manifestEntry, bytes: try PackageJSON.encode(manifest)),
            ZipEntryData(name: PackageFormat.declarationEntry, bytes: try PackageJSON.encode(declaration)),
        ]
        return SchoolPackage(manifest: manifest, declaration: declaration, entries: entries)
    }

    /// SHA-256 (lower-case hex) of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String {
        PublicSigningKey.hex(SHA256.hash(data: bytes))
    }

    /// The data fingerprint: SHA-256 hex of `PackageFormat.fingerprintText` over the data files'
    /// digests, given in `PackageFormat.dataEntries` order.
    public static func fingerprint(_ digests: [(entry: String, sha256: String)]) -> String {
        sha256(Array(PackageFormat.fingerprintText(digests).utf8))
    }

    private static func dataFile(_ path: String, schema: String, gzip: [UInt8], rows: Int) -> PackageManifest.DataFile {
        PackageManifest.DataFile(path: path, schema: schema, bytes: gzip.count, sha256: sha256(gzip), rows: rows)
    }
}
