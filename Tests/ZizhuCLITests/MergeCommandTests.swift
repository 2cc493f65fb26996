import Foundation
import Testing
import ZizhuIO
import ZizhuTestSupport

/// The repository's root (holding sample-data/), found from this file.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func scratch(_ tag: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-merge-\(tag)-\(UUID().uuidString)")
}

/// Every sample school's `zizhu submit` run, once for all tests: the packages written (a school
/// with planted errors writes none) in one folder per school.
private struct SamplePackages: Sendable {
    /// school code → package path, for the schools whose submit wrote one.
    var packages: [String: String] = [:]
    /// Schools whose submit wrote no package.
    var withoutPackage: [String] = []
    var folder = ""
    var failure: String?

    static let shared: SamplePackages = {
        var result = SamplePackages()
        let base = scratch("packages")
        result.folder = base.path
        do {
            let cities = root.appendingPathComponent("sample-data/city")
            for city in try FileManager.default.contentsOfDirectory(atPath: cities.path).sorted() {
                for school in try FileManager.default.contentsOfDirectory(atPath: cities.appendingPathComponent(city).path).sorted() {
                    let dir = cities.appendingPathComponent("\(city)/\(school)")
                    let out = base.appendingPathComponent("submit-\(school)")
                    let run = try CLI.runEnglish(["submit", "--term", "2023-fall", "--school-code", school, "--school-city", city,
                                           "--roster", dir.appendingPathComponent("roster.csv").path,
                                           "--applications", dir.appendingPathComponent("applications.csv").path,
                                           "--out", out.path, "--quiet"], environment: ["SOURCE_DATE_EPOCH": "1698627600"])
                    let zip = out.appendingPathComponent("\(school)_2023-fall.zip")
                    if run.status == 0, FileManager.default.fileExists(atPath: zip.path) {
                        result.packages[school] = zip.path
                    } else {
                        result.withoutPackage.append(school)
                    }
                }
            }
        } catch {
            result.failure = "\(error)"
        }
        return result
    }()

    func require() throws -> SamplePackages {
        if let failure { throw CLIFailure(failure) }
        guard packages.count >= 2 else { throw CLIFailure("the sample gave \(packages.count) packages") }
        return self
    }
}

private struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

private func merge(_ inputs: [String], out: URL, extra: [String] = [],
                   environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    try CLI.runEnglish(["merge", "--term", "2023-fall", "--expected", root.appendingPathComponent("sample-data/schools.csv").path,
                 "--out", out.path, "--quiet"] + extra + inputs, environment: environment)
}

/// The text of `package!entry.csv.gz` at physical line `line`.
private func packageLine(_ source: String) throws -> String {
    let parts = source.split(separator: ":")
    let line = try #require(Int(parts.last ?? ""))
    let location = parts.dropLast().joined(separator: ":").split(separator: "!")
    let archive = try ZipArchive(path: String(location[0]))
    let entry = try #require(archive.entry(named: String(location[1])))
    let text = String(decoding: try Gzip.decompress(try archive.read(entry)), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return line - 1 < lines.count ? String(lines[line - 1]) : ""
}

@Test func mergeOfTheSamplePackagesFindsExactlyThePlantedMFindings() throws {
    let sample = try SamplePackages.shared.require()
    let out = scratch("sample")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try merge(sample.packages.values.sorted(), out: out)
    #expect(result.status == 1, "M01 is an error: \(result.out) \(result.err)")
    let planted = try CSVTable.read(root.appendingPathComponent("sample-data/planted.csv"))
        .filter { $0["job"] == "merge" && ($0["code"] ?? "").hasPrefix("M") }
    let found = try CSVTable.read(out.appendingPathComponent("discrepancies.csv"))
    // A school whose submit found planted errors wrote no package: it sent nothing (M03) too.
    let expected = Set(planted.map { "\($0["code"] ?? "") \($0["school_code"] ?? "") \($0["student_no"] ?? "")" })
        .union(sample.withoutPackage.map { "M03 \($0) " })
    let actual = Set(found.map { "\($0["code"] ?? "") \($0["school_code"] ?? "") \($0["student_no"] ?? "")" })
    #expect(actual == expected, "missing \(expected.subtracting(actual).sorted()), unexpected \(actual.subtracting(expected).sorted())")
    #expect(planted.contains { $0["code"] == "M01" } && planted.contains { $0["code"] == "M03" })

    // M01 names the rows of both packages; each source line holds the student's id. Ids are masked.
    let m01 = try #require(found.first { $0["code"] == "M01" })
    let plantedM01 = try #require(planted.first { $0["code"] == "M01" })
    let id = try #require(plantedM01["id_number"])
    #expect(m01["id_number"] == String(id.prefix(6)) + "********" + String(id.suffix(4)))
    let sources = (m01["sources"] ?? "").split(separator: ";").map(String.init)
    let rosterSources = sources.filter { $0.contains("!roster.csv.gz:") }
    let packagesNamed = Set(rosterSources.map { String($0.split(separator: "!")[0]) })
    #expect(packagesNamed == Set([sample.packages["3701J001"], sample.packages["3702J001"]].compactMap { $0 }))
    for source in sources { #expect(try packageLine(source).contains(id), "\(source)") }
    // The near-miss (转学 in one school, 在籍 in the other) is no finding.
    let nearMiss = try CSVTable.read(root.appendingPathComponent("sample-data/planted.csv")).filter { $0["code"] == "NEAR" && $0["job"] == "merge" }
    for near in nearMiss { #expect(!found.contains { $0["student_no"] == near["student_no"] }) }

    for name in ["discrepancies.csv", "discrepancies.json", "summary.json", "report.html", "manifest.json",
                 "merged/roster.csv.gz", "merged/applications.csv.gz"] {
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
    }
    let roster = String(decoding: try Gzip.decompress([UInt8](try Data(contentsOf: out.appendingPathComponent("merged/roster.csv.gz")))), as: UTF8.self)
    let header = try #require(roster.split(separator: "\n").first)
    #expect(header.hasPrefix("student_no,name,") && header.hasSuffix(",source_package"))
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
    let job = try #require((summary["job"] as? [String: Any])?["merge"] as? [String: Any])
    let cities = try #require(job["cities"] as? [[String: Any]])
    #expect(cities.compactMap { $0["code"] as? String } == ["370100", "370200", "370300", "440100"])
    #expect(cities.compactMap { $0["name"] as? String } == ["济南市", "青岛市", "淄博市", "广州市"])
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("<h2>济南市 370100</h2>") && html.contains("M01") && html.contains("<svg"))
}

@Test func mergeOutputsAreByteIdenticalWhateverTheOrderOrShapeOfTheInputs() throws {
    let sample = try SamplePackages.shared.require()
    let a = scratch("a"), b = scratch("b"), city = scratch("city")
    defer { for url in [a, b, city] { try? FileManager.default.removeItem(at: url) } }
    let paths = sample.packages.values.sorted()
    #expect(try merge(paths, out: a).status == 1)
    #expect(try merge(paths.reversed(), out: b).status == 1)
    for name in ["discrepancies.csv", "discrepancies.json", "summary.json", "report.html", "merged/roster.csv.gz", "merged/applications.csv.gz"] {
        #expect(try Data(contentsOf: a.appendingPathComponent(name)) == Data(contentsOf: b.appendingPathComponent(name)), "\(name)")
    }
    // The same packages in a city archive: the same findings (named by archive!entry).
    try FileManager.default.createDirectory(at: city, withIntermediateDirectories: true)
    let archive = city.appendingPathComponent("province.zip").path
    try ZipWriter.write(entries: try paths.map { ZipEntryData(name: URL(fileURLWithPath: $0).lastPathComponent, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0)))) },
                        to: archive)
    let viaArchive = city.appendingPathComponent("out")
    #expect(try merge([archive], out: viaArchive).status == 1)
    let codes = { (url: URL) throws -> [String] in try CSVTable.read(url.appendingPathComponent("discrepancies.csv")).map { "\($0["code"] ?? "") \($0["student_no"] ?? "")" } }
    #expect(try codes(viaArchive) == codes(a))
    #expect(try Data(contentsOf: viaArchive.appendingPathComponent("merged/roster.csv.gz")) != Data(contentsOf: a.appendingPathComponent("merged/roster.csv.gz")),
            "source_package names the archive entry")
}

@Test func aTamperedPackageIsQuarantinedAndTheOthersMerge() throws {
    let sample = try SamplePackages.shared.require()
    let out = scratch("tamper")
    let work = scratch("tamper-in")
    defer { for url in [out, work] { try? FileManager.default.removeItem(at: url) } }
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let source = try #require(sample.packages["3702J001"])
    let archive = try ZipArchive(path: source)
    var entries: [ZipEntryData] = []
    for info in archive.entries {
        var bytes = try archive.read(info)
        if info.name == "roster.csv.gz" { bytes[bytes.count / 2] ^= 0x01 }
        entries.append(ZipEntryData(name: info.name, bytes: bytes))
    }
    let tampered = work.appendingPathComponent("3702J001_2023-fall.zip").path
    try ZipWriter.write(entries: entries, to: tampered)
    let result = try merge([try #require(sample.packages["3701J001"]), tampered], out: out)
    #expect(result.status == 1)
    #expect(result.out.contains("quarantined \(tampered): M02 roster.csv.gz"), "\(result.out)")
    let found = try CSVTable.read(out.appendingPathComponent("discrepancies.csv"))
    #expect(found.map { $0["code"] ?? "" }.contains("M02"))
    #expect(!found.contains { $0["code"] == "M01" }, "the quarantined package takes part in no cross-school check")
    #expect(!found.contains { $0["code"] == "M03" && $0["school_code"] == "3702J001" }, "a quarantined package was sent")
    let roster = String(decoding: try Gzip.decompress([UInt8](try Data(contentsOf: out.appendingPathComponent("merged/roster.csv.gz")))), as: UTF8.self)
    #expect(!roster.contains("3702J001_2023-fall.zip"), "nothing of the quarantined package is merged")
}

@Test func mergeUsageErrorsExitTwoAndUnreadableInputsThree() throws {
    let out = scratch("usage")
    defer { try? FileManager.default.removeItem(at: out) }
    let sample = try SamplePackages.shared.require()
    let package = try #require(sample.packages.values.sorted().first)
    #expect(try merge([], out: out).status == 2)
    #expect(try CLI.runEnglish(["merge", "--term", "sometime", "--out", out.path, "--quiet", package]).status == 2)
    #expect(try merge([package], out: out, extra: ["--trust", "/nonexistent/keys"]).status == 2)
    let missing = try merge([package, "/nonexistent/city.zip"], out: out)
    #expect(missing.status == 3)
    #expect(missing.err.contains("/nonexistent/city.zip"))
    #expect(!FileManager.default.fileExists(atPath: out.path), "a failed run leaves no output")
}

@Test func anExpectedListWithChineseTitlesAndATitleLineGivesM03WithItsLineAndExitZero() throws {
    let sample = try SamplePackages.shared.require()
    let work = scratch("expected")
    defer { try? FileManager.default.removeItem(at: work) }
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let list = work.appendingPathComponent("应报学校.csv")
    try Data(("\u{FEFF}2023年秋季学期应报学校名单\r\n学校代码,学校名称,所在市代码,所在市\r\n"
        + "3701J001,济南交通技工学校,济南市,济南市\r\n3709J001,泰安技工学校,370900,泰安市\r\n").utf8).write(to: list)
    let out = work.appendingPathComponent("out")
    let result = try CLI.runEnglish(["merge", "--term", "2023年秋季学期", "--expected", list.path, "--out", out.path, "--quiet",
                              try #require(sample.packages["3701J001"])])
    #expect(result.status == 0, "M03 is a warning: \(result.out) \(result.err)")
    let found = try CSVTable.read(out.appendingPathComponent("discrepancies.csv"))
    #expect(found.map { "\($0["code"] ?? "") \($0["school_code"] ?? "") \($0["sources"] ?? "")" } == ["M03 3709J001 \(list.path):4"])
}

@Test func mergeSaysHowManyPackagesItReadAndRowsItMerged() throws {
    let sample = try SamplePackages.shared.require()
    let out = scratch("total")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try merge(sample.packages.values.sorted(), out: out)
    func rows(_ file: String) throws -> Int {
        let bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent("merged/\(file)")))
        return String(decoding: try Gzip.decompress(bytes), as: UTF8.self).split(separator: "\n").count - 1
    }
    let roster = try rows("roster.csv.gz"), applications = try rows("applications.csv.gz")
    #expect(roster > 0 && applications > 0)
    let total = try #require(result.out.split(separator: "\n").last { $0.hasPrefix("total: ") }, "\(result.out)")
    #expect(total.hasPrefix("total: \(sample.packages.count) packages read, \(sample.packages.count) merged; "
                            + "\(roster + applications) rows merged = \(roster) roster + \(applications) application rows"), "\(total)")
    #expect(total.contains("expected list: "), "the expected list's rows are still counted: \(total)")
    // Without an expected list nothing is read as rows, and the line does not pretend otherwise.
    let bare = scratch("total-bare")
    defer { try? FileManager.default.removeItem(at: bare) }
    let plain = try CLI.runEnglish(["merge", "--term", "2023-fall", "--out", bare.path, "--quiet"] + sample.packages.values.sorted())
    #expect(!plain.out.contains("0 read = 0 accepted"), "\(plain.out)")
    #expect(plain.out.contains("total: \(sample.packages.count) packages read"), "\(plain.out)")
}

/// The value of report.html's fact whose label starts with `label` (the facts table at the top).
private func fact(_ html: String, _ label: String) -> String? {
    guard let start = html.range(of: "<table class=\"facts\">"), let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex) else {
        return nil
    }
    for row in html[start.upperBound..<end.lowerBound].components(separatedBy: "<tr>") {
        let cells = row.components(separatedBy: "<td").dropFirst().map { cell -> String in
            let text = cell.drop { $0 != ">" }.dropFirst()
            return String(text.prefix { $0 != "<" })
        }
        if cells.count >= 2, cells[0].hasPrefix(label) { return cells[1] }
    }
    return nil
}

@Test func mergeReportCountsEveryArchiveItReadAsAnInputFile() throws {
    let sample = try SamplePackages.shared.require()
    let work = scratch("archives")
    defer { try? FileManager.default.removeItem(at: work) }
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    // 16 city archives (zips of packages), as 16 cities send them to the province.
    let packages = sample.packages.values.sorted()
    var archives: [String] = []
    for i in 0..<16 {
        let package = packages[i % packages.count]
        let archive = work.appendingPathComponent("city-\(i + 1).zip").path
        try ZipWriter.write(entries: [ZipEntryData(name: URL(fileURLWithPath: package).lastPathComponent,
                                                   bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: package))))], to: archive)
        archives.append(archive)
    }
    let out = work.appendingPathComponent("out")
    // report.html is checked in Chinese, the default language.
    #expect(try merge(archives, out: out, environment: ["ZIZHU_LANG": "zh"]).status <= 1)
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    let files = try #require(fact(html, "文件"), "no 文件 fact in report.html")
    #expect(files.hasPrefix("17"), "16 archives and the expected list: \(files)")
    #expect(files.contains("16") && files.contains("1 "), "\(files)")
}
