import Foundation
import ZizhuCore

/// `manifest.json`: what ran, on what, producing what — enough for an auditor to re-check every
/// byte. The times are the only part that differs between two runs on the same inputs.
public struct RunManifest: Sendable, Codable {
    public var tool: String = "zizhu"
    public var version: String
    public var command: [String]
    public var pipeline: String?
    /// The effective configuration (settings after variables) and its SHA-256.
    public var configuration: [String: String]
    public var configurationSha256: String
    public var inputs: [FileDigest]
    public var outputs: [FileDigest]
    public var startedAt: String
    public var finishedAt: String

    public init(version: String, command: [String], pipeline: String?, configuration: [String: String],
                inputs: [FileDigest], outputs: [FileDigest], startedAt: Date, finishedAt: Date) {
        self.version = version
        self.command = command
        self.pipeline = pipeline
        self.configuration = configuration
        let canonical = configuration.keys.sorted().map { "\($0)=\(configuration[$0] ?? "")" }.joined(separator: "\n")
        configurationSha256 = FileDigest.sha256(Data(canonical.utf8))
        self.inputs = inputs
        self.outputs = outputs
        self.startedAt = Self.timestamp(startedAt)
        self.finishedAt = Self.timestamp(finishedAt)
    }

    /// ISO 8601 in UTC: times here are instants, so a zone is explicit.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
