import Foundation
import Testing
import ZizhuCore
@testable import ZizhuPipeline

private let head = """
inputs:
  data: { schema: roster, files: [a.csv] }
stages:
  - { name: read, kind: ingest, from: data }
  - { name: check, kind: validate, from: read }
  - { name: report, kind: validation-report, from: check }

"""

@Test func oneLargeAnchorRepeatedByAliasesIsRefusedAtItsPlace() throws {
    // 200 KB anchored once and used 1,000 times: 200 MB once expanded.
    let anchor = String(repeating: "x", count: 200_000)
    var yaml = head + "variables:\n  big: &big \"\(anchor)\"\n  many: ["
    yaml += Array(repeating: "*big", count: 1_000).joined(separator: ", ") + "]\n"
    #expect(yaml.utf8.count < YAMLLimits.maxFileBytes)
    do {
        _ = try PipelineDefinition.parse(yaml, file: "bomb.yaml")
        Issue.record("the hostile file was accepted")
    } catch let error as ZizhuError {
        #expect(error.message.hasPrefix("bomb.yaml:8:"))
        #expect(error.message.contains("expands to more than \(YAMLLimits.maxExpandedBytes) bytes"))
        #expect(error.code.exitStatus == 2)
    }
}

@Test func nestedAliasesThatDoubleAtEachLevelAreRefused() throws {
    // The billion-laughs shape: each level lists the one before ten times.
    var yaml = head + "variables:\n  l0: &l0 [\"\(String(repeating: "lol", count: 10))\"]\n"
    for level in 1...9 {
        yaml += "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    let error = try #require(throws: ZizhuError.self) { _ = try PipelineDefinition.parse(yaml, file: "laughs.yaml") }
    #expect(error.message.hasPrefix("laughs.yaml:"))
    #expect(error.message.contains("expands to more than"))
}

@Test func aFewAliasesOfSmallNodesAreFine() throws {
    let yaml = head + "variables:\n  files: &f []\n  out: &o out\nsettings: {}\noutput: *o\n"
    let definition = try PipelineDefinition.parse(yaml, file: "ok.yaml")
    #expect(definition.output == "out")
}

@Test func aPipelineFileOverTheSizeCapIsRefusedBeforeItIsParsed() throws {
    let yaml = head + "description: \"" + String(repeating: "d", count: YAMLLimits.maxFileBytes) + "\"\n"
    let error = try #require(throws: ZizhuError.self) { _ = try PipelineDefinition.parse(yaml, file: "huge.yaml") }
    #expect(error.message.hasPrefix("huge.yaml: the pipeline file is larger than"))

    let url = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-huge-\(UUID().uuidString).yaml")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(yaml.utf8).write(to: url)
    let loaded = try #require(throws: ZizhuError.self) { _ = try PipelineDefinition.load(url.path) }
    #expect(loaded.message.contains("larger than \(YAMLLimits.maxFileBytes) bytes"))
    #expect(loaded.code.exitStatus == 2)
}
