import Foundation
import HummingbirdBcrypt

/// bcrypt through hummingbird-auth; the hash carries its cost, so a lower cost in tests still
/// verifies with the same code.
public enum Passwords {
    /// 12: about a quarter of a second per login on this machine's kind of core.
    public static let defaultCost: UInt8 = 12

    static func hash(_ password: String, cost: UInt8) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// A new password people can type: 16 characters without look-alikes (0/O, 1/l/I).
    public static func generate() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
