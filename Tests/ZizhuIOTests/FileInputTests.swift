import Foundation
import Testing
import ZizhuCore
import ZizhuIO
import ZizhuTestSupport

@Suite struct FileInputTests {
    @Test func plainFileIsPumpedInBoundedChunks() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let text = sampleText(bytes: 3 << 20)
        let path = try dir.write("big.csv", text)
        let opened = try InputOpener.open(path)
        #expect(opened.inputs.count == 1)
        #expect(opened.inputs[0].position == InputPosition(file: path))
        let (bytes, largest) = try drain(opened.inputs[0])
        #expect(bytes == text)
        #expect(largest <= 1 << 20)
        let (small, smallest) = try drain(opened.inputs[0], chunkSize: 1000)
        #expect(small == text)
        #expect(smallest <= 1000)
    }

    @Test func missingFileIsAnIOFailureWithAHint() throws {
        let error = #expect(throws: ZizhuError.self) { _ = try InputOpener.open("/nonexistent/zizhu/roster.csv") }
        #expect(error?.code == .ioFailure)
        #expect(error?.position?.file == "/nonexistent/zizhu/roster.csv")
        #expect(error?.hint?.isEmpty == false)
    }

    @Test func directoryIsRefusedWithAHint() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let error = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(dir.path) }
        #expect(error?.code == .ioFailure)
        #expect(error?.hint != nil)
    }

    @Test func standardInputIsNamedDash() throws {
        let opened = try InputOpener.open("-")
        #expect(opened.inputs.map(\.position.file) == ["-"])
    }

    @Test func namedPipeIsReadAsAStream() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let fifo = dir.file("pipe.csv")
        #expect(mkfifo(fifo, 0o600) == 0)
        let text = Array("学号,姓名\n001,张三\n".utf8)
        let packed = try Gzip.compress(text)
        // A blocking open(O_WRONLY) waits for the reader and the reader's open waits for it, so
        // the two meet whichever runs first (FileHandle's open may give up when no reader is
        // there yet, which would leave the reader waiting forever).
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            packed.withUnsafeBytes { bytes in _ = write(fd, bytes.baseAddress, bytes.count) }
            close(fd)
        }
        writer.start()
        let opened = try InputOpener.open(fifo)
        #expect(try drain(opened.inputs[0]).bytes == text)
    }

    @Test func fileNamedZipThatIsNotAZipIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let path = try dir.write("pack.zip", Array("a,b\n".utf8))
        let thrown = #expect(throws: ZizhuError.self) { _ = try InputOpener.open(path) }
        #expect(thrown?.code == .archive)
    }

    @Test func zipBytesInAStreamAreRefusedClearly() throws {
        let error = #expect(throws: ZizhuError.self) { _ = try drain(ByteInput.memory([0x50, 0x4B, 0x03, 0x04, 0, 0], name: "-")) }
        #expect(error?.code == .archive)
    }

    @Test func iconvConvertsAndKeepsAnIncompleteTail() throws {
        let gb: [UInt8] = [0xD6, 0xD0, 0xCE, 0xC4, 0x81, 0x30, 0x84]  // 中文 then 3 of ¥'s 4 bytes
        let converter = try IconvConverter(from: "GB18030", to: "UTF-8")
        var output: [UInt8] = []
        let consumed = try gb.withUnsafeBytes { try converter.convert($0, into: &output, final: false) }
        #expect(consumed == 4)
        #expect(String(decoding: output, as: UTF8.self) == "中文")
        let rest: [UInt8] = Array(gb[consumed...]) + [0x36]
        let more = try rest.withUnsafeBytes { try converter.convert($0, into: &output, final: true) }
        #expect(more == 4)
        #expect(String(decoding: output, as: UTF8.self) == "中文¥")
    }

    @Test func iconvNamesTheOffsetOfInvalidBytes() throws {
        let error = #expect(throws: ZizhuError.self) { _ = try IconvConverter.convert([0x41, 0x42, 0x80, 0x43], from: "GB18030", to: "UTF-8") }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.message.contains("offset 2") == true)
        let thrown = #expect(throws: ZizhuError.self) { _ = try IconvConverter.convert([0xD6], from: "GB18030", to: "UTF-8") }
        #expect(thrown?.code == .invalidEncoding)
        let thrown2 = #expect(throws: ZizhuError.self) { _ = try IconvConverter(from: "NO-SUCH-ENCODING", to: "UTF-8") }
        #expect(thrown2?.code == .configuration)
    }
}
