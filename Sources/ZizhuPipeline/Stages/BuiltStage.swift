import ZizhuCore
import ZizhuReport

/// What a stage's factory is given: the stage as compiled, the whole pipeline, the command
/// line's options and the run's staged output folder.
struct StageBuild {
    let stage: CompiledPipeline.CompiledStage
    let pipeline: CompiledPipeline
    let options: RunOptions
    let output: OutputDirectory

    /// The pipeline's input feeding port `in` (ingest) or at the root of it (validate).
    func rootInput() throws -> PipelineDefinition.Input {
        guard let name = pipeline.rootInput(of: stage.name),
              let input = pipeline.definition.inputs.first(where: { $0.name == name }) else {
            throw ZizhuError(.pipeline, Message("pipeline.noInput", ["stage": stage.name, "kind": stage.kind.name]))
        }
        return input
    }
}

/// A stage built for one run, by the role it plays in the runner.
enum BuiltStage {
    /// Reads an input's files into record batches.
    case ingest(IngestStage)
    /// Validates an ingest stage's batches against the input's schema and hands the rows on.
    case validate(ValidateStage)
    /// Consumes validated rows and writes its outputs when the run ends.
    case sink(any RowsSink & TerminalStage)

    var sink: (any RowsSink & TerminalStage)? {
        if case .sink(let sink) = self { return sink }
        return nil
    }
}
