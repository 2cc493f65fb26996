import Testing
import ZizhuCore
@testable import ZizhuPipeline

private func compile(_ yaml: String) throws -> CompiledPipeline {
    try CompiledPipeline.compile(try PipelineDefinition.parse(yaml, file: "p.yaml", variables: ["files": .list(["a.csv"])]))
}

private func message(_ body: () throws -> Void) -> String {
    do { try body() } catch let error as ZizhuError { return error.message + " | " + (error.hint ?? "") } catch { return "\(error)" }
    return "no error"
}

@Test func theBundledValidatePipelineLoadsAndTypeChecks() throws {
    let definition = try PipelineDefinition.load("validate", variables: ["schema": .string("ledger"), "files": .list(["x.csv", "y.csv"])])
    #expect(definition.inputs.first?.files == ["x.csv", "y.csv"])
    #expect(definition.inputs.first?.schema == "ledger")
    let compiled = try CompiledPipeline.compile(definition)
    #expect(compiled.stages.map(\.output.description) == ["records<ledger>", "rows<ledger>", "report"])
}

private let good = """
variables:
  files: []
inputs:
  data:
    schema: roster
    files: ${files}
stages:
  - name: read
    kind: ingest
    from: data
  - name: check
    kind: validate
    from: read
  - name: report
    kind: validation-report
    from: check
"""

@Test func aStageFedTheWrongTypeIsAnErrorAtItsLineAndColumn() throws {
    let yaml = good.replacingOccurrences(of: "    from: read", with: "    from: data")
    let text = message { _ = try compile(yaml) }
    #expect(text.contains("p.yaml:13:11"))
    #expect(text.contains("takes records"))
    #expect(text.contains("source<roster>"))
    #expect(text.contains("put an ingest stage"))
}

@Test func unknownKindsNamesAndKeysPointAtTheirPlace() throws {
    #expect(message { _ = try compile(good.replacingOccurrences(of: "kind: validate", with: "kind: validat")) }.contains("p.yaml:12:11: unknown stage kind 'validat'"))
    #expect(message { _ = try compile(good.replacingOccurrences(of: "from: check", with: "from: chek")) }.contains("p.yaml:16:11: 'chek' is neither an input nor a stage"))
    #expect(message { _ = try compile(good.replacingOccurrences(of: "    schema: roster", with: "    schema: roster\n    colums: {}")) }.contains("p.yaml:6:5: unknown key 'colums'"))
    #expect(message { _ = try compile(good.replacingOccurrences(of: "schema: roster", with: "schema: nosuch")) }.contains("p.yaml:5:13"))
    #expect(message { _ = try compile(good.replacingOccurrences(of: "files: ${files}", with: "files: ${nofiles}")) }.contains("unknown variable '${nofiles}'"))
    #expect(message { _ = try compile("stages: [") }.contains("p.yaml"))
}

@Test func aStageMayNotReadFromALaterStage() throws {
    let yaml = good.replacingOccurrences(of: "    from: data", with: "    from: check")
    #expect(message { _ = try compile(yaml) }.contains("defined above"))
}

@Test func variablesFromTheCommandLineFillListsAndText() throws {
    let definition = try PipelineDefinition.parse(good + "\noutput: out/${files}\n", file: "p.yaml",
                                                  variables: ["files": .string("a.csv,b.csv")])
    #expect(definition.inputs.first?.files == ["a.csv", "b.csv"])
    #expect(definition.output == "out/a.csv,b.csv")
    #expect(throws: ZizhuError.self) { try PipelineDefinition.parse(good, file: "p.yaml", variables: ["nope": .string("1")]) }
}

@Test func aPipelineMayNameItsRunHistory() throws {
    let definition = try PipelineDefinition.parse(good + "\nhistory: ${files}.db\n", file: "p.yaml", variables: ["files": .string("h")])
    #expect(definition.history == "h.db")
    #expect(try PipelineDefinition.parse(good, file: "p.yaml", variables: ["files": .string("a.csv")]).history == nil)
    #expect(try PipelineDefinition.parse(good + "\nhistory: \"\"\n", file: "p.yaml", variables: ["files": .string("a.csv")]).history == nil)
}
