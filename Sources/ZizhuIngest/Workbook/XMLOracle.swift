import ZizhuCore
import ZizhuIO

/// The differential check of the workbook's XML scanner against expat, for the fuzz harness
/// (`@_spi(Oracle) import ZizhuIngest`): not part of the product's interface.
@_spi(Oracle)
public enum XMLOracle {
    /// How the two parsers read `document` differently, fed in chunks of `chunkSize` bytes (the
    /// scanner) and whole (expat), or nil when they agree: the same elements, attributes and
    /// character data, or both refusing it with the same catalogue words.
    public static func difference(_ document: [UInt8], chunkSize: Int) -> String? {
        let oracle = outcome(.expat, document, chunkSize: 1 << 16)
        let scanned = outcome(.scanner, document, chunkSize: max(1, chunkSize))
        guard oracle != scanned else { return nil }
        return "expat:\n\(oracle)\nscanner (chunks of \(chunkSize)):\n\(scanned)"
    }

    private static func outcome(_ engine: XMLEngine, _ document: [UInt8], chunkSize: Int) -> String {
        let log = EventLog()
        do {
            let position = InputPosition(file: "oracle.xml")
            try engine.parser(log, position: position).parse(ByteInput.memory(document, name: "oracle.xml"), chunkSize: chunkSize)
            return log.result.joined(separator: "\n")
        } catch let error as ZizhuError {
            return "refused: " + (error.words?.key ?? error.message)
        } catch {
            return "refused, not with a ZizhuError: \(error)"
        }
    }

    /// Every event as a line; character data joined (the parsers cut it differently). The
    /// scanner's oracle tests read events through it too.
    final class EventLog: XMLEvents {
        private var lines: [String] = []
        private var text: [UInt8] = []

        init() {}

        private func flushText() {
            guard !text.isEmpty else { return }
            lines.append("T " + String(decoding: text, as: UTF8.self).debugDescription)
            text.removeAll()
        }

        func start(_ name: XMLName, _ attributes: XMLAttributes) throws {
            flushText()
            var line = "S " + String(decoding: name.bytes, as: UTF8.self)
            attributes.forEach { key, value in
                line += " " + String(decoding: key.bytes, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self).debugDescription
            }
            lines.append(line)
        }

        func end(_ name: XMLName) throws {
            flushText()
            lines.append("E " + String(decoding: name.bytes, as: UTF8.self))
        }

        func text(_ bytes: UnsafeBufferPointer<UInt8>) throws { text.append(contentsOf: bytes) }

        var result: [String] {
            flushText()
            return lines
        }
    }
}
