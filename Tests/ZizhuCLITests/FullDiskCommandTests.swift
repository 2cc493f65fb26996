import Foundation
import Testing
import ZizhuTestSupport

/// A full disk is named as such (not "check that the directory exists"), the run exits 3, and
/// nothing half-written is left. Needs a tiny tmpfs: runs where `mount` is allowed (root).
@Suite struct FullDiskCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func system(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    static var canMount: Bool { getuid() == 0 }

    @Test(.enabled(if: canMount, "mounting a tmpfs needs root"))
    func submitOnAFullDiskSaysTheDiskIsFull() throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: mountPoint) }
        guard Self.system(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mountPoint.path]) == 0 else {
            Issue.record("cannot mount a tmpfs although root")
            return
        }
        defer { _ = Self.system(["umount", mountPoint.path]) }
        let school = Self.root.appendingPathComponent("sample-data/city/370100/3701J001")
        let result = try CLI.runEnglish(["submit", "--term", "2023-fall", "--school-code", "3701J001", "--school-city", "370100",
                                  "--roster", school.appendingPathComponent("roster.csv").path,
                                  "--applications", school.appendingPathComponent("applications.csv").path,
                                  "--out", mountPoint.appendingPathComponent("out").path, "--quiet"])
        #expect(result.status == 3)
        #expect(result.err.contains("disk is full"), "\(result.err)")
        #expect(!result.err.contains("directory exists"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: mountPoint.path)) ?? ["?"]).isEmpty,
                "nothing half-written is left")
    }
}
