// libFuzzer harness: arbitrary bytes → pipeline YAML → PipelineDefinition.parse → CompiledPipeline.compile.
// The whole input is the YAML text (bytes that are not UTF-8 are replaced, as a text editor would).
// See Fuzz/README.md.
import FuzzSupport
import ZizhuPipeline

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipelineYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: FuzzInput(data, size).rest, as: UTF8.self)
    do {
        _ = try CompiledPipeline.compile(try PipelineDefinition.parse(text, file: "fuzz.yaml"))
    } catch {
        Fuzz.expectZizhuError(error, from: "loading the pipeline")
    }
    return 0
}
