import Foundation

/// A fresh temporary folder for one test, removed by `cleanUp()`.
public struct ScratchFolder: Sendable {
    public let path: String

    /// - Parameter prefix: the start of the folder's name, to tell the tests' folders apart.
    public init(prefix: String = "zizhu-test") throws {
        path = FileManager.default.temporaryDirectory.path + "/\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public var url: URL { URL(fileURLWithPath: path) }

    /// The path of `name` inside the folder (not created).
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    public func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The name the IO tests know the scratch folder by.
public typealias TemporaryDirectory = ScratchFolder

/// The bytes of the file at `path`.
public func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}
