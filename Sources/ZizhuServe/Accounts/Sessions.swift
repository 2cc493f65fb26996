import Crypto
import Foundation
import ZizhuCore

/// A signed-in account: the session's CSRF token goes into every form and is checked on every POST.
public struct Session: Sendable {
    public var account: Account
    public var csrf: String
}

/// How many failed logins are allowed, per account name and per address, within a window.
public struct LoginThrottle: Sendable {
    public var perAccount: Int
    public var perAddress: Int
    public var window: TimeInterval

    public init(perAccount: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
        self.perAccount = perAccount
        self.perAddress = perAddress
        self.window = window
    }
}

extension ServeStore {
    /// Session lifetime: one working day.
    static let sessionLifetime: TimeInterval = 10 * 3600

    /// Starts a session: returns the cookie's token (only its SHA-256 is stored) and the session.
    func openSession(for account: Account) throws -> (token: String, session: Session) {
        let token = Tokens.random()
        let csrf = Tokens.random()
        let now = clock.now().timeIntervalSince1970
        try database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?", arguments: [now])
            try db.execute(sql: "INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Tokens.digest(token), account.id, csrf, now, now + Self.sessionLifetime])
        }
        return (token, Session(account: account, csrf: csrf))
    }

    /// The live session of a cookie's token, or nil.
    func session(token: String) throws -> Session? {
        let now = clock.now().timeIntervalSince1970
        return try database.read { db in
            guard let row = try StoreRow.fetchOne(db, sql: """
                SELECT accounts.*, sessions.csrf AS csrf FROM sessions JOIN accounts ON accounts.id = sessions.account_id
                WHERE sessions.token_hash = ? AND sessions.expires_at >= ?
                """, arguments: [Tokens.digest(token), now]) else { return nil }
            return Session(account: try Account(row: row), csrf: row["csrf"])
        }
    }

    func closeSession(token: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [Tokens.digest(token)])
        }
    }

    /// Whether a login for `name` from `address` is refused before its password is even checked.
    func loginThrottled(name: String, address: String, limits: LoginThrottle) throws -> Bool {
        let since = clock.now().timeIntervalSince1970 - limits.window
        return try database.read { db in
            let byAccount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM login_failures WHERE kind = 'account' AND key = ? AND at > ?",
                                             arguments: [name, since]) ?? 0
            let byAddress = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM login_failures WHERE kind = 'address' AND key = ? AND at > ?",
                                             arguments: [address, since]) ?? 0
            return byAccount >= limits.perAccount || byAddress >= limits.perAddress
        }
    }

    func recordLoginFailure(name: String, address: String) throws {
        let now = clock.now().timeIntervalSince1970
        try database.write { db in
            try db.execute(sql: "INSERT INTO login_failures (kind, key, at) VALUES ('account', ?, ?), ('address', ?, ?)",
                           arguments: [name, now, address, now])
        }
    }

    func clearLoginFailures(name: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE kind = 'account' AND key = ?", arguments: [name])
        }
    }
}

/// Random tokens for sessions and CSRF, and the digest under which a session token is stored.
enum Tokens {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares without stopping at the first difference.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
