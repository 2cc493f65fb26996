import Foundation
import Testing
import ZizhuTestSupport
import ZizhuReport

/// Contract §9: after a run `--out` holds exactly that run's files (or, if it failed or was
/// killed, exactly the previous run's): never a mix, never debris, never a stale package.
@Suite(.serialized) struct OutputFolderCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-outdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func schoolFolder(_ city: String, _ school: String) -> URL {
        root.appendingPathComponent("sample-data/city/\(city)/\(school)")
    }

    static func submit(city: String, school: String, out: URL, code: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let dir = schoolFolder(city, school)
        return try CLI.runEnglish(["submit", "--term", "2023-fall", "--school-code", code ?? school, "--school-city", city,
                            "--roster", dir.appendingPathComponent("roster.csv").path,
                            "--applications", dir.appendingPathComponent("applications.csv").path,
                            "--out", out.path, "--quiet"])
    }

    /// Every file under `folder` (relative paths), hidden ones included.
    static func files(in folder: URL) -> Set<String> {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found = Set<String>()
        while let path = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder), !isFolder.boolValue {
                found.insert(path)
            }
        }
        return found
    }

    /// The outputs `manifest.json` lists, by name and SHA-256.
    static func manifestOutputs(_ out: URL) throws -> [String: String] {
        let data = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let outputs = try #require(json["outputs"] as? [[String: Any]])
        var byName: [String: String] = [:]
        for output in outputs {
            guard let path = output["path"] as? String ?? output["name"] as? String else { continue }
            byName[path] = output["sha256"] as? String ?? ""
        }
        return byName
    }

    /// `out` is one whole run: its files are exactly the manifest's outputs (plus the manifest),
    /// each with the manifest's SHA-256.
    static func expectWholeRun(_ out: URL, _ comment: Comment? = nil) throws {
        let outputs = try manifestOutputs(out)
        #expect(files(in: out) == Set(outputs.keys).union(["manifest.json"]), comment)
        for (name, sha) in outputs {
            let digest = try FileDigest.of(out.appendingPathComponent(name), as: name)
            #expect(digest.sha256 == sha, "\(name) is not the file of the run its manifest describes")
        }
    }

    /// Hidden zizhu folders (staging, old) in `folder`.
    static func debris(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(".zizhu-") }
    }

    @Test func aFailingSubmitLeavesNoPackageOfThePreviousRun() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        // 3701J001's data are clean; 4401J001.s carry planted errors.
        let good = try Self.submit(city: "370100", school: "3701J001", out: out)
        try #require(good.status == 0, "\(good.err)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("3701J001_2023-fall.zip").path))
        let bad = try Self.submit(city: "440100", school: "4401J001", out: out)
        #expect(bad.status == 1)
        let left = Self.files(in: out)
        #expect(!left.contains("3701J001_2023-fall.zip"), "a stale package beside a report that says none was written")
        #expect(!left.contains("declaration.html"))
        try Self.expectWholeRun(out)
    }

    @Test func validateOverAReconcileFolderLeavesNoLedger() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("{}\n".utf8).write(to: out.appendingPathComponent("manifest.json"))
        try Data("ledger\n".utf8).write(to: out.appendingPathComponent("ledger.csv"))
        try Data("{}\n".utf8).write(to: out.appendingPathComponent("settlement.json"))
        let roster = Self.schoolFolder("370100", "3701J001").appendingPathComponent("roster.csv")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", roster.path, "--out", out.path, "--quiet"])
        #expect(result.status == 0 || result.status == 1, "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("ledger.csv").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("settlement.json").path))
        try Self.expectWholeRun(out)
    }

    @Test func debrisOfAKilledRunIsRemovedByTheNextRun() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A pid that is surely gone: a process that has ended.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let pid = gone.processIdentifier
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out.appendingPathComponent(".zizhu-staging-\(pid)"), withIntermediateDirectories: true)
        try Data("{}\n".utf8).write(to: out.appendingPathComponent("manifest.json"))
        for name in [".zizhu-staging-\(pid)-out", ".zizhu-old-\(pid)-out"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(name), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: dir.appendingPathComponent(name).appendingPathComponent("report.html"))
        }
        let roster = Self.schoolFolder("370100", "3701J001").appendingPathComponent("roster.csv")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", roster.path, "--out", out.path, "--quiet"])
        #expect(result.status == 0 || result.status == 1, "\(result.err)")
        #expect(Self.debris(in: dir).isEmpty, "left: \(Self.debris(in: dir))")
        #expect(Self.debris(in: out).isEmpty, "left: \(Self.debris(in: out))")
        try Self.expectWholeRun(out)
    }

    @Test func aFolderOfOtherFilesIsNotReplaced() throws {
        // The folder sits in a private parent, whose debris is this run's alone (the system's temporary
        // folder holds other runs' staging folders while they run).
        let parent = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: parent) }
        let dir = parent.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
        try Data("mine".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let roster = Self.schoolFolder("370100", "3701J001").appendingPathComponent("roster.csv")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", roster.path, "--out", dir.path, "--quiet"])
        #expect(result.status == 2)
        #expect(result.err.contains("not a zizhu output folder"), "\(result.err)")
        #expect(Self.files(in: dir) == ["notes.txt"])
        #expect(Self.debris(in: dir.deletingLastPathComponent()).isEmpty)
    }

    @Test func aFolderHoldingOnlyDebrisOfAKilledRunIsReplaced() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out.appendingPathComponent(".zizhu-staging-1"), withIntermediateDirectories: true)
        let roster = Self.schoolFolder("370100", "3701J001").appendingPathComponent("roster.csv")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", roster.path, "--out", out.path, "--quiet"])
        #expect(result.status == 0 || result.status == 1, "\(result.err)")
        try Self.expectWholeRun(out)
    }

    @Test func aRunThatFailsLeavesNoFolderItMade() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("new/out")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", dir.appendingPathComponent("missing.csv").path,
                                  "--out", out.path, "--quiet"])
        #expect(result.status == 3)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("new").path))
    }

    @Test func anEmptyFolderIsFilled() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let roster = Self.schoolFolder("370100", "3701J001").appendingPathComponent("roster.csv")
        let result = try CLI.runEnglish(["validate", "--schema", "roster", roster.path, "--out", dir.path, "--quiet"])
        #expect(result.status == 0 || result.status == 1, "\(result.err)")
        try Self.expectWholeRun(dir)
    }

    /// Starts `arguments` and kill -9s it at each moment, a state of its staging folder reached in
    /// order (just started, staging made, rejects being written, report written), checking after
    /// each kill that `out` is wholly the previous run or wholly the new one.
    static func killAtMoments(_ arguments: [String], out: URL, dir: URL, job: String) throws {
        let binary = try #require(CLI.binary)
        let moments: [(String, (URL?) -> Bool)] = [
            ("at once", { _ in true }),
            ("staging made", { $0 != nil }),
            ("rejects being written", { $0.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent("rejects.csv").path) } ?? false }),
            ("report written", { $0.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent("report.html").path) } ?? false }),
        ]
        for (label, reached) in moments {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments + ["--out", out.path, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait (bounded) for the moment, by looking at the folders, then kill -9.
            for _ in 0..<20_000 {
                // Not `.lazy`: a lazy compactMap's `first` runs the closure twice, and a staging folder
                // that vanishes in between (the run just finished) made the stdlib unwrap a nil — a crash.
                let staging = [dir, out].compactMap { folder in
                    Self.debris(in: folder).first { $0.hasPrefix(".zizhu-staging-") }.map { folder.appendingPathComponent($0) }
                }.first
                if reached(staging) || !process.isRunning { break }
                usleep(200)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try Self.expectWholeRun(out, "\(job) killed \(label)")
        }
    }

    /// validate, submit, reconcile and merge on a 20,000-student sample, each killed at several moments
    /// into one `--out`: it is one whole run every time, and the next run clears the debris.
    @Test func aKilledRunLeavesOneWholeRun() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data")
        let sample = try CLI.runEnglish(["sample", "--out", data.path, "--students", "20000", "--quiet"])
        try #require(sample.status == 0, "\(sample.err)")
        let rosters = Self.files(in: data).filter { $0.hasSuffix("roster.csv") }.sorted().map { data.appendingPathComponent($0).path }
        try #require(rosters.count >= 3)
        let out = dir.appendingPathComponent("out")
        let first = try CLI.runEnglish(["validate", "--schema", "roster", rosters[0], "--out", out.path, "--quiet"])
        try #require(first.status == 0 || first.status == 1, "\(first.err)")
        try Self.expectWholeRun(out)

        try Self.killAtMoments(["validate", "--schema", "roster"] + rosters, out: out, dir: dir, job: "validate")
        let school = data.appendingPathComponent("city/370100/3701J001")
        try Self.killAtMoments(["submit", "--term", "2023-fall", "--school-code", "3701J001", "--school-city", "370100",
                                "--roster", school.appendingPathComponent("roster.csv").path,
                                "--applications", school.appendingPathComponent("applications.csv").path],
                               out: out, dir: dir, job: "submit")
        let finance = data.appendingPathComponent("finance")
        let ledgers = Self.files(in: finance).filter { $0.hasPrefix("ledger") }.sorted().map { finance.appendingPathComponent($0).path }
        try Self.killAtMoments(["reconcile", "--term", "2023-fall", "--approved", finance.appendingPathComponent("approved.csv").path,
                                "--ledger"] + ledgers + ["--allocations", finance.appendingPathComponent("allocations.csv").path],
                               out: out, dir: dir, job: "reconcile")
        // Merge, over the packages of the sample's schools that pass submit.
        var packages: [String] = []
        for school in Self.files(in: data).filter({ $0.hasSuffix("/roster.csv") }).sorted() {
            let folder = data.appendingPathComponent(school).deletingLastPathComponent()
            let code = folder.lastPathComponent, city = folder.deletingLastPathComponent().lastPathComponent
            let made = dir.appendingPathComponent("package-\(code)")
            _ = try CLI.runEnglish(["submit", "--term", "2023-fall", "--school-code", code, "--school-city", city,
                             "--roster", folder.appendingPathComponent("roster.csv").path,
                             "--applications", folder.appendingPathComponent("applications.csv").path,
                             "--out", made.path, "--quiet"])
            let zip = made.appendingPathComponent("\(code)_2023-fall.zip").path
            if FileManager.default.fileExists(atPath: zip) { packages.append(zip) }
        }
        try #require(!packages.isEmpty, "no school of the sample passed submit")
        try Self.killAtMoments(["merge", "--term", "2023-fall", "--expected", data.appendingPathComponent("schools.csv").path] + packages,
                               out: out, dir: dir, job: "merge")
        // The next run clears what the killed ones left and is whole itself.
        let last = try CLI.runEnglish(["validate", "--schema", "roster", rosters[1], "--out", out.path, "--quiet"])
        #expect(last.status == 0 || last.status == 1, "\(last.err)")
        try Self.expectWholeRun(out)
        #expect(Self.debris(in: dir).isEmpty, "left: \(Self.debris(in: dir))")
    }
}
