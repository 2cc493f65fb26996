import Foundation
import ZizhuCore

/// The school submission package (申报包) `{school_code}_{term}.zip`, contract §8.
///
/// Entries, in this order:
/// - `roster.csv.gz`, `applications.csv.gz`: the data files — normalized UTF-8 CSV (no BOM, LF,
///   header = the schema's field names), rows sorted, gzip with mtime 0 and no file name;
/// - `manifest.json`: `PackageManifest` — each data file's SHA-256, size and row count, school,
///   term, `generated_at`;
/// - `declaration.json`: `Declaration` — the 申报数据真实性声明 as data: counts, the data
///   fingerprint, the statement, and optionally the principal's Ed25519 signature.
///
/// Every zip timestamp is 1980-01-01 00:00 and every permission 0644 (`ZipWriter`), so the zip's
/// bytes depend only on its entries. The only clock in the package is `generated_at` (which
/// `SOURCE_DATE_EPOCH` or `--generated-at` pins); the data files and the declaration hold none.
public enum PackageFormat {
    public static let rosterEntry = "roster.csv.gz"
    public static let applicationsEntry = "applications.csv.gz"
    public static let manifestEntry = "manifest.json"
    public static let declarationEntry = "declaration.json"
    /// The entries a package holds, in archive order.
    public static let entries = [rosterEntry, applicationsEntry, manifestEntry, declarationEntry]
    /// The data files, in fingerprint order.
    public static let dataEntries = [rosterEntry, applicationsEntry]

    public static let manifestFormat = "zizhu-package/1"
    public static let declarationFormat = "zizhu-declaration/1"

    /// Why `code` cannot be a school code that names a package file, or nil: a school code is 1 to
    /// 32 ASCII letters, digits and hyphens (`3701J001`), so it never holds `/`, `..` or `_`.
    public static func schoolCodeProblem(_ code: String) -> String? {
        schoolCodeProblemWords(code)?.text(.en)
    }

    /// `schoolCodeProblem` as catalogue words.
    public static func schoolCodeProblemWords(_ code: String) -> Message? {
        if code.isEmpty { return Message("schoolCode.empty") }
        if code.utf8.count > 32 { return Message("schoolCode.long") }
        let allowed = code.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
        }
        return allowed ? nil : Message("schoolCode.characters")
    }

    /// Throws a usage error when `code` is not a school code (before it names any file).
    public static func checkSchoolCode(_ code: String) throws {
        if let problem = schoolCodeProblemWords(code) {
            throw ZizhuError(.usage, Message("schoolCode.bad", ["code": code], parts: ["problem": problem]), hint: Message("schoolCode.bad.hint"))
        }
    }

    /// `{school_code}_{term}.zip`, e.g. `3701J001_2023-fall.zip`.
    public static func fileName(schoolCode: String, term: String) -> String { "\(schoolCode)_\(term).zip" }

    /// The data fingerprint (数据指纹): SHA-256 over the lines `"<sha256 hex>  <entry name>\n"` of
    /// the data files in `dataEntries` order — the `sha256sum` listing of the package's data, so a
    /// person can recompute it with standard tools.
    public static func fingerprintText(_ digests: [(entry: String, sha256: String)]) -> String {
        digests.map { "\($0.sha256)  \($0.entry)\n" }.joined()
    }
}

/// `manifest.json` inside a package.
public struct PackageManifest: Sendable, Codable, Equatable {
    public struct DataFile: Sendable, Codable, Equatable {
        /// Entry name in the zip (`roster.csv.gz`).
        public var path: String
        /// `roster` or `applications`.
        public var schema: String
        /// Size of the entry as stored in the package (the gzip bytes).
        public var bytes: Int
        /// SHA-256 (lower-case hex) of those bytes.
        public var sha256: String
        /// Data rows (records after the header).
        public var rows: Int

        public init(path: String, schema: String, bytes: Int, sha256: String, rows: Int) {
            self.path = path
            self.schema = schema
            self.bytes = bytes
            self.sha256 = sha256
            self.rows = rows
        }
    }

    public var format: String = PackageFormat.manifestFormat
    public var schoolCode: String
    public var schoolName: String
    /// The school's city (GB/T 2260, 6 digits), when known.
    public var schoolCity: String?
    /// Canonical term, `2023-fall`.
    public var term: String
    /// When the package was made: ISO 8601 with offset, `2023-10-30T09:15:00+08:00`.
    public var generatedAt: String
    /// `zizhu 0.3.0`.
    public var tool: String
    public var files: [DataFile]

    public init(schoolCode: String, schoolName: String, schoolCity: String?, term: String, generatedAt: String,
                tool: String, files: [DataFile]) {
        self.schoolCode = schoolCode
        self.schoolName = schoolName
        self.schoolCity = schoolCity
        self.term = term
        self.generatedAt = generatedAt
        self.tool = tool
        self.files = files
    }
}

/// The counts a declaration states (contract §8), computed from the package's data files.
public struct DeclarationCounts: Sendable, Codable, Equatable {
    /// Roster rows in the package.
    public var rosterRows: Int
    /// Applications rows in the package.
    public var applicationRows: Int
    /// Full-time (全日制) students who are enrolled (在籍 or 复学).
    public var fullTimeEnrolled: Int
    /// Applications not 退回, per aid type (国家助学金, 免学费).
    public var applicationsByAidType: [String: Int]
    /// 国家助学金 applications not 退回, per tier (一档, 二档, 三档; `未定档` when empty).
    public var grantApplicationsByTier: [String: Int]
    /// Total amount of the 国家助学金 applications not 退回, in yuan with two decimals.
    public var grantAmount: String

    public init(rosterRows: Int, applicationRows: Int, fullTimeEnrolled: Int, applicationsByAidType: [String: Int],
                grantApplicationsByTier: [String: Int], grantAmount: String) {
        self.rosterRows = rosterRows
        self.applicationRows = applicationRows
        self.fullTimeEnrolled = fullTimeEnrolled
        self.applicationsByAidType = applicationsByAidType
        self.grantApplicationsByTier = grantApplicationsByTier
        self.grantAmount = grantAmount
    }
}

/// `declaration.json` inside a package: the 申报数据真实性声明 as data.
///
/// The signature covers `Declaration.canonicalBytes()`: this value without `signature`, as
/// compact JSON with sorted snake_case keys and unescaped slashes — re-encoding the decoded
/// value gives the same bytes, so anyone can check it.
public struct Declaration: Sendable, Codable, Equatable {
    public struct Signature: Sendable, Codable, Equatable {
        /// `Ed25519`.
        public var algorithm: String
        /// The raw 32-byte public key, base64.
        public var publicKey: String
        /// First 16 hex digits of SHA-256 of the raw public key: names the key in a trust folder.
        public var keyId: String
        /// The 64-byte signature over `canonicalBytes()`, base64.
        public var value: String

        public init(algorithm: String, publicKey: String, keyId: String, value: String) {
            self.algorithm = algorithm
            self.publicKey = publicKey
            self.keyId = keyId
            self.value = value
        }
    }

    public var format: String = PackageFormat.declarationFormat
    public var title: String = "申报数据真实性声明"
    public var schoolCode: String
    public var schoolName: String
    public var term: String
    /// The term as people write it: `2023年秋季学期`.
    public var termName: String
    public var counts: DeclarationCounts
    /// SHA-256 hex over the data files (`PackageFormat.fingerprintText`).
    public var fingerprint: String
    public var statement: String
    public var signature: Signature?

    public init(schoolCode: String, schoolName: String, term: String, termName: String, counts: DeclarationCounts,
                fingerprint: String, statement: String, signature: Signature? = nil) {
        self.schoolCode = schoolCode
        self.schoolName = schoolName
        self.term = term
        self.termName = termName
        self.counts = counts
        self.fingerprint = fingerprint
        self.statement = statement
        self.signature = signature
    }

    /// The statement the principal signs (the policy's 谁采集谁负责、谁报送谁负责).
    public static func standardStatement(schoolName: String, termName: String) -> String {
        "\(schoolName)郑重声明：本校本次报送的\(termName)学生学籍及资助申报数据真实、完整、准确，" +
            "不存在虚报、冒领、重复申报等情形。本校对所报送数据的真实性负责，如有不实，愿承担相应责任。"
    }

    /// The bytes a signature covers: this declaration without its signature, as compact JSON
    /// with sorted snake_case keys.
    public func canonicalBytes() throws -> [UInt8] {
        var unsigned = self
        unsigned.signature = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(unsigned))
    }
}
