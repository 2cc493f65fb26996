import Foundation

/// Runs the built `zizhu` binary (argument-parser's MathExampleTests pattern): SwiftPM builds
/// it next to the test bundle.
public enum CLI {
    /// The `zizhu` executable next to the running tests, or nil when it was not built.
    public static var binary: URL? {
        var dir = Bundle.main.executableURL?.deletingLastPathComponent()
        for _ in 0..<4 {
            if let d = dir {
                let candidate = d.appendingPathComponent("zizhu")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                dir = d.deletingLastPathComponent()
            }
        }
        return nil
    }

    public struct NotBuilt: Error, CustomStringConvertible {
        public var description: String { "the zizhu executable must be built next to the tests" }
    }

    /// `run` with English words (`ZIZHU_LANG=en`, unless `environment` sets it): for tests of
    /// behaviour that match on the English text; Chinese is the default.
    @discardableResult
    public static func runEnglish(_ arguments: [String], stdin: Data? = nil,
                                  environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        try run(arguments, stdin: stdin, environment: ["ZIZHU_LANG": "en"].merging(environment) { $1 })
    }

    /// Runs `zizhu` with `arguments`, feeding `stdin` when given, and returns its exit status
    /// and what it printed.
    @discardableResult
    public static func run(_ arguments: [String], stdin: Data? = nil,
                           environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        guard let binary = Self.binary else { throw NotBuilt() }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        // The words must not depend on the machine's locale (a CI machine with LANG=en_US.UTF-8 would
        // turn every "Chinese by default" test English): the language variables are the test's alone.
        var inherited = ProcessInfo.processInfo.environment
        for name in ["ZIZHU_LANG", "LANG", "LC_ALL", "LC_MESSAGES"] { inherited[name] = nil }
        process.environment = inherited.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        } else {
            try process.run()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
