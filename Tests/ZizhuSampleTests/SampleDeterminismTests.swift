import Foundation
import Testing
import ZizhuSample

@Suite("zizhu sample: determinism")
struct SampleDeterminismTests {
    @Test func sameSeedWritesByteIdenticalFiles() throws {
        let (first, report) = try SampleSupport.generate(students: 400, seed: 7, name: "a")
        let (second, again) = try SampleSupport.generate(students: 400, seed: 7, name: "b")
        defer { SampleSupport.remove(first); SampleSupport.remove(second) }
        #expect(report.files == again.files)
        #expect(report.files.count > 10)
        for file in report.files {
            let a = try SampleSupport.bytes(first + "/" + file)
            let b = try SampleSupport.bytes(second + "/" + file)
            #expect(a == b, "\(file) differs between two runs with one seed")
        }
    }

    @Test func anotherSeedWritesOtherData() throws {
        let (first, report) = try SampleSupport.generate(students: 400, seed: 7, name: "a")
        let (second, _) = try SampleSupport.generate(students: 400, seed: 8, name: "b")
        defer { SampleSupport.remove(first); SampleSupport.remove(second) }
        for file in ["finance/approved.csv", "planted.csv"] {
            #expect(try SampleSupport.bytes(first + "/" + file) != SampleSupport.bytes(second + "/" + file))
        }
        #expect(report.students == 400)
    }
}
