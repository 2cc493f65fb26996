import ZizhuCore
import ZizhuSchema

/// The `validate` stage: matches each file's header to the input's schema (with the input's
/// `columns:` overrides) and validates its rows; unique fields are tracked across every file of
/// the input (S01 …).
final class ValidateStage {
    let schema: TableSchema
    let matcher: HeaderMatcher

    init(input: PipelineDefinition.Input, schema: TableSchema) throws {
        self.schema = schema
        do { matcher = try HeaderMatcher(schema: schema, overrides: input.columns) } catch let error as ZizhuError {
            throw ZizhuError(.pipeline, Message("error.at", ["mark": "\(input.columnsMark ?? input.mark)"], parts: ["message": error.messageWords]),
                             hint: error.hintMessage)
        }
    }

    /// One tracker per unique field, for one run over the input's files.
    func uniqueTrackers() -> [UniqueTracker] {
        schema.fields.enumerated().compactMap { i, field in
            field.constraints?.unique == true ? UniqueTracker(field: i, finding: field.uniqueFinding ?? "DUPLICATE") : nil
        }
    }
}
