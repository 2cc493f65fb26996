import Foundation
import Testing
import ZizhuCore
import ZizhuSchema
@testable import ZizhuPipeline

/// A reconcile pipeline whose settings block starts at line 20 (tests change one line of it).
private let reconcile = """
variables:
  approved: [a.csv]
  ledger: [l.csv]
  ledger_schema: ledger
inputs:
  approved: { schema: applications, files: "${approved}" }
  ledger: { schema: "${ledger_schema}", files: "${ledger}" }
stages:
  - { name: read-approved, kind: ingest, from: approved }
  - { name: check-approved, kind: validate, from: read-approved }
  - { name: read-ledger, kind: ingest, from: ledger }
  - { name: check-ledger, kind: validate, from: read-ledger }
  - name: reconcile
    kind: reconcile
    from:
      approved: check-approved
      ledger: check-ledger
output: out
settings:
  term: 2023-fall
  window: [2023-09-01, 2024-02-29]
  allowed_channels: [中职资助卡, 社保卡]
"""

private func compile(_ yaml: String, variables: [String: VariableValue] = [:]) throws -> CompiledPipeline {
    try CompiledPipeline.compile(try PipelineDefinition.parse(yaml, file: "p.yaml", variables: variables))
}

private func failure(_ body: () throws -> Void) -> ZizhuError? {
    do { try body() } catch let error as ZizhuError { return error } catch { return nil }
    return nil
}

@Test func theReconcileTemplateCompilesWithItsSettings() throws {
    let compiled = try compile(reconcile)
    #expect(compiled.stages.last?.kind.name == "reconcile")
}

@Test func aMisspeltSettingIsAnErrorAtItsKeyNamingTheKnownKeys() throws {
    let yaml = reconcile.replacingOccurrences(of: "  window: [", with: "  windw: [")
    let error = try #require(failure { _ = try compile(yaml) })
    #expect(error.message == "p.yaml:21:3: unknown setting 'windw'")
    #expect(error.hint == "known settings for ingest, validate, reconcile: allowed_channels, term, tiers, window")
    #expect(error.code.exitStatus == 2)
}

@Test func aSettingOfAnotherJobIsUnknownHere() throws {
    let yaml = reconcile + "\n  school_code: 3701J001\n"
    let error = try #require(failure { _ = try compile(yaml) })
    #expect(error.message == "p.yaml:23:3: unknown setting 'school_code'")
}

@Test func aPipelineWhoseStagesReadNoSettingsRefusesAnySetting() throws {
    let yaml = """
    inputs:
      data: { schema: roster, files: [a.csv] }
    stages:
      - { name: read, kind: ingest, from: data }
      - { name: check, kind: validate, from: read }
      - { name: report, kind: validation-report, from: check }
    settings:
      term: 2023-fall
    """
    let error = try #require(failure { _ = try compile(yaml) })
    #expect(error.message == "p.yaml:8:3: unknown setting 'term'")
    #expect(error.hint?.contains("read no settings") == true)
}

@Test func aSettingOfTheWrongShapeIsAnErrorAtItsValue() throws {
    // A single value where a list is needed.
    let scalar = reconcile.replacingOccurrences(of: "  allowed_channels: [中职资助卡, 社保卡]", with: "  allowed_channels: 中职资助卡")
    let error = try #require(failure { _ = try compile(scalar) })
    #expect(error.message.hasPrefix("p.yaml:22:21: settings.allowed_channels must be a list"))
    // A list where a single value is needed.
    let list = reconcile.replacingOccurrences(of: "  term: 2023-fall", with: "  term: [2023-fall]")
    #expect(failure { _ = try compile(list) }?.message.hasPrefix("p.yaml:20:9: settings.term must be a term") == true)
    // A bad date inside a window.
    let date = reconcile.replacingOccurrences(of: "2024-02-29]", with: "2024-02-30]")
    #expect(failure { _ = try compile(date) }?.message.hasPrefix("p.yaml:21:11: settings.window must be [first day, last day]") == true)
    // A window that ends before it starts.
    let backwards = reconcile.replacingOccurrences(of: "[2023-09-01, 2024-02-29]", with: "[2024-02-29, 2023-09-01]")
    #expect(failure { _ = try compile(backwards) } != nil)
    // A term that is not one.
    let term = reconcile.replacingOccurrences(of: "  term: 2023-fall", with: "  term: 2023-winter")
    #expect(failure { _ = try compile(term) }?.message == "p.yaml:20:9: '2023-winter' is not a term")
}

@Test func submitSettingsAreCheckedByShape() throws {
    let definition = try PipelineDefinition.load("school-submit", variables: [
        "term": .string("2023-fall"), "school_code": .string("3701J001"),
        "roster": .list(["r.csv"]), "applications": .list(["a.csv"]),
    ])
    _ = try CompiledPipeline.compile(definition)
    var broken = definition
    broken.settings["status_change_working_days"]?.value = .list(["10"])
    #expect(failure { _ = try CompiledPipeline.compile(broken) }?.message.contains("must be a whole number") == true)
    broken = definition
    broken.settings["registration_deadline"]?.value = .map([("autumn", "10-20")])
    #expect(failure { _ = try CompiledPipeline.compile(broken) }?.message.contains("registration_deadline must be a date") == true)
}

@Test func aSchemaWithoutAFieldTheJobReadsIsAConfigurationErrorNamingSchemaJobAndField() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-strict-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // The bundled ledger schema without its status field: today every payment would read as failed.
    let bundled = try ProjectFiles.locate("ledger", folder: "schemas", ext: "json")
    var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: bundled)) as? [String: Any])
    let fields = try #require(json["fields"] as? [[String: Any]])
    json["fields"] = fields.filter { $0["name"] as? String != "status" }
    let schema = folder.appendingPathComponent("bank-ledger.json")
    try JSONSerialization.data(withJSONObject: json).write(to: schema)

    let error = try #require(failure { _ = try compile(reconcile, variables: ["ledger_schema": .string(schema.path)]) })
    #expect(error.message == "p.yaml:7:21: the schema \(schema.path) has no field 'status', which the reconcile stage 'reconcile' reads on its port 'ledger'")
    #expect(error.code.exitStatus == 2)
    // The same schema with its status field compiles.
    _ = try compile(reconcile, variables: ["ledger_schema": .string(bundled.path)])
}

@Test func anInputsOptionalFlagIsTrueOrFalseNothingElse() throws {
    let yaml = reconcile.replacingOccurrences(of: "  ledger: { schema: \"${ledger_schema}\", files: \"${ledger}\" }",
                                              with: "  ledger: { schema: \"${ledger_schema}\", files: \"${ledger}\", optional: ture }")
    #expect(failure { _ = try compile(yaml) }?.message == "p.yaml:7:71: optional must be true or false, not 'ture'")
    let yes = reconcile.replacingOccurrences(of: "  ledger: { schema: \"${ledger_schema}\", files: \"${ledger}\" }",
                                             with: "  ledger: { schema: \"${ledger_schema}\", files: \"${ledger}\", optional: true }")
    #expect(try compile(yes).definition.inputs.first { $0.name == "ledger" }?.optional == true)
}
