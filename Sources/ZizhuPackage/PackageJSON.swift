import Foundation

/// The JSON of a package's `manifest.json` and `declaration.json`: sorted keys, pretty printed,
/// snake_case keys, no escaped slashes, a trailing newline — the same value always gives the
/// same bytes. (ZizhuReport's `JSONOutput` writes the same; this target does not depend on it.)
public enum PackageJSON {
    /// The file bytes for `value`.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var bytes = [UInt8](try encoder.encode(value))
        bytes.append(0x0A)
        return bytes
    }

    /// Reads a value written by `encode` (snake_case keys).
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(bytes))
    }
}
