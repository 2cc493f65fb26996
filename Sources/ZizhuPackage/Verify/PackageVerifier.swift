import Foundation
import ZizhuCore
import ZizhuIO

/// Checks a school package the way a city or province office must before merging it (§6):
/// M02 (readable, exactly the four entries, data files matching the manifest's hash, size and
/// rows), M04 (the declaration's fingerprint, counts, school and term against the data and the
/// manifest) and M06: a present signature that does not verify is M06 always; with a trust
/// folder the declaration must also be signed, by the school's trusted key.
///
/// Without a trust folder, "does not verify" is decided against the public key the declaration
/// itself carries (`signature.public_key`): the signature is broken when its algorithm is not
/// Ed25519, its public key or value is not well-formed, its `key_id` does not name that key, or
/// its value does not verify over the declaration's canonical bytes with that key. Whether that
/// key is the school's cannot be known without a trust folder, so a declaration signed soundly
/// with any key passes, and an absent signature is no problem (only `--trust` requires one).
///
/// Every problem is listed, not just the first. A hostile package — damaged, truncated, a zip
/// bomb, `../` entries, garbage JSON, a school code like `../x` — gives problems, never a crash
/// or a hang; only a package file that cannot be opened at all is thrown (`.ioFailure`, exit 3).
public enum PackageVerifier {
    /// Largest `manifest.json` / `declaration.json` read: real ones are a few KiB.
    public static let maximumJSONBytes: Int64 = 1 << 20

    /// Verifies the package file at `path`. Throws only when the file cannot be opened or read
    /// (missing, a folder, no permission); everything about its content is a problem in the result.
    public static func verify(path: String, trust: TrustStore? = nil,
                              limits: ArchiveLimits = .default) throws -> PackageVerification {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: path, limits: limits)
        } catch let error as ZizhuError where error.code == .ioFailure {
            throw error
        } catch {
            return unreadable(path, error)
        }
        return verify(archive, trust: trust, limits: limits)
    }

    /// Verifies a package held in memory (an entry of a city archive); `name` names it in the result.
    public static func verify(bytes: [UInt8], name: String, trust: TrustStore? = nil,
                              limits: ArchiveLimits = .default) -> PackageVerification {
        do {
            return verify(try ZipArchive(bytes: bytes, name: name, limits: limits), trust: trust, limits: limits)
        } catch {
            return unreadable(name, error)
        }
    }

    /// Verifies an opened package archive.
    public static func verify(_ archive: ZipArchive, trust: TrustStore? = nil,
                              limits: ArchiveLimits = .default) -> PackageVerification {
        var check = Check(archive: archive, limits: limits)
        check.entries()
        check.manifest()
        check.dataFiles()
        check.declaration()
        check.signature()
        if let trust { check.trust(trust) }
        return check.result
    }

    private static func unreadable(_ name: String, _ error: any Error) -> PackageVerification {
        var result = PackageVerification(source: name)
        // The zip reader's messages say what is wrong with the archive as a whole
        // ("not a readable zip archive: …", "entry \"../x\" climbs out …; the archive is refused").
        result.problems.append(PackageProblem(.packageIntegrity, "package", message(error)))
        return result
    }

    /// An error's message without its position (the subject names the entry).
    /// `message` as catalogue words.
    package static func words(_ error: any Error) -> Message {
        if let error = error as? ZizhuError {
            guard let line = error.position?.line else { return error.messageWords }
            return Message("verify.atLine", ["line": "\(line)"], parts: ["message": error.messageWords])
        }
        return Message(verbatim: message(error))
    }

    package static func message(_ error: any Error) -> String {
        if let error = error as? ZizhuError {
            var text = error.message
            if let line = error.position?.line { text = "line \(line): " + text }
            return text
        }
        if let error = error as? DecodingError { return describe(error) }
        return "\(error)"
    }

    /// A `DecodingError` as one short sentence naming the JSON field.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ last: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            let names = keys.map { key in key.intValue.map { "[\($0)]" } ?? snakeCase(key.stringValue) }
            return names.isEmpty ? "the top level" : "field " + names.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context, key)) is missing"
        case .valueNotFound(_, let context): return "\(path(context)) is null"
        case .typeMismatch(let type, let context): return "\(path(context)) is not \(type == String.self ? "a string" : "a \(type)")"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not JSON" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func snakeCase(_ name: String) -> String {
        var text = ""
        for character in name {
            if character.isUppercase, !text.isEmpty { text.append("_") }
            text.append(contentsOf: character.lowercased())
        }
        return text
    }

    /// The checks of one package, in order, filling `result`.
    private struct Check {
        let archive: ZipArchive
        let limits: ArchiveLimits
        var result: PackageVerification
        /// SHA-256 of each data entry as stored.
        var digests: [String: String] = [:]

        init(archive: ZipArchive, limits: ArchiveLimits) {
            self.archive = archive
            self.limits = limits
            result = PackageVerification(source: archive.name)
        }

        mutating func problem(_ code: PackageProblem.Code, _ subject: String, _ reason: Message) {
            result.problems.append(PackageProblem(code, subject, reason))
        }

        mutating func problem(_ code: PackageProblem.Code, _ subject: Message, _ reason: Message) {
            result.problems.append(PackageProblem(code, "", reason, subjectWords: subject))
        }

        /// Exactly the four entries, each once, no folders.
        mutating func entries() {
            var seen: [String: Int] = [:]
            for entry in archive.entries {
                if entry.isDirectory {
                    problem(.packageIntegrity, entry.name, Message("verify.folderEntry"))
                    continue
                }
                seen[entry.name, default: 0] += 1
                if !PackageFormat.entries.contains(entry.name) {
                    problem(.packageIntegrity, entry.name,
                            Message("verify.unexpectedEntry", ["entries": PackageFormat.entries.joined(separator: ", ")]))
                }
            }
            for name in PackageFormat.entries {
                switch seen[name, default: 0] {
                case 0: problem(.packageIntegrity, name, Message("verify.missingEntry"))
                case 1: break
                case let count: problem(.packageIntegrity, name, Message("verify.entryTwice", ["count": "\(count)"]))
                }
            }
        }

        /// The entry's stored bytes, or nil after reporting why not (a missing entry was reported).
        mutating func read(_ name: String, as code: PackageProblem.Code, maximum: Int64? = nil) -> [UInt8]? {
            guard let entry = archive.entry(named: name) else { return nil }
            if let maximum, entry.uncompressedSize > maximum {
                problem(code, name, Message("verify.jsonTooLarge", ["size": "\(entry.uncompressedSize)", "maximum": "\(maximum)"]))
                return nil
            }
            do {
                return try archive.read(entry)
            } catch {
                problem(code, name, Message("verify.unreadable", parts: ["reason": PackageVerifier.words(error)]))
                return nil
            }
        }

        mutating func manifest() {
            let name = PackageFormat.manifestEntry
            guard let bytes = read(name, as: .packageIntegrity, maximum: PackageVerifier.maximumJSONBytes) else { return }
            let manifest: PackageManifest
            do {
                manifest = try PackageJSON.decode(PackageManifest.self, from: bytes)
            } catch {
                problem(.packageIntegrity, name, Message("verify.manifest.invalid", parts: ["reason": PackageVerifier.words(error)]))
                return
            }
            result.manifest = manifest
            if manifest.format != PackageFormat.manifestFormat {
                problem(.packageIntegrity, name, Message("verify.format", ["format": manifest.format, "expected": PackageFormat.manifestFormat]))
            }
            var listed: [String: Int] = [:]
            for file in manifest.files {
                listed[file.path, default: 0] += 1
                if !PackageFormat.dataEntries.contains(file.path) {
                    problem(.packageIntegrity, name, Message("verify.manifest.notData", ["path": file.path]))
                }
            }
            for (path, count) in listed.sorted(by: { $0.key < $1.key }) where count > 1 {
                problem(.packageIntegrity, name, Message("verify.manifest.twice", ["path": path, "count": "\(count)"]))
            }
        }

        /// Each data file: hash, size, gzip, CSV, rows — against the manifest.
        mutating func dataFiles() {
            var rosterPart: DeclarationCounts.FilePart?
            var applicationsPart: DeclarationCounts.FilePart?
            for (name, schema) in zip(PackageFormat.dataEntries, ["roster", "applications"]) {
                guard let stored = read(name, as: .packageIntegrity) else { continue }
                let sha256 = PackageBuilder.sha256(stored)
                digests[name] = sha256
                let listed = result.manifest?.files.first { $0.path == name }
                if result.manifest != nil && listed == nil {
                    problem(.packageIntegrity, name, Message("verify.notListed", ["manifest": PackageFormat.manifestEntry]))
                }
                if let listed {
                    if listed.sha256 != sha256 {
                        problem(.packageIntegrity, name, Message("verify.sha256", ["listed": listed.sha256, "actual": sha256]))
                    }
                    if listed.bytes != stored.count {
                        problem(.packageIntegrity, name, Message("verify.size", ["listed": "\(listed.bytes)", "actual": "\(stored.count)"]))
                    }
                    if listed.schema != schema {
                        problem(.packageIntegrity, name, Message("verify.schema", ["listed": listed.schema, "expected": schema]))
                    }
                }
                let csv: [UInt8]
                do {
                    csv = try Gzip.decompress(stored, limits: limits)
                } catch {
                    problem(.packageIntegrity, name, Message("verify.gzip", parts: ["reason": PackageVerifier.words(error)]))
                    continue
                }
                // One pass reads the rows and counts the file's part of the declaration.
                let part: DeclarationCounts.FilePart
                do {
                    part = name == PackageFormat.rosterEntry ? try DeclarationCounts.rosterPart(csv, name: name)
                                                             : try DeclarationCounts.applicationsPart(csv, name: name)
                } catch {
                    problem(.packageIntegrity, name, Message("verify.csv", parts: ["reason": PackageVerifier.words(error)]))
                    continue
                }
                if let listed, listed.rows != part.rows {
                    problem(.packageIntegrity, name, Message("verify.rows", ["listed": "\(listed.rows)", "actual": "\(part.rows)"]))
                }
                if name == PackageFormat.rosterEntry {
                    result.roster = csv
                    rosterPart = part
                } else {
                    result.applications = csv
                    applicationsPart = part
                }
            }
            let ordered = PackageFormat.dataEntries.compactMap { entry in digests[entry].map { (entry: entry, sha256: $0) } }
            if ordered.count == PackageFormat.dataEntries.count {
                result.fingerprint = PackageBuilder.fingerprint(ordered)
            }
            if let rosterPart, let applicationsPart {
                do {
                    result.counts = try DeclarationCounts.combine(roster: rosterPart, applications: applicationsPart)
                } catch {
                    problem(.declarationMismatch, Message("verify.subject.counts"),
                            Message("verify.counts.recompute", parts: ["reason": PackageVerifier.words(error)]))
                }
            }
        }

        /// The declaration against the data and the manifest; the signature's own validity.
        mutating func declaration() {
            let name = PackageFormat.declarationEntry
            guard let bytes = read(name, as: .declarationMismatch, maximum: PackageVerifier.maximumJSONBytes) else { return }
            let declaration: Declaration
            do {
                declaration = try PackageJSON.decode(Declaration.self, from: bytes)
            } catch {
                problem(.declarationMismatch, name, Message("verify.declaration.invalid", parts: ["reason": PackageVerifier.words(error)]))
                return
            }
            result.declaration = declaration
            if declaration.format != PackageFormat.declarationFormat {
                problem(.declarationMismatch, name,
                        Message("verify.format", ["format": declaration.format, "expected": PackageFormat.declarationFormat]))
            }
            if let actual = result.fingerprint, declaration.fingerprint != actual {
                problem(.declarationMismatch, Message("verify.subject.fingerprint"),
                        Message("verify.declaredData", ["declared": declaration.fingerprint, "actual": actual]))
            }
            if let manifest = result.manifest {
                let pairs = [("school_code", declaration.schoolCode, manifest.schoolCode),
                             ("school_name", declaration.schoolName, manifest.schoolName),
                             ("term", declaration.term, manifest.term)]
                for (field, declared, listed) in pairs where declared != listed {
                    problem(.declarationMismatch, Message("verify.subject.field", ["field": field]),
                            Message("verify.declaredManifest", ["declared": declared, "listed": listed]))
                }
            }
            if let actual = result.counts { compare(declaration.counts, actual) }
            result.signature = Self.signatureStatus(of: declaration)
        }

        mutating func compare(_ declared: DeclarationCounts, _ actual: DeclarationCounts) {
            func count(_ field: String, _ declared: Int, _ actual: Int) {
                if declared != actual {
                    problem(.declarationMismatch, Message("verify.subject.count", ["field": field]),
                            Message("verify.declaredData", ["declared": "\(declared)", "actual": "\(actual)"]))
                }
            }
            count("roster_rows", declared.rosterRows, actual.rosterRows)
            count("application_rows", declared.applicationRows, actual.applicationRows)
            count("full_time_enrolled", declared.fullTimeEnrolled, actual.fullTimeEnrolled)
            for (field, declaredMap, actualMap) in [
                ("applications_by_aid_type", declared.applicationsByAidType, actual.applicationsByAidType),
                ("grant_applications_by_tier", declared.grantApplicationsByTier, actual.grantApplicationsByTier),
            ] {
                for key in Set(declaredMap.keys).union(actualMap.keys).sorted() {
                    count("\(field)[\(key)]", declaredMap[key] ?? 0, actualMap[key] ?? 0)
                }
            }
            // Compared as written: the builder writes exactly two decimals, and the signature
            // covers this text, so `1250.0` for `1250.00` is a declaration not made by zizhu.
            if declared.grantAmount != actual.grantAmount {
                problem(.declarationMismatch, Message("verify.subject.count", ["field": "grant_amount"]),
                        Message("verify.declaredData", ["declared": "\(declared.grantAmount)", "actual": "\(actual.grantAmount)"]))
            }
        }

        static func signatureStatus(of declaration: Declaration) -> PackageVerification.SignatureStatus {
            guard let signature = declaration.signature else { return .unsigned }
            guard signature.algorithm == Declaration.Signature.ed25519 else {
                return .fails(reason: Message("verify.sig.algorithm", ["algorithm": signature.algorithm]))
            }
            guard let key = try? PublicSigningKey(base64: signature.publicKey) else {
                return .fails(reason: Message("verify.sig.publicKey"))
            }
            guard signature.keyId == key.keyId else {
                return .fails(reason: Message("verify.sig.keyId", ["keyId": signature.keyId, "actual": key.keyId]))
            }
            guard let value = Data(base64Encoded: signature.value), value.count == 64 else {
                return .fails(reason: Message("verify.sig.value"))
            }
            guard let message = try? declaration.canonicalBytes(), key.isValidSignature([UInt8](value), for: message) else {
                return .fails(reason: Message("verify.sig.fails", ["keyId": key.keyId]))
            }
            return .verifies(keyId: key.keyId)
        }

        /// M06, with or without a trust folder: a signature that is there must verify with the
        /// key it comes with (an absent one is a problem only with a trust folder).
        mutating func signature() {
            if case .fails(let reason) = result.signature {
                problem(.signatureInvalid, Message("verify.subject.signature"), reason)
            }
        }

        /// M06: signed, and by the key the trust folder holds for the declared school (a
        /// signature that does not verify was reported by `signature()`).
        mutating func trust(_ store: TrustStore) {
            result.trustChecked = true
            let subject = Message("verify.subject.signature")
            guard let declaration = result.declaration else {
                problem(.signatureInvalid, subject, Message("verify.trust.unreadDeclaration"))
                return
            }
            switch result.signature {
            case .notChecked:
                problem(.signatureInvalid, subject, Message("verify.trust.notChecked"))
            case .unsigned:
                problem(.signatureInvalid, subject, Message("verify.trust.unsigned"))
            case .fails, .verifies:
                break
            }
            let school = declaration.schoolCode
            switch store.key(forSchool: school) {
            case .invalidSchoolCode(let reason):
                // The lookup's reason in words: the name's problem, as `unusableName` found it.
                let words = SigningKeyFile.unusableNameWords(school)
                    .map { Message("verify.trust.codeReason", ["code": school], parts: ["reason": $0]) } ?? Message(verbatim: reason)
                problem(.signatureInvalid, subject, Message("verify.trust.invalidCode", parts: ["reason": words]))
            case .missing(let path):
                problem(.signatureInvalid, subject, Message("verify.trust.missing", ["school": school, "path": path]))
            case .unusable(let path, let reason):
                // The lookup's reason in words: the key file's error, read again (a few bytes, on this failure only).
                var words = Message(verbatim: reason)
                do { _ = try SigningKeyFile.loadPublicKey(path) } catch let error as ZizhuError { words = error.messageWords } catch {}
                problem(.signatureInvalid, subject, Message("verify.trust.unusable", ["school": school, "path": path], parts: ["reason": words]))
            case .key(let trusted, let path):
                guard let signature = declaration.signature,
                      let signer = try? PublicSigningKey(base64: signature.publicKey) else { return }
                if signer != trusted {
                    problem(.signatureInvalid, subject,
                            Message("verify.trust.otherKey", ["signer": signer.keyId, "school": school, "trusted": trusted.keyId, "path": path]))
                } else if case .verifies = result.signature {
                    result.trustedKey = trusted
                }
            }
        }
    }
}
