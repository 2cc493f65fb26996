import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ZizhuCore
import ZizhuIO
@testable import ZizhuJobs
@testable import ZizhuPackage
import ZizhuTestSupport

/// Damaged, tampered and hostile inputs: each quarantined whole with its reason, the rest merged;
/// and the merge's independence of the order of its inputs.
@Suite struct MergeHostileTests {
    private let schoolA = SchoolData(school: "3701J001", roster: [["A1", "王一", wang, "全日制", "转学"], ["A2", "李二", li, "全日制", "在籍"]])
    private let schoolB = SchoolData(school: "3702J001", city: "370200", roster: [["B1", "王一", wang, "全日制", "在籍"]])

    @Test func aHostileEntryOfACityArchiveIsRefusedAloneAndTheArchivesOtherPackagesMerge() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try readBytes(try schoolA.write(scratch))
        let b = try schoolB.write(scratch)
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let city = try writeCityArchive(scratch, "370100.zip", [
            ("3701J001_2023-fall.zip", a), ("xx/evil.zip", a), ("yy/evil.zip", a),
            ("3703J001_2023-fall.zip", zeros), ("3704J001_2023-fall.zip", Array("not a zip".utf8)),
        ])
        try scratch.write("370100.zip", patchName(patchName(try readBytes(city), "xx/evil.zip", "../evil.zip"), "yy/evil.zip", "/x/evil.zip"))
        let expected = [ExpectedSchool(code: "3701J001"), ExpectedSchool(code: "3702J001")]
        let settings = MergeSettings(term: "2023-fall", expected: expected, maximumPackageBytes: 1 << 20)
        let out = try runMerge([city, b], in: scratch, settings: settings)
        #expect(out.codes == ["M02", "M02", "M02", "M02"], "no M03: the archive's good package is merged")
        let m02 = out.findings("M02").sorted { $0.sources[0] < $1.sources[0] }
        #expect(m02.map(\.sources) == [["\(city)!../evil.zip"], ["\(city)!/x/evil.zip"],
                                      ["\(city)!3703J001_2023-fall.zip"], ["\(city)!3704J001_2023-fall.zip"]])
        #expect(m02[0].detail == "package: entry \"../evil.zip\" climbs out of the archive with `..`; the entry is refused unopened")
        #expect(m02[1].detail == "package: entry \"/x/evil.zip\" is an absolute path; the entry is refused unopened")
        #expect(m02[2].detail == "package: is 4194304 bytes, more than the 1048576 a package may be")
        #expect(m02[3].detail.hasPrefix("package: not a readable zip archive"), "\(m02[3].detail)")
        #expect(m02.allSatisfy { $0.actual == "quarantined: nothing of the package merged" })
        #expect(out.roster.cells("student_no") == ["A1", "A2", "B1"], "the archive's good package is merged")
        #expect(out.package("370100.zip!3701J001_2023-fall.zip")?.status == .merged)
        #expect(out.result.totals.packagesQuarantined == 4)

        // The same entry inside a package: that package alone is quarantined.
        let source = try schoolA.write(scratch, name: "evil-src.zip")
        try rezip(source) { $0.append(ZipEntryData(name: "xx/evil.csv", bytes: Array("x".utf8))) }
        try scratch.write("3701J001_2023-fall.zip", patchName(try readBytes(source), "xx/evil.csv", "../evil.csv"))
        let single = try runMerge([scratch.file("3701J001_2023-fall.zip"), b], in: scratch, tag: "single")
        #expect(single.codes == ["M02"])
        #expect(single.findings("M02").first?.schoolCode == "3701J001")
        #expect(single.roster.cells("student_no") == ["B1"])
    }

    @Test func zipBombsAreStoppedAtTheCaps() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let b = try schoolB.write(scratch)
        let zeros = [UInt8](repeating: 0, count: 16 << 20)
        // A package whose roster.csv.gz inflates far past the entry cap.
        let bomb = try schoolA.write(scratch)
        let gzipBomb = try Gzip.compress(zeros, level: 9)
        try rezip(bomb) { entries in
            try entries.update(PackageFormat.rosterEntry) { $0 = gzipBomb }
        }
        // A city archive whose "package" is 16 MiB of zeros.
        let city = try writeCityArchive(scratch, "370300.zip", [("3703J001_2023-fall.zip", zeros)])
        let settings = MergeSettings(term: "2023-fall", limits: ArchiveLimits(maxEntryBytes: 4 << 20), maximumPackageBytes: 1 << 20)
        let out = try runMerge([bomb, city, b], in: scratch, settings: settings)
        // The bomb package's new roster also breaks its declaration's fingerprint: M04 beside its M02.
        #expect(out.codes == ["M02", "M02", "M04"])
        let byName = Dictionary(uniqueKeysWithValues: out.findings("M02").map { ($0.sources[0], $0.detail) })
        #expect(byName["\(city)!3703J001_2023-fall.zip"] == "package: is 16777216 bytes, more than the 1048576 a package may be")
        let bombReasons = try #require(byName[bomb])
        #expect(bombReasons.contains("roster.csv.gz: is not readable gzip: "), "\(bombReasons)")
        #expect(out.roster.cells("student_no") == ["B1"])
    }

    @Test func aTruncatedPackageOrCityArchiveIsM02() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try schoolA.write(scratch)
        let b = try schoolB.write(scratch)
        let bytes = try readBytes(a)
        try scratch.write("3701J001_2023-fall.zip", Array(bytes[0..<(bytes.count - 30)]))
        let city = try writeCityArchive(scratch, "370200.zip", [("3702J001_2023-fall.zip", try readBytes(b))])
        let cityBytes = try readBytes(city)
        try scratch.write("370200.zip", Array(cityBytes[0..<(cityBytes.count / 2)]))
        let out = try runMerge([a, city], in: scratch)
        #expect(out.codes == ["M02", "M02"])
        #expect(Set(out.findings("M02").map { $0.sources[0] }) == [a, city])
        #expect(out.findings("M02").allSatisfy { $0.detail.hasPrefix("package: not a readable zip archive: ") }, "\(out.result.findings)")
        #expect(out.roster.rows.isEmpty && out.applications.rows.isEmpty)
        #expect(out.roster.header == ["source_package"])
    }

    @Test func aManifestEditedToMatchTamperedDataLeavesTheDeclarationFingerprintM04() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try schoolA.write(scratch)
        let b = try schoolB.write(scratch)
        // 转学 → 在籍 in the roster: merged, it would make 王一 an M01 with school B.
        try rezip(a) { entries in
            var newGzip: [UInt8] = []
            try entries.update(PackageFormat.rosterEntry) { stored in
                let csv = String(decoding: try Gzip.decompress(stored), as: UTF8.self).replacingOccurrences(of: "转学", with: "在籍")
                stored = try Gzip.compress(Array(csv.utf8))
                newGzip = stored
            }
            try entries.updateJSON(PackageFormat.manifestEntry, as: PackageManifest.self) { manifest in
                manifest.files[0].sha256 = PackageBuilder.sha256(newGzip)
                manifest.files[0].bytes = newGzip.count
            }
        }
        let out = try runMerge([a, b], in: scratch)
        #expect(out.codes == ["M04"], "the manifest matches the data, so no M02; no M01 from a quarantined package")
        let m04 = try #require(out.findings("M04").first)
        #expect(m04.schoolCode == "3701J001")
        #expect(m04.detail.hasPrefix("declaration fingerprint: declared "))
        #expect(m04.detail.contains("declaration count full_time_enrolled: declared 1, data 2"))
        #expect(out.package("3701J001_2023-fall.zip")?.status == .quarantined)
        #expect(out.package("3701J001_2023-fall.zip")?.problems.first?.hasPrefix("M04 declaration fingerprint: declared ") == true)
        #expect(out.roster.cells("student_no") == ["B1"])
    }

    @Test func withATrustFolderAnUnsignedOrStrangelySignedPackageIsM06() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let key = try fixedKey(7)
        let trust = try trustFolder(in: scratch, school: "3701J001", key: key)
        let folder = scratch.file("trust")
        let otherKey = try fixedKey(8)
        let text = SigningKeyFile.text(tag: SigningKeyFile.publicTag, raw: try otherKey.publicKey.rawRepresentation)
        try Data(text).write(to: URL(fileURLWithPath: folder + "/3702J001.pub"))
        let signed = try schoolA.write(scratch, key: key)
        let unsigned = try schoolB.write(scratch)
        let settings = MergeSettings(term: "2023-fall", trust: trust)
        let out = try runMerge([signed, unsigned], in: scratch, settings: settings)
        #expect(out.codes == ["M06"])
        #expect(out.findings("M06").first?.schoolCode == "3702J001")
        #expect(out.findings("M06").first?.detail.contains("the declaration is unsigned") == true)
        #expect(out.package("3701J001_2023-fall.zip")?.signedBy == (try key.publicKey.keyId))
        #expect(out.roster.cells("student_no") == ["A1", "A2"])

        let wrongKey = try schoolB.write(scratch, name: "wrong/3702J001_2023-fall.zip", key: key)
        let wrong = try runMerge([wrongKey], in: scratch, settings: settings, tag: "wrong")
        #expect(wrong.findings("M06").first?.detail.contains("not with school 3702J001's trusted key") == true)
        // Without a trust folder an unsigned package merges.
        #expect(try runMerge([signed, unsigned], in: scratch, tag: "plain").result.findings.isEmpty)
    }

    @Test func anEntryOfACityArchiveWhoseDataOverlapsAnothersIsRefusedAlone() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try readBytes(try schoolA.write(scratch))
        let b = try readBytes(try schoolB.write(scratch))
        let city = try writeCityArchive(scratch, "370100.zip", [("3701J001_2023-fall.zip", a), ("3702J001_2023-fall.zip", b)])
        // Point the second central directory record at the first entry's local header: both
        // entries then share one stream of compressed data, as in a non-recursive zip bomb.
        var bytes = try readBytes(city)
        let signature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        let records = (0...(bytes.count - 4)).filter { Array(bytes[$0..<($0 + 4)]) == signature }
        try #require(records.count == 2)
        for k in 0..<4 { bytes[records[1] + 42 + k] = bytes[records[0] + 42 + k] }
        try scratch.write("370100.zip", bytes)
        #expect(throws: ZizhuError.self, "an archive of data files is still refused whole") { _ = try ZipArchive(path: city) }
        let out = try runMerge([city], in: scratch)
        #expect(out.codes == ["M02"])
        let m02 = try #require(out.findings("M02").first)
        #expect(m02.sources == ["\(city)!3702J001_2023-fall.zip"])
        #expect(m02.detail.contains("overlaps entry \"3701J001_2023-fall.zip\""), "\(m02.detail)")
        #expect(out.roster.cells("student_no") == ["A1", "A2"])
    }

    @Test func twoEntriesWithOneNameInACityArchiveAreBothReadSoAConflictingResendIsM05() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let first = try readBytes(try schoolA.write(scratch, name: "src/first.zip"))
        var resent = schoolA
        resent.generatedAt = "2023-11-02T09:00:00+08:00"
        resent.roster.append(["A3", "赵三", zhao, "全日制", "在籍"])
        let second = try readBytes(try resent.write(scratch, name: "src/second.zip"))
        let name = "3701J001_2023-fall.zip"
        // A zip writer refuses a name twice: write another name, then give it the first one's.
        let other = "3701J001_2023-fxll.zip"
        let city = try writeCityArchive(scratch, "370100.zip", [(name, first), (other, second)])
        try scratch.write("370100.zip", patchName(try readBytes(city), other, name))
        #expect(try ZipArchive(path: city).entries.filter { $0.name == name }.count == 2, "the archive really holds the name twice")
        let out = try runMerge([city], in: scratch)
        #expect(out.codes == ["M05"])
        #expect(out.result.packages.map(\.name) == ["\(city)!\(name)", "\(city)!\(name)#2"])
        #expect(out.package("!\(name)#2")?.status == .merged, "the later package is merged")
        #expect(out.package("!\(name)")?.status == .superseded)
        #expect(out.roster.cells("student_no") == ["A1", "A2", "A3"])
        #expect(out.result.notes.contains { $0.contains("2 entries named \(name)") }, "\(out.result.notes)")

        // The same package twice under one name is an identical resend: no finding.
        let twice = try writeCityArchive(scratch, "twice.zip", [(name, first), (other, first)])
        try scratch.write("twice.zip", patchName(try readBytes(twice), other, name))
        let same = try runMerge([twice], in: scratch, tag: "same")
        #expect(same.codes == [])
        #expect(same.result.packages.map(\.status) == [.merged, .identicalResend])
    }

    @Test func aFIFONamedLikeAPackageInAMergeFolderIsSkippedNotOpened() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try FileManager.default.createDirectory(atPath: scratch.file("in"), withIntermediateDirectories: true)
        try schoolB.write(scratch, name: "in/3702J001_2023-fall.zip")
        let fifo = scratch.file("in/x.zip")
        try #require(mkfifo(fifo, 0o600) == 0)
        // Opening the FIFO for reading would wait for a writer for ever: it must not be opened.
        let out = try runMerge([scratch.file("in")], in: scratch)
        #expect(out.codes == [])
        #expect(out.roster.cells("student_no") == ["B1"])
        #expect(out.result.notes.contains("\(fifo): skipped: not a regular file"), "\(out.result.notes)")
        // Given by name, it is an input that cannot be read (exit 3), still without waiting.
        let error = #expect(throws: ZizhuError.self) { _ = try runMerge([fifo], in: scratch, tag: "named") }
        #expect(error?.code == .ioFailure)
    }

    @Test func aBrokenSignatureIsM06WithoutTrustKeysAndASoundOneMerges() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let key = try fixedKey(9)
        let broken = try schoolA.write(scratch, key: key)
        try rezip(broken) { entries in
            try entries.updateJSON(PackageFormat.declarationEntry, as: Declaration.self) { declaration in
                guard var signature = declaration.signature, var value = Data(base64Encoded: signature.value) else { return }
                value[5] ^= 0x04
                signature.value = value.base64EncodedString()
                declaration.signature = signature
            }
        }
        let sound = try schoolB.write(scratch, key: try fixedKey(10))
        let out = try runMerge([broken, sound], in: scratch)
        #expect(out.codes == ["M06"])
        let m06 = try #require(out.findings("M06").first)
        #expect(m06.schoolCode == "3701J001")
        #expect(m06.detail.contains("does not verify"), "\(m06.detail)")
        #expect(out.package("3701J001_2023-fall.zip")?.status == .quarantined)
        #expect(out.roster.cells("student_no") == ["B1"], "the sound signature, checked against the key it carries, merges")
    }

    @Test func aCityArchiveInsideACityArchiveIsRefused() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try readBytes(try schoolA.write(scratch))
        let inner = try writeCityArchive(scratch, "inner.zip", [("3701J001_2023-fall.zip", a)])
        let outer = try writeCityArchive(scratch, "province.zip", [("370100.zip", try readBytes(inner))])
        let out = try runMerge([outer], in: scratch)
        #expect(out.codes == ["M02"])
        let m02 = try #require(out.findings("M02").first)
        #expect(m02.sources == ["\(outer)!370100.zip"])
        #expect(m02.detail.contains("archives nest one level deep only"))
        #expect(out.roster.rows.isEmpty)
    }

    @Test func theMergeIsTheSameWhateverTheOrderOfItsInputs() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let a = try readBytes(try schoolA.write(scratch, name: "src/a.zip"))
        let b = try readBytes(try schoolB.write(scratch, name: "src/b.zip"))
        var resent = schoolB
        resent.generatedAt = "2023-11-01T09:00:00+08:00"
        try SchoolData(school: "3703J001", city: "370300", roster: [["C1", "赵三", zhao, "全日制", "在籍"], ["C2", "王一", wang, "全日制", "复学"]],
                               applications: [["C1", "赵三", zhao, "国家助学金", "二档", "1000.00", "已审批"]]).write(scratch, name: "folder/3703J001_2023-fall.zip")
        var newer = SchoolData(school: "3703J001", city: "370300", generatedAt: "2023-10-29T09:00:00+08:00", roster: [["C9", "孙四", sun, "全日制", "在籍"]])
        try newer.write(scratch, name: "folder/old/3703J001_2023-fall.zip")
        newer.school = "3704J001"
        let d = try newer.write(scratch, name: "3704J001_2023-fall.zip")
        let city1 = try writeCityArchive(scratch, "city1.zip", [("3701J001_2023-fall.zip", a), ("3702J001_2023-fall.zip", b)])
        let city2 = try writeCityArchive(scratch, "city2.zip", [("3702J001_2023-fall.zip", try readBytes(try resent.write(scratch, name: "src/b2.zip")))])
        let folder = scratch.file("folder")
        let orders = [[city1, city2, folder, d], [d, folder, city2, city1], [folder, city1, d, city2]]
        let expected = [ExpectedSchool(code: "3705J001", source: "schools.csv:2")]
        var outputs: [MergeRunOutput] = []
        for (i, order) in orders.enumerated() {
            outputs.append(try runMerge(order, in: scratch, settings: MergeSettings(term: "2023-fall", expected: expected), tag: "order\(i)"))
        }
        let first = try #require(outputs.first)
        #expect(first.codes == ["M01", "M03", "M05"])
        #expect(first.findings("M01").first?.sources.count == 2, "B1 在籍 and C2 复学; A1 转学 is no enrolment")
        for other in outputs.dropFirst() {
            #expect(other.rosterBytes == first.rosterBytes)
            #expect(other.applicationsBytes == first.applicationsBytes)
            #expect(other.result.findings == first.result.findings)
            #expect(other.result.packages == first.result.packages)
            #expect(other.result.cities == first.result.cities)
            #expect(other.result.notes == first.result.notes)
        }
        #expect(first.roster.cells("student_no") == ["A1", "A2", "B1", "C1", "C2", "C9"])
        #expect(first.result.cities.map(\.code) == ["370100", "370200", "370300", ""], "a school of unknown city last")
    }
}
