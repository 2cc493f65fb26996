import Foundation
import ZizhuCore

/// Per-account API tokens for `/api/v1/` (a city's or a school's own scripts): shown once when
/// made, stored only as their SHA-256, each acting as its account under the same AccessPolicy.
public struct APIToken: Sendable, Hashable {
    public var id: Int64
    public var account: String
    public var label: String
    public var createdAt: Date
}

extension ServeStore {
    /// Makes a token for the account `name`; returns the token (shown once) and its row.
    public func addToken(account name: String, label: String) throws -> (token: String, record: APIToken) {
        let label = String(label.trimmingCharacters(in: .whitespacesAndNewlines).prefix(60))
        guard let (account, _) = try credentials(name: name) else {
            throw ZizhuError(.usage, Message("serveError.noAccount", ["name": name]), hint: Message("serveError.noAccount.hint"))
        }
        let token = "zz_" + Tokens.random()
        let now = clock.now()
        let id = try database.write { db in
            try db.insert(sql: "INSERT INTO api_tokens (token_hash, account_id, label, created_at) VALUES (?, ?, ?, ?)",
                          arguments: [Tokens.digest(token), account.id, label, now.timeIntervalSince1970])
        }
        return (token, APIToken(id: id, account: account.name, label: label, createdAt: now))
    }

    /// The account a bearer token acts as, or nil.
    func account(apiToken token: String) throws -> Account? {
        guard token.hasPrefix("zz_") else { return nil }
        return try database.read { db in
            try StoreRow.fetchOne(db, sql: """
                SELECT accounts.* FROM api_tokens JOIN accounts ON accounts.id = api_tokens.account_id WHERE api_tokens.token_hash = ?
                """, arguments: [Tokens.digest(token)]).map { try Account(row: $0) }
        }
    }

    /// An account's tokens (never the tokens themselves), newest first.
    public func tokens(account name: String) throws -> [APIToken] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: """
                SELECT api_tokens.id, api_tokens.label, api_tokens.created_at, accounts.name FROM api_tokens
                JOIN accounts ON accounts.id = api_tokens.account_id WHERE accounts.name = ? ORDER BY api_tokens.id DESC
                """, arguments: [name]).map { row in
                APIToken(id: row["id"], account: row["name"], label: row["label"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }

    /// Whether a token's digest is what the store holds (tests: never the token itself).
    func storesTokenInClear(_ token: String) throws -> Bool {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR label = ?", arguments: [token, token]) ?? 0 > 0
        }
    }
}
