import Foundation
import Testing
import ZizhuCore
@testable import ZizhuJobs
import ZizhuPackage
import ZizhuTestSupport

/// Pass 1 and pass 2 of a merge run on worker threads: the outputs must be the bytes of a
/// one-thread merge, whatever the number of workers.
@Suite struct MergeWorkersTests {
    @Test func mergedFilesAndFindingsAreTheSameWithOneTwoOrThreeWorkers() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        var inputs: [String] = []
        // Twelve schools; M01 across schools (a resident id and two passport numbers, whose keys are
        // numbered in package order), an M05 resend, a package of another term, a broken package.
        for n in 1...12 {
            let school = String(format: "3701J%03d", n)
            var data = SchoolData(school: school)
            for k in 0..<(20 + n * 3) {
                let id = residentID(String(format: "370102200501%02d%03d", (n % 28) + 1, k))
                data.roster.append([String(format: "S%03d%03d", n, k), "学生\(k)", id, "全日制", "在籍"])
                if k % 2 == 0 { data.applications.append([String(format: "S%03d%03d", n, k), "学生\(k)", id, "国家助学金", "一等", "100000", "已审批"]) }
            }
            if n % 3 == 0 { data.roster.append(["X\(n)", "王某", wang, "全日制", "在籍"]) }
            if n % 4 == 0 { data.roster.append(["P\(n)", "Passport", "E\(1000 + n % 2)", "全日制", "在籍"]) }
            if n == 5 { data.term = "2023-spring" }
            inputs.append(try data.write(scratch, name: "in/\(school)_\(data.term).zip"))
            if n == 7 {
                var resend = data
                resend.generatedAt = "2023-10-31T09:00:00+08:00"
                resend.roster.removeLast()
                inputs.append(try resend.write(scratch, name: "in/\(school)_again.zip"))
            }
        }
        let broken = scratch.file("in/3701J099_2023-fall.zip")
        try Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]).write(to: URL(fileURLWithPath: broken))
        inputs.append(broken)

        func merge(_ workers: Int) throws -> MergeRunOutput {
            try runMerge(inputs, in: scratch, settings: MergeSettings(term: "2023-fall", workers: workers), tag: "w\(workers)")
        }
        let one = try merge(1)
        // The fixture must exercise what it claims to.
        #expect(Set(one.codes).isSuperset(of: ["M01", "M02", "M05"]))
        #expect(one.findings("M01").count >= 2)
        for workers in [2, 3] {
            let many = try merge(workers)
            #expect(many.rosterBytes == one.rosterBytes)
            #expect(many.applicationsBytes == one.applicationsBytes)
            #expect(many.result.findings == one.result.findings)
            #expect(many.result.packages == one.result.packages)
            #expect(many.result.notes == one.result.notes)
        }
        // The merged tables are deflated at zlib's level 1 (the gzip header's XFL byte is 4,
        // "fastest", only then): level 6 was a province merge's critical path.
        #expect(one.rosterBytes.count > 10 && one.rosterBytes[8] == 4, "XFL \(one.rosterBytes.prefix(10))")
        #expect(one.applicationsBytes.count > 10 && one.applicationsBytes[8] == 4)
    }
}

/// The merged files are compressed on a thread of their own: a write that fails there stops the
/// merge with the write's error, and nothing waits forever.
@Suite struct MergedFileWriteFailureTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full (a device whose writes fail: disk full)"))
    func aFullDiskWhileCompressingIsAnOutputError() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        var data = SchoolData(school: "3701J001")
        for k in 0..<40_000 {
            let id = residentID(String(format: "3701022005%07d", k * 7919 % 10_000_000))
            data.roster.append([String(format: "S%06d", k), "学生\(k * 31 % 977)", id, "全日制", "在籍"])
        }
        let package = try data.write(scratch)
        for (roster, applications) in [("/dev/full", scratch.file("a.csv.gz")), (scratch.file("r.csv.gz"), "/dev/full")] {
            let error = #expect(throws: ZizhuError.self) {
                _ = try Merger(settings: MergeSettings(term: "2023-fall", workers: 2))
                    .run([package], rosterPath: roster, applicationsPath: applications)
            }
            #expect(error?.code == .output)
        }
    }
}
