import Testing
@testable import ZizhuPipeline

@Suite("Pipeline: when the history writes a run's rows")
struct HistoryWritingTests {
    @Test("the store's writing waits for the report stage's outputs only beside a pending output thread on two cores or fewer")
    func defersOnlyBesidePendingOutputOnTwoCores() {
        #expect(HistoryHook.defersWriting(besidePendingOutput: true, cores: 1))
        #expect(HistoryHook.defersWriting(besidePendingOutput: true, cores: 2))
        #expect(!HistoryHook.defersWriting(besidePendingOutput: true, cores: 3))
        #expect(!HistoryHook.defersWriting(besidePendingOutput: false, cores: 2))
        #expect(!HistoryHook.defersWriting(besidePendingOutput: false, cores: 1))
    }
}
