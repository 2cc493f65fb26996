import ZizhuCore
import ZizhuIngest

/// The `ingest` stage: one input's files, opened (plain, gzip, zip, standard input or a pipe) and
/// read as CSV with the input's encoding and delimiter, if it forces them.
final class IngestStage {
    let input: PipelineDefinition.Input
    let options: CSVOptions

    init(input: PipelineDefinition.Input) throws {
        self.input = input
        var options = CSVOptions()
        if let encoding = input.encoding {
            guard let value = TextEncoding(rawValue: encoding.uppercased()) else {
                throw ZizhuError(.pipeline, Message("pipeline.encoding", ["mark": "\(input.mark)", "encoding": encoding]),
                                 hint: Message("pipeline.encoding.hint"))
            }
            options.encoding = value
        }
        if let delimiter = input.delimiter {
            switch delimiter.lowercased() {
            case ",", "comma": options.delimiter = 0x2C
            case "\t", "tab", "\\t": options.delimiter = 0x09
            default: throw ZizhuError(.pipeline, Message("pipeline.delimiter", ["mark": "\(input.mark)"]))
            }
        }
        self.options = options
    }
}
