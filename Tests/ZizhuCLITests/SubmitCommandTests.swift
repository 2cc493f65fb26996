import Foundation
import Testing
import ZizhuIO
import ZizhuTestSupport

/// The repository's root (holding sample-data/), found from this file.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The sample's schools as (city, school) from its folder layout city/<city>/<school>/.
private func sampleSchools() throws -> [(city: String, school: String)] {
    let cities = root.appendingPathComponent("sample-data/city")
    var schools: [(String, String)] = []
    for city in try FileManager.default.contentsOfDirectory(atPath: cities.path).sorted() {
        for school in try FileManager.default.contentsOfDirectory(atPath: cities.appendingPathComponent(city).path).sorted() {
            schools.append((city, school))
        }
    }
    return schools
}

private func submit(city: String, school: String, out: URL, extra: [String] = [],
                    environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    let dir = root.appendingPathComponent("sample-data/city/\(city)/\(school)")
    return try CLI.runEnglish(["submit", "--term", "2023-fall", "--school-code", school, "--school-city", city,
                        "--roster", dir.appendingPathComponent("roster.csv").path,
                        "--applications", dir.appendingPathComponent("applications.csv").path,
                        "--out", out.path, "--quiet"] + extra, environment: environment)
}

private func scratch(_ tag: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-submit-\(tag)-\(UUID().uuidString)")
}

@Test func submitOnEachSampleSchoolFindsExactlyThePlantedSFindings() throws {
    let planted = try CSVTable.read(root.appendingPathComponent("sample-data/planted.csv"))
        .filter { ($0["code"] ?? "").range(of: #"^S\d\d$"#, options: .regularExpression) != nil }
    var codesSeen = Set<String>()
    let schools = try sampleSchools()
    #expect(schools.count >= 3)
    for (city, school) in schools {
        let out = scratch(school)
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try submit(city: city, school: school, out: out)
        let found = try CSVTable.read(out.appendingPathComponent("discrepancies.csv"))
        let expected = Set(planted.filter { $0["school_code"] == school }.map { "\($0["code"] ?? "") \($0["student_no"] ?? "")" })
        let actual = Set(found.map { "\($0["code"] ?? "") \($0["student_no"] ?? "")" })
        #expect(actual == expected, "\(school): missing \(expected.subtracting(actual).sorted()), unexpected \(actual.subtracting(expected).sorted())")
        codesSeen.formUnion(found.compactMap { $0["code"] })
        let errors = found.filter { $0["severity"] == "error" }.count
        let rejects = try CSVTable.read(out.appendingPathComponent("rejects.csv")).count
        let zip = out.appendingPathComponent("\(school)_2023-fall.zip")
        if errors == 0 && rejects == 0 {
            #expect(result.status == 0, "\(school): \(result.err)")
            #expect(FileManager.default.fileExists(atPath: zip.path), "\(school): the package is written")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("declaration.html").path))
            let verify = try CLI.runEnglish(["verify", zip.path])
            #expect(verify.status == 0, "\(school): \(verify.out) \(verify.err)")
        } else {
            #expect(result.status == 1)
            #expect(!FileManager.default.fileExists(atPath: zip.path), "\(school): no package while errors remain")
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("declaration.html").path))
        }
        for name in ["discrepancies.csv", "discrepancies.json", "rejects.csv", "summary.json", "report.html", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(school): \(name)")
        }
        #expect(found.allSatisfy { ($0["id_number"] ?? "").isEmpty || ($0["id_number"] ?? "").contains("********") },
                "ids are masked without --unmask")
    }
    #expect(codesSeen == Set((1...11).map { String(format: "S%02d", $0) }), "every S-code fires somewhere on the sample")
}

@Test func submitPackageIsByteIdenticalAcrossRunsAndSignedPackagesVerify() throws {
    let (city, school) = try #require(try sampleSchools().first)
    let keys = scratch("keys")
    let a = scratch("a"), b = scratch("b")
    defer { for url in [keys, a, b] { try? FileManager.default.removeItem(at: url) } }
    #expect(try CLI.runEnglish(["keys", "new", "--out", keys.path, "--name", school]).status == 0)
    let key = keys.appendingPathComponent("\(school).key").path
    // The declaration is checked in Chinese, the default language.
    let pinned = ["SOURCE_DATE_EPOCH": "1698627600", "ZIZHU_LANG": "zh"]
    #expect(try submit(city: city, school: school, out: a, extra: ["--sign-key", key], environment: pinned).status == 0)
    #expect(try submit(city: city, school: school, out: b, extra: ["--sign-key", key], environment: pinned).status == 0)
    let name = "\(school)_2023-fall.zip"
    let first = try Data(contentsOf: a.appendingPathComponent(name))
    #expect(first == (try Data(contentsOf: b.appendingPathComponent(name))), "same input, same package bytes")
    #expect(try Data(contentsOf: a.appendingPathComponent("declaration.html")) == Data(contentsOf: b.appendingPathComponent("declaration.html")))
    let trusted = try CLI.runEnglish(["verify", a.appendingPathComponent(name).path, "--trust", keys.path])
    #expect(trusted.status == 0, "\(trusted.out) \(trusted.err)")
    let html = try String(contentsOf: a.appendingPathComponent("declaration.html"), encoding: .utf8)
    #expect(html.contains("申报数据真实性声明") && html.contains("校长"))
}

@Test func submitNeedsATermASchoolAndReadableKeys() throws {
    let (city, school) = try #require(try sampleSchools().first)
    let out = scratch("usage")
    defer { try? FileManager.default.removeItem(at: out) }
    let dir = root.appendingPathComponent("sample-data/city/\(city)/\(school)")
    #expect(try CLI.runEnglish(["submit", "--term", "sometime", "--school-code", school, "--roster", dir.appendingPathComponent("roster.csv").path,
                         "--applications", dir.appendingPathComponent("applications.csv").path, "--out", out.path, "--quiet"]).status == 2)
    #expect(try CLI.runEnglish(["submit", "--term", "2023-fall", "--school-code", school,
                         "--roster", dir.appendingPathComponent("roster.csv").path, "--out", out.path, "--quiet"]).status == 2)
    #expect(try submit(city: city, school: school, out: out, extra: ["--sign-key", "/nonexistent/key"]).status != 0)
    #expect(!FileManager.default.fileExists(atPath: out.path), "a failed run leaves no output")
}

/// Rewrites one entry of a package zip, keeping the others byte for byte.
private func rewrite(_ zip: URL, entry name: String, to target: URL, _ change: ([UInt8]) -> [UInt8]) throws {
    let archive = try ZipArchive(path: zip.path)
    var entries: [ZipEntryData] = []
    for info in archive.entries {
        let bytes = try archive.read(info)
        entries.append(ZipEntryData(name: info.name, bytes: info.name == name ? change(bytes) : bytes))
    }
    try ZipWriter.write(entries: entries, to: target.path)
}

@Test func verifySaysWhatATamperedPackageGotWrong() throws {
    let (city, school) = try #require(try sampleSchools().first)
    let out = scratch("tamper")
    defer { try? FileManager.default.removeItem(at: out) }
    #expect(try submit(city: city, school: school, out: out).status == 0)
    let zip = out.appendingPathComponent("\(school)_2023-fall.zip")

    // A count in the declaration raised by one: M04 naming the count.
    let counted = out.appendingPathComponent("count.zip")
    try rewrite(zip, entry: "declaration.json", to: counted) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        guard let range = text.range(of: #""full_time_enrolled" : (\d+)"#, options: .regularExpression),
              let n = Int(text[range].split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") else { return bytes }
        return Array(text.replacingCharacters(in: range, with: "\"full_time_enrolled\" : \(n + 1)").utf8)
    }
    let countResult = try CLI.runEnglish(["verify", counted.path])
    #expect(countResult.status == 1)
    #expect(countResult.out.contains("M04") && countResult.out.contains("full_time_enrolled"), "\(countResult.out)")

    // One byte of a data file changed: M02 naming the file.
    let flipped = out.appendingPathComponent("byte.zip")
    try rewrite(zip, entry: "roster.csv.gz", to: flipped) { bytes in
        var copy = bytes
        copy[copy.count / 2] ^= 0x01
        return copy
    }
    let byteResult = try CLI.runEnglish(["verify", flipped.path])
    #expect(byteResult.status == 1)
    #expect(byteResult.out.contains("M02") && byteResult.out.contains("roster.csv.gz"), "\(byteResult.out)")

    // The untouched package still verifies; usage errors exit 2.
    #expect(try CLI.runEnglish(["verify", zip.path]).status == 0)
    #expect(try CLI.runEnglish(["submit", "--bogus-option"]).status == 2)
}
