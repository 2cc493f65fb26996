import Foundation
import ZizhuCore

/// What every harness shares: the fuzz input read as selector bytes
/// then payload, a scratch folder for inputs that must be files, and the one rule checked on every
/// error (input never crashes the program, and what it throws is a `ZizhuError`).
public enum Fuzz {
    /// A folder of this process's own for the inputs that must be files (in `$ZIZHU_FUZZ_TMP`, else
    /// the system's temporary folder); removed when libFuzzer exits normally.
    public static let scratch: String = {
        let base = ProcessInfo.processInfo.environment["ZIZHU_FUZZ_TMP"] ?? NSTemporaryDirectory()
        let path = (base as NSString).appendingPathComponent("zizhu-fuzz-\(getpid())")
        try? FileManager.default.removeItem(atPath: path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            say("fuzz: cannot create the scratch folder \(path): \(error)")
            exit(2)
        }
        atexit { removeScratch() }
        return path
    }()

    private static func removeScratch() {
        let base = ProcessInfo.processInfo.environment["ZIZHU_FUZZ_TMP"] ?? NSTemporaryDirectory()
        try? FileManager.default.removeItem(atPath: (base as NSString).appendingPathComponent("zizhu-fuzz-\(getpid())"))
    }

    /// Writes `bytes` to `name` in the scratch folder (replacing it) and returns its path.
    public static func file<Bytes: Collection<UInt8>>(_ name: String, _ bytes: Bytes) -> String {
        let path = (scratch as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            say("fuzz: cannot write \(path)")
            exit(2)
        }
        return path
    }

    /// Every error that reaches the top of a harness must be a `ZizhuError` with a message: any
    /// other error type escaping the project's code is a finding, reported as a crash.
    public static func expectZizhuError(_ error: any Error, from what: String) {
        guard let error = error as? ZizhuError else {
            fail("\(what) threw \(type(of: error)), not a ZizhuError: \(error)")
        }
        if error.message.isEmpty { fail("\(what) threw a ZizhuError with an empty message: \(error)") }
    }

    /// Writes one line to standard error.
    public static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Reports a broken invariant as a crash, so libFuzzer saves the input.
    public static func fail(_ message: String) -> Never {
        say("fuzz: \(message)")
        abort()
    }
}

/// The fuzz input: leading selector bytes pick the path through the code, the rest is the payload.
public struct FuzzInput {
    public private(set) var rest: UnsafeBufferPointer<UInt8>

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        rest = UnsafeBufferPointer(start: size > 0 ? data : nil, count: size > 0 ? size : 0)
    }

    /// The next byte (0 once the input is used up).
    public mutating func selector() -> UInt8 {
        guard let first = rest.first else { return 0 }
        rest = UnsafeBufferPointer(rebasing: rest.dropFirst())
        return first
    }

    /// The remaining bytes as an array.
    public var payload: [UInt8] { Array(rest) }
}
