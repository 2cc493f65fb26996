import Testing
import ZizhuCore
import ZizhuIngest
import ZizhuIO

/// Strict UTF-8 (RFC 3629) at every chunk size: the boundary cases on both sides.
@Suite struct UTF8ValidationTests {
    static func read(_ bytes: [UInt8], chunk: Int) throws -> ReadResult {
        var options = CSVOptions()
        options.encoding = .utf8
        options.chunkSize = chunk
        return try readAll(bytes, options: options)
    }

    @Test(arguments: [
        [0xE0, 0xA0, 0x80],        // U+0800, smallest three-byte
        [0xED, 0x9F, 0xBF],        // U+D7FF, just below the surrogates
        [0xEE, 0x80, 0x80],        // U+E000, just above them
        [0xF0, 0x90, 0x80, 0x80],  // U+10000, smallest four-byte
        [0xF4, 0x8F, 0xBF, 0xBF],  // U+10FFFF, the last scalar
        [0xC2, 0x80],              // U+0080, smallest two-byte
        [0xE4, 0xB8, 0xAD],        // 中
    ] as [[UInt8]])
    func acceptsBoundaryScalars(_ sequence: [UInt8]) throws {
        let bytes = Array("a,".utf8) + sequence + Array("\nb,c\n".utf8)
        for chunk in 1...bytes.count {
            let result = try Self.read(bytes, chunk: chunk)
            #expect(result.records[0][1] == String(decoding: sequence, as: UTF8.self), "chunk \(chunk)")
        }
    }

    @Test(arguments: [
        [0xC0, 0x80],              // overlong NUL
        [0xC1, 0xBF],              // overlong
        [0xE0, 0x9F, 0xBF],        // overlong three-byte
        [0xED, 0xA0, 0x80],        // surrogate D800
        [0xF0, 0x8F, 0xBF, 0xBF],  // overlong four-byte
        [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],  // no such lead byte
        [0x80],                    // lone continuation
        [0xE4, 0xB8, 0x2C],        // cut short by a comma
        [0xFF],
    ] as [[UInt8]])
    func rejectsInvalidSequencesAtTheirFirstByte(_ sequence: [UInt8]) throws {
        let prefix = Array("h\n1,".utf8)
        let bytes = prefix + sequence + Array("\n".utf8)
        for chunk in 1...bytes.count {
            let error = #expect(throws: ZizhuError.self) { _ = try Self.read(bytes, chunk: chunk) }
            #expect(error?.code == .invalidEncoding, "chunk \(chunk)")
            #expect(error?.position?.byteOffset == Int64(prefix.count), "chunk \(chunk)")
            #expect(error?.position?.line == 2, "chunk \(chunk)")
        }
    }

    @Test func characterCutByTheEndOfInputIsAnError() throws {
        let bytes = Array("a,".utf8) + [0xE4, 0xB8]
        for chunk in 1...bytes.count {
            let error = #expect(throws: ZizhuError.self) { _ = try Self.read(bytes, chunk: chunk) }
            #expect(error?.code == .invalidEncoding)
            #expect(error?.position?.byteOffset == 2)
        }
    }
}
