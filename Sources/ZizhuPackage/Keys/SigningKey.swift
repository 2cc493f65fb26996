import Crypto
import Foundation
import ZizhuCore

/// An Ed25519 public key: what a province keeps in its trust folder as `<school_code>.pub`.
public struct PublicSigningKey: Sendable, Hashable, CustomStringConvertible {
    /// The raw 32 bytes.
    public let rawRepresentation: [UInt8]

    /// A key from its raw 32 bytes; anything else is `.configuration`.
    public init(rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == 32,
              (try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)) != nil else {
            throw ZizhuError(.configuration, Message("key.public.size", ["count": "\(rawRepresentation.count)"]))
        }
        self.rawRepresentation = rawRepresentation
    }

    /// A key from the base64 of its raw bytes (as `Declaration.Signature.publicKey` holds it).
    public init(base64: String) throws {
        guard let data = Data(base64Encoded: base64) else {
            throw ZizhuError(.configuration, Message("key.public.base64"))
        }
        try self.init(rawRepresentation: [UInt8](data))
    }

    /// The raw bytes in base64.
    public var base64: String { Data(rawRepresentation).base64EncodedString() }

    /// First 16 hex digits of SHA-256 of the raw key: a short name people can compare.
    public var keyId: String { String(Self.hex(SHA256.hash(data: rawRepresentation)).prefix(16)) }

    /// True when `signature` (64 bytes) is this key's signature of `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    public var description: String { "Ed25519 key \(keyId)" }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// An Ed25519 private key: the principal's (校长) key that signs a declaration.
///
/// Its `description` shows only the key id, so printing one never leaks it.
public struct SigningKey: Sendable, CustomStringConvertible {
    /// The raw 32-byte seed.
    let rawRepresentation: [UInt8]

    /// A new key from the system's secure random generator.
    public static func generate() -> SigningKey {
        SigningKey(checked: [UInt8](Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    /// A key from its raw 32 bytes; anything else is `.configuration`.
    public init(rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == 32,
              (try? Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)) != nil else {
            throw ZizhuError(.configuration, Message("key.private.size", ["count": "\(rawRepresentation.count)"]))
        }
        self.rawRepresentation = rawRepresentation
    }

    private init(checked raw: [UInt8]) {
        rawRepresentation = raw
    }

    private func cryptoKey() throws -> Curve25519.Signing.PrivateKey {
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
        } catch {
            throw ZizhuError(.configuration, Message("key.private.unusable", ["reason": "\(error)"]))
        }
    }

    /// The matching public key.
    public var publicKey: PublicSigningKey {
        get throws {
            try PublicSigningKey(rawRepresentation: [UInt8](cryptoKey().publicKey.rawRepresentation))
        }
    }

    /// The 64-byte Ed25519 signature of `message`.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        do {
            return [UInt8](try cryptoKey().signature(for: message))
        } catch let error as ZizhuError {
            throw error
        } catch {
            throw ZizhuError(.configuration, Message("key.signingFailed", ["reason": "\(error)"]))
        }
    }

    /// `declaration` with this key's signature over its `canonicalBytes()`.
    public func sign(_ declaration: Declaration) throws -> Declaration {
        var signed = declaration
        let key = try publicKey
        let value = try signature(for: declaration.canonicalBytes())
        signed.signature = Declaration.Signature(algorithm: Declaration.Signature.ed25519, publicKey: key.base64,
                                                 keyId: key.keyId, value: Data(value).base64EncodedString())
        return signed
    }

    public var description: String {
        if let key = try? publicKey { return "Ed25519 private key \(key.keyId)" }
        return "Ed25519 private key"
    }
}

extension Declaration.Signature {
    /// The only algorithm a declaration is signed with.
    public static let ed25519 = "Ed25519"
}
