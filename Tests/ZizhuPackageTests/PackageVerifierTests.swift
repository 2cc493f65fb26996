import Foundation
import Testing
import ZizhuCore
import ZizhuIO
@testable import ZizhuPackage
import ZizhuTestSupport

@Suite struct PackageVerifierTests {
    @Test func aFreshPackagePassesSignedOrNotWithOrWithoutTrust() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let key = try fixedKey(11)
        let trust = try trustFolder(in: scratch, key: key)
        let unsigned = try writeSamplePackage(scratch, name: "unsigned.zip")
        let signed = try writeSamplePackage(scratch, key: key, name: "signed.zip")

        let plain = try PackageVerifier.verify(path: unsigned)
        #expect(plain.problems == [])
        #expect(plain.signature == .unsigned)
        #expect(plain.counts == sampleCounts)
        #expect(plain.roster == sampleRoster)
        #expect(plain.applications == sampleApplications)
        #expect(plain.manifest?.schoolCode == "3701J001")
        #expect(plain.fingerprint == plain.declaration?.fingerprint)

        let keyId = try key.publicKey.keyId
        for result in [try PackageVerifier.verify(path: signed), try PackageVerifier.verify(path: signed, trust: trust)] {
            #expect(result.problems == [])
            #expect(result.signature == .verifies(keyId: keyId))
        }
        let trusted = try PackageVerifier.verify(path: signed, trust: trust)
        #expect(trusted.trustedKey == (try key.publicKey))
        let lines = trusted.reportLines(.en)
        #expect(lines[0] == "OK signed.zip: 3701J001 济南交通技工学校, 2023-fall (2023年秋季学期)")
        #expect(lines[1] == "  counts: roster 4 rows, applications 6 rows; full-time enrolled 2; applications not 退回: 免学费 1, 国家助学金 3; grant tiers: 一档 1, 二档 1, 未定档 1; grant amount 3000.00")
        #expect(lines[2] == "  fingerprint: \(trusted.fingerprint ?? "")")
        #expect(lines[3] == "  signature: key \(keyId), verifies, the trusted key of 3701J001")

        // The same package from memory (an entry of a city archive).
        let inMemory = PackageVerifier.verify(bytes: try readBytes(signed), name: "city.zip!3701J001_2023-fall.zip", trust: trust)
        #expect(inMemory.problems == [])
        #expect(inMemory.source == "city.zip!3701J001_2023-fall.zip")
    }

    @Test func oneChangedByteOfADataFileIsM02NamingTheFile() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try writeSamplePackage(scratch)
        let original = try PackageBuilder.build(sampleInput()).manifest.files[1]
        var changed = ""
        try rezip(path) { entries in
            // The gzip header's OS byte: the data still reads, only its bytes differ.
            try entries.update(PackageFormat.applicationsEntry) { bytes in
                bytes[9] = 3
                changed = PackageBuilder.sha256(bytes)
            }
        }
        let result = try PackageVerifier.verify(path: path)
        #expect(result.lines(.packageIntegrity) == [
            "M02 applications.csv.gz: sha256 differs from the manifest: manifest \(original.sha256), actual \(changed)",
        ])
        #expect(result.lines(.declarationMismatch).count == 1)
        #expect(result.lines(.declarationMismatch).first?.hasPrefix("M04 declaration fingerprint: declared ") == true)
        #expect(result.hasIntegrityProblem)
    }

    @Test func dataFilesThatDoNotMatchTheManifestInSizeRowsOrGzipAreM02() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try writeSamplePackage(scratch)
        let shorter = Array(sampleRoster[0..<(sampleRoster.count - "S004,赵六,370102200504041234,全日制,休学,电工\n".utf8.count)])
        try rezip(path) { entries in
            try entries.update(PackageFormat.rosterEntry) { $0 = try Gzip.compress(shorter) }
            try entries.update(PackageFormat.applicationsEntry) { $0 = Array($0[0..<($0.count - 10)]) }
        }
        let result = try PackageVerifier.verify(path: path)
        let m02 = result.lines(.packageIntegrity)
        #expect(m02.contains { $0.hasPrefix("M02 roster.csv.gz: sha256 differs from the manifest") })
        #expect(m02.contains { $0.hasPrefix("M02 roster.csv.gz: size differs from the manifest: manifest ") })
        #expect(m02.contains("M02 roster.csv.gz: rows differ from the manifest: manifest 4, actual 3"))
        #expect(m02.contains { $0.hasPrefix("M02 applications.csv.gz: is not readable gzip: the gzip data ends in the middle of a member") },
                "\(m02)")
        #expect(result.applications == nil)
        #expect(result.counts == nil, "counts need both files")
    }

    @Test func anEditedDeclarationCountIsM04NamingTheCount() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try writeSamplePackage(scratch)
        try rezip(path) { entries in
            try entries.updateJSON(PackageFormat.declarationEntry, as: Declaration.self) { declaration in
                declaration.counts.fullTimeEnrolled = 3
                declaration.counts.applicationsByAidType["免学费"] = nil
                declaration.counts.grantApplicationsByTier["三档"] = 1
                declaration.counts.grantAmount = "3750.00"
            }
        }
        let result = try PackageVerifier.verify(path: path)
        #expect(result.problems.map(\.description) == [
            "M04 declaration count full_time_enrolled: declared 3, data 2",
            "M04 declaration count applications_by_aid_type[免学费]: declared 0, data 1",
            "M04 declaration count grant_applications_by_tier[三档]: declared 1, data 0",
            "M04 declaration count grant_amount: declared 3750.00, data 3000.00",
        ])
        #expect(!result.hasIntegrityProblem, "a lying declaration is M04, the data files are intact")
        // The printed lines: English with --lang en, Chinese by default (issue 15); codes and field names stay.
        #expect(result.reportLines(.en) == result.problems.map(\.description))
        #expect(result.reportLines() == [
            "M04 申报表计数 full_time_enrolled：申报表为 3，数据为 2",
            "M04 申报表计数 applications_by_aid_type[免学费]：申报表为 0，数据为 1",
            "M04 申报表计数 grant_applications_by_tier[三档]：申报表为 1，数据为 0",
            "M04 申报表计数 grant_amount：申报表为 3750.00，数据为 3000.00",
        ])
    }

    @Test func aManifestMadeToMatchTamperedDataLeavesTheFingerprintM04() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try writeSamplePackage(scratch)
        // Someone adds a grant application and fixes the manifest, but cannot re-sign or re-declare.
        let extra = Array("2023-fall,S002,李四,37010220050202123X,国家助学金,一档,1250.00,已审批\n".utf8)
        let tampered = try Gzip.compress(sampleApplications + extra)
        try rezip(path) { entries in
            try entries.update(PackageFormat.applicationsEntry) { $0 = tampered }
            try entries.updateJSON(PackageFormat.manifestEntry, as: PackageManifest.self) { manifest in
                manifest.files[1].sha256 = PackageBuilder.sha256(tampered)
                manifest.files[1].bytes = tampered.count
                manifest.files[1].rows = 7
            }
        }
        let result = try PackageVerifier.verify(path: path)
        #expect(result.lines(.packageIntegrity) == [], "the manifest agrees with the data")
        let m04 = result.lines(.declarationMismatch)
        let declared = try PackageBuilder.build(sampleInput()).declaration.fingerprint
        #expect(m04.first == "M04 declaration fingerprint: declared \(declared), data \(result.fingerprint ?? "")")
        #expect(m04.contains("M04 declaration count application_rows: declared 6, data 7"))
        #expect(m04.contains("M04 declaration count grant_amount: declared 3000.00, data 4250.00"))
    }

    @Test func signatureProblemsAreM06WithATrustFolder() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let schoolKey = try fixedKey(21)
        let otherKey = try fixedKey(22)
        let trust = try trustFolder(in: scratch, key: schoolKey)
        let subject = "M06 declaration signature: "

        // A flipped signature byte.
        let flipped = try writeSamplePackage(scratch, key: schoolKey, name: "flipped.zip")
        try rezip(flipped) { entries in
            try entries.updateJSON(PackageFormat.declarationEntry, as: Declaration.self) { declaration in
                guard var signature = declaration.signature, var value = Data(base64Encoded: signature.value) else { return }
                value[10] ^= 0x01
                signature.value = value.base64EncodedString()
                declaration.signature = signature
            }
        }
        let flippedResult = try PackageVerifier.verify(path: flipped, trust: trust)
        let schoolId = try schoolKey.publicKey.keyId
        #expect(flippedResult.problems.map(\.description) == [
            subject + "the signature by key \(schoolId) does not verify: the declaration was changed after signing, or the signature is damaged",
        ])
        let untrusted = try PackageVerifier.verify(path: flipped)
        #expect(untrusted.problems == flippedResult.problems, "a signature that is there must verify, --trust or not")

        // Signed, validly, by another key than the school's trusted one.
        let other = try writeSamplePackage(scratch, key: otherKey, name: "other.zip")
        let otherId = try otherKey.publicKey.keyId
        #expect(try PackageVerifier.verify(path: other, trust: trust).problems.map(\.description) == [
            subject + "signed with key \(otherId), not with school 3701J001's trusted key \(schoolId) (\(trust.folder)/3701J001.pub)",
        ])

        // Unsigned.
        let unsigned = try writeSamplePackage(scratch, name: "unsigned.zip")
        #expect(try PackageVerifier.verify(path: unsigned, trust: trust).problems.map(\.description) == [
            subject + "the declaration is unsigned; with --trust every package must carry its principal's signature",
        ])

        // Signed by the right kind of key, for a school the trust folder does not know.
        let stranger = try writeSamplePackage(scratch, key: schoolKey, input: sampleInput(schoolCode: "3702J009"), name: "stranger.zip")
        #expect(try PackageVerifier.verify(path: stranger, trust: trust).problems.map(\.description) == [
            subject + "no trusted key for school 3702J009: \(trust.folder)/3702J009.pub does not exist",
        ])
    }

    @Test func aPresentSignatureThatDoesNotVerifyIsM06WithoutATrustFolder() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let key = try fixedKey(41)
        let keyId = try key.publicKey.keyId
        let otherKey = try fixedKey(42)
        let other = try otherKey.publicKey
        let subject = "M06 declaration signature: "
        func broken(_ name: String, _ change: (inout Declaration.Signature) throws -> Void) throws -> [String] {
            let path = try writeSamplePackage(scratch, key: key, name: name)
            try rezip(path) { entries in
                try entries.updateJSON(PackageFormat.declarationEntry, as: Declaration.self) { declaration in
                    guard var signature = declaration.signature else { return }
                    try change(&signature)
                    declaration.signature = signature
                }
            }
            return try PackageVerifier.verify(path: path).problems.map(\.description)
        }
        // Bad bytes: one bit of the value flipped.
        #expect(try broken("bytes.zip") { signature in
            var value = Data(base64Encoded: signature.value) ?? Data()
            value[0] ^= 0x80
            signature.value = value.base64EncodedString()
        } == [subject + "the signature by key \(keyId) does not verify: the declaration was changed after signing, or the signature is damaged"])
        // The wrong key: another key (named by its own id) carried beside this key's signature.
        #expect(try broken("key.zip") { signature in
            signature.publicKey = other.base64
            signature.keyId = other.keyId
        } == [subject + "the signature by key \(other.keyId) does not verify: the declaration was changed after signing, or the signature is damaged"])
        // Malformed: a value that is not 64 bytes, a key that is not a key, a key_id for another key, another algorithm.
        #expect(try broken("short.zip") { $0.value = "AAAA" } == [subject + "the signature value is not 64 bytes in base64"])
        #expect(try broken("nokey.zip") { $0.publicKey = "not a key" } == [subject + "public_key is not a 32-byte Ed25519 key in base64"])
        #expect(try broken("keyid.zip") { $0.keyId = "0000000000000000" }.first?.hasPrefix(subject + "key_id 0000000000000000 does not name") == true)
        #expect(try broken("algorithm.zip") { $0.algorithm = "RSA" } == [subject + "the algorithm is \"RSA\"; only Ed25519 is accepted"])

        // Near-misses: without a trust folder an absent signature, and a sound one by any key, pass.
        let unsigned = try writeSamplePackage(scratch, name: "unsigned.zip")
        #expect(try PackageVerifier.verify(path: unsigned).problems == [])
        let sound = try writeSamplePackage(scratch, key: otherKey, name: "sound.zip")
        let soundResult = try PackageVerifier.verify(path: sound)
        #expect(soundResult.problems == [])
        #expect(soundResult.reportLines(.en).last == "  signature: key \(other.keyId), verifies (no --trust given: the key is not checked against a trusted one)")
    }

    @Test func aSignedDeclarationEditedAfterSigningFailsBothM04AndM06() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let key = try fixedKey(31)
        let trust = try trustFolder(in: scratch, key: key)
        let path = try writeSamplePackage(scratch, key: key)
        try rezip(path) { entries in
            try entries.updateJSON(PackageFormat.declarationEntry, as: Declaration.self) { $0.counts.rosterRows = 5 }
        }
        let result = try PackageVerifier.verify(path: path, trust: trust)
        #expect(result.problems.map(\.code) == [.declarationMismatch, .signatureInvalid])
        #expect(result.problems[0].description == "M04 declaration count roster_rows: declared 5, data 4")
        // Without a trust folder the signature still does not verify over the edited text.
        #expect(try PackageVerifier.verify(path: path).problems.map(\.code) == [.declarationMismatch, .signatureInvalid])
    }

    @Test func aHostileSchoolCodeIsNeverUsedAsAPath() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let key = try fixedKey(41)
        let trust = try trustFolder(in: scratch, key: key)
        // A key file exists where `../trust/3701J001` would lead: it must not be found that way.
        let path = try writeSamplePackage(scratch, key: key, input: sampleInput(schoolCode: "../trust/3701J001"))
        let result = try PackageVerifier.verify(path: path, trust: trust)
        #expect(result.lines(.signatureInvalid) == [
            "M06 declaration signature: no trusted key can be looked up: school code \"../trust/3701J001\" contains a path separator",
        ])
        #expect(result.trustedKey == nil)
    }

    @Test func schoolOrTermThatDisagreesWithTheManifestIsM04() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try writeSamplePackage(scratch)
        try rezip(path) { entries in
            try entries.updateJSON(PackageFormat.manifestEntry, as: PackageManifest.self) { manifest in
                manifest.schoolCode = "3701J002"
                manifest.term = "2024-spring"
            }
        }
        #expect(try PackageVerifier.verify(path: path).problems.map(\.description) == [
            "M04 declaration school_code: declared 3701J001, manifest 3701J002",
            "M04 declaration term: declared 2023-fall, manifest 2024-spring",
        ])
    }

    @Test func missingExtraAndUnreadableEntriesAreListedEach() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try writeSamplePackage(scratch)
        try rezip(path) { entries in
            entries.removeAll { $0.name == PackageFormat.rosterEntry }
            entries.append(ZipEntryData(name: "notes.txt", bytes: Array("hi".utf8)))
            try entries.update(PackageFormat.manifestEntry) { $0 = Array("{\"format\": 1}".utf8) }
            try entries.update(PackageFormat.declarationEntry) { $0 = Array("not json".utf8) }
        }
        let result = try PackageVerifier.verify(path: path, trust: try trustFolder(in: scratch, key: try fixedKey(1)))
        #expect(result.problems.map(\.description) == [
            "M02 notes.txt: unexpected entry: a package holds only roster.csv.gz, applications.csv.gz, manifest.json, declaration.json",
            "M02 roster.csv.gz: missing from the package",
            "M02 manifest.json: is not a valid manifest: field format is not a string",
            "M04 declaration.json: is not a valid declaration: it is not JSON",
            "M06 declaration signature: cannot be checked: the declaration could not be read",
        ])
        #expect(result.applications == sampleApplications, "what could be read is still given")
    }

    @Test func aManifestMissingAFieldNamesIt() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try writeSamplePackage(scratch)
        try rezip(path) { entries in
            try entries.update(PackageFormat.manifestEntry) { bytes in
                let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"generated_at\"", with: "\"made_at\"")
                bytes = Array(text.utf8)
            }
        }
        #expect(try PackageVerifier.verify(path: path).problems.map(\.description) == [
            "M02 manifest.json: is not a valid manifest: field generated_at is missing",
        ])
    }

    @Test func anOversizedJSONEntryIsNotRead() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try writeSamplePackage(scratch)
        try rezip(path) { entries in
            try entries.update(PackageFormat.declarationEntry) { $0 = [UInt8](repeating: 0x20, count: (1 << 20) + 1) }
        }
        #expect(try PackageVerifier.verify(path: path).problems.map(\.description) == [
            "M04 declaration.json: is 1048577 bytes, more than the 1048576 a package's JSON file may be",
        ])
    }

    @Test func aZipWithADotDotEntryOrCutShortIsM02WithAClearReason() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try writeSamplePackage(scratch)
        var entries = try zipEntries(path)
        entries.append(ZipEntryData(name: "xx/evil.csv", bytes: Array("x".utf8)))
        try ZipWriter.write(entries: entries, to: path)
        let evil = ZipArchiveTests.patchName(try readBytes(path), "xx/evil.csv", "../evil.csv")
        let evilResult = PackageVerifier.verify(bytes: evil, name: "evil.zip")
        #expect(evilResult.problems.map(\.description) == [
            "M02 package: entry \"../evil.csv\" climbs out of the archive with `..`; the archive is refused",
        ])
        #expect(evilResult.roster == nil)

        let good = try readBytes(try writeSamplePackage(scratch, name: "good.zip"))
        for length in [0, 100, good.count / 2, good.count - 5] {
            let cut = try scratch.write("cut.zip", Array(good[0..<length]))
            let result = try PackageVerifier.verify(path: cut)
            #expect(result.problems.count == 1, "cut to \(length)")
            #expect(result.problems.first?.code == .packageIntegrity)
            #expect(result.problems.first?.description.hasPrefix("M02 package: not a readable zip archive: ") == true)
        }
        // Damage inside an entry's compressed data (the directory intact): that entry cannot be read.
        var damaged = good
        damaged[45] ^= 0xFF
        let damagedResult = PackageVerifier.verify(bytes: damaged, name: "damaged.zip")
        #expect(damagedResult.lines(.packageIntegrity).first?.hasPrefix("M02 roster.csv.gz: cannot be read: ") == true,
                "\(damagedResult.problems)")
    }

    @Test func aPackageFileThatCannotBeOpenedIsThrownNotReported() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let thrown = #expect(throws: ZizhuError.self) { _ = try PackageVerifier.verify(path: scratch.file("nothing.zip")) }
        #expect(thrown?.code == .ioFailure)
        let thrown2 = #expect(throws: ZizhuError.self) { _ = try PackageVerifier.verify(path: scratch.path) }
        #expect(thrown2?.code == .ioFailure)
        let notZip = try scratch.write("text.zip", Array("hello".utf8))
        #expect(try PackageVerifier.verify(path: notZip).problems.first?.code == .packageIntegrity)
    }

    @Test func randomDamageNeverCrashes() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let good = try readBytes(try writeSamplePackage(scratch, key: try fixedKey(2)))
        let trust = try trustFolder(in: scratch, key: try fixedKey(2))
        let original = try PackageBuilder.build(sampleInput(), signingKey: try fixedKey(2)).declaration
        var generator = DamageSequence(seed: 42)
        var passed = 0
        for round in 0..<300 {
            var bytes = good
            for _ in 0..<(1 + round % 4) {
                let at = Int(generator.next() % UInt64(bytes.count))
                bytes[at] = UInt8(truncatingIfNeeded: generator.next())
            }
            let result = PackageVerifier.verify(bytes: bytes, name: "r\(round).zip", trust: trust)
            if result.isValid {
                // The damage landed in bytes nobody reads (a header's version or time): the
                // package must then still say exactly what was signed.
                #expect(result.roster == sampleRoster)
                #expect(result.applications == sampleApplications)
                #expect(result.declaration == original)
                passed += 1
            } else {
                #expect(result.problems.allSatisfy { !$0.reason.isEmpty })
            }
        }
        #expect(passed < 60, "most damage is caught (\(passed) of 300 rounds passed)")
    }
}

/// A small deterministic generator for damage tests (Knuth's MMIX linear congruential step).
struct DamageSequence {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 17
    }
}
