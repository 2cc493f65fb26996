import Foundation
import Testing
import ZizhuCore
import ZizhuReport
import ZizhuSchema
@testable import ZizhuPipeline

/// Every bundled pipeline with the variables its command would set.
private func bundledPipelines() throws -> [CompiledPipeline] {
    let term = VariableValue.string("2023-fall")
    return try [
        PipelineDefinition.load("validate", variables: ["schema": .string("roster"), "files": .list(["r.csv"])]),
        PipelineDefinition.load("finance-reconcile", variables: ["term": term, "approved": .list(["a.csv"]), "ledger": .list(["l.csv"])]),
        PipelineDefinition.load("school-submit", variables: ["term": term, "school_code": .string("3701J001"),
                                                             "roster": .list(["r.csv"]), "applications": .list(["a.csv"])]),
        PipelineDefinition.load("province-merge", variables: ["term": term, "inputs": .list(["p.zip"])]),
    ].map(CompiledPipeline.compile)
}

@Test func theRegistryListsExactlyTheKindsTheBundledPipelinesUseAndEachBuilds() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zizhu-registry-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var built: [String: String] = [:]
    for pipeline in try bundledPipelines() {
        let output = try OutputDirectory(path: folder.path)
        defer { output.discard() }
        for stage in pipeline.stages {
            let stageBuilt = try stage.kind.build(StageBuild(stage: stage, pipeline: pipeline, options: RunOptions(), output: output))
            // What the factory built plays the role the kind's output type promises.
            let role: String
            switch stageBuilt {
            case .ingest: role = "records"
            case .validate: role = "rows"
            case .sink: role = "report"
            }
            #expect(role == stage.kind.output.rawValue, "stage kind \(stage.kind.name)")
            built[stage.kind.name] = role
        }
    }
    #expect(Set(built.keys) == Set(StageKind.all.map(\.name)))
    #expect(StageKind.all.count == Set(StageKind.all.map(\.name)).count)
}

@Test func everyFieldAPortReadsIsInItsBundledSchema() throws {
    for kind in StageKind.all {
        for port in kind.ports where !port.fields.isEmpty {
            let name = try #require(port.schema, "\(kind.name).\(port.name) reads fields of no named schema")
            let schema = try TableSchema.named(name)
            for field in port.fields {
                #expect(schema.index(of: field) != nil, "\(kind.name).\(port.name): \(name) has no \(field)")
            }
        }
        #expect(kind.settings.count == Set(kind.settings.map(\.name)).count, "\(kind.name) registers a setting twice")
    }
}
