import ZizhuCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A character-set converter backed by the C library's iconv (GB18030 and UTF-16 → UTF-8).
///
/// Not thread-safe: one converter per stream. The converter keeps no partial character between
/// calls; the caller keeps the unconsumed tail (see `convert(_:into:final:)`).
public final class IconvConverter {
    private let descriptor: iconv_t
    private let scratch: UnsafeMutableRawBufferPointer
    /// The source encoding, as given to iconv.
    public let from: String
    /// The target encoding, as given to iconv.
    public let to: String

    /// Why one conversion step stopped.
    public enum Stop: Sendable, Equatable {
        /// All input converted.
        case finished
        /// The output buffer is full: call again with the rest.
        case outputFull
        /// The input ends inside a multi-byte sequence: keep the tail for the next call.
        case incomplete
        /// The bytes at the stop point are not valid in the source encoding.
        case invalid
    }

    /// What one conversion step did.
    public struct Step: Sendable, Equatable {
        /// Input bytes converted.
        public var consumed: Int
        /// Output bytes written.
        public var produced: Int
        /// Why the step stopped.
        public var stop: Stop
    }

    /// Opens a converter; `.configuration` when the C library does not know an encoding.
    public init(from: String, to: String) throws {
        self.from = from
        self.to = to
        guard let handle = iconv_open(to, from), Int(bitPattern: handle) != -1 else {
            throw ZizhuError(.configuration, Message("iconv.unsupported", ["from": from, "to": to]), hint: Message("iconv.unsupported.hint"))
        }
        descriptor = handle
        // Any character fits in 64 KiB of output, so a step always makes progress.
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    }

    deinit {
        iconv_close(descriptor)
        scratch.deallocate()
    }

    /// Converts as much of `input` as fits into `output`. The low-level form, for hot loops.
    public func step(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Step {
        guard let inBase = input.baseAddress, input.count > 0 else { return Step(consumed: 0, produced: 0, stop: .finished) }
        guard let outBase = output.baseAddress, output.count > 0 else { return Step(consumed: 0, produced: 0, stop: .outputFull) }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: inBase).assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        var outPointer: UnsafeMutablePointer<CChar>? = outBase.assumingMemoryBound(to: CChar.self)
        var outLeft = output.count
        let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
        let code = errno
        let step = Step(consumed: input.count - inLeft, produced: output.count - outLeft, stop: .finished)
        if result != -1 { return step }
        switch code {
        case E2BIG: return Step(consumed: step.consumed, produced: step.produced, stop: .outputFull)
        case EINVAL: return Step(consumed: step.consumed, produced: step.produced, stop: .incomplete)
        default: return Step(consumed: step.consumed, produced: step.produced, stop: .invalid)
        }
    }

    /// Converts `input`, appending to `output`; returns how many input bytes were consumed.
    ///
    /// An incomplete multi-byte sequence at the end is left unconsumed for the next call unless
    /// `final`, when it is an error. Invalid bytes throw `.invalidEncoding` whose message names
    /// their offset within `input` (also in `position.byteOffset`, relative to `input`).
    public func convert(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], final: Bool) throws -> Int {
        var consumed = 0
        while consumed < input.count {
            let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
            let result = step(rest, into: scratch)
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<result.produced]))
            consumed += result.consumed
            switch result.stop {
            case .finished, .outputFull:
                continue
            case .incomplete:
                if !final { return consumed }
                throw ZizhuError(.invalidEncoding, Message("iconv.incomplete", ["encoding": from, "offset": "\(consumed)"]),
                                 at: InputPosition(file: "", byteOffset: Int64(consumed)), hint: Message("iconv.incomplete.hint"))
            case .invalid:
                throw ZizhuError(.invalidEncoding, Message("iconv.invalid", ["offset": "\(consumed)", "encoding": from]),
                                 at: InputPosition(file: "", byteOffset: Int64(consumed)), hint: Message("iconv.invalid.hint"))
            }
        }
        return consumed
    }

    /// Converts a whole byte array (small inputs: names, tests).
    public static func convert(_ bytes: [UInt8], from: String, to: String) throws -> [UInt8] {
        let converter = try IconvConverter(from: from, to: to)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        _ = try bytes.withUnsafeBytes { try converter.convert($0, into: &output, final: true) }
        return output
    }
}
