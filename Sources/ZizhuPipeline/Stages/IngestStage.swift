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
                throw ZizhuError(.pipeline, "\(input.mark): unknown encoding '\(encoding)'", hint: "use UTF-8, UTF-8-BOM, UTF-16LE, UTF-16BE or GB18030")
            }
            options.encoding = value
        }
        if let delimiter = input.delimiter {
            switch delimiter.lowercased() {
            case ",", "comma": options.delimiter = 0x2C
            case "\t", "tab", "\\t": options.delimiter = 0x09
            default: throw ZizhuError(.pipeline, "\(input.mark): delimiter must be comma or tab")
            }
        }
        self.options = options
    }
}
