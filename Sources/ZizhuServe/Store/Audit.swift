import Foundation

/// What the audit log records (the issue: upload, run, submit, download, unmask, note; and logins).
public enum AuditAction: String, Sendable {
    case login, loginFailed = "login-failed", logout, upload, run, submit, download, unmask, note, accountAdded = "account-added", schoolKept = "school-kept", tokenAdded = "token-added"
}

/// One line of the audit log.
public struct AuditEntry: Sendable, Hashable {
    public var at: Date
    public var account: String
    public var action: String
    public var object: String
    public var address: String
}

extension ServeStore {
    /// Appends to the audit log (never rewritten).
    public func audit(_ action: AuditAction, account: String, object: String, address: String = "-") throws {
        let now = clock.now().timeIntervalSince1970
        try database.write { db in
            try db.execute(sql: "INSERT INTO audit (at, account, action, object, address) VALUES (?, ?, ?, ?, ?)",
                           arguments: [now, account, action.rawValue, object, address])
        }
    }

    /// The log, oldest first.
    public func auditLog() throws -> [AuditEntry] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id").map { row in
                AuditEntry(at: Date(timeIntervalSince1970: row["at"]), account: row["account"], action: row["action"],
                           object: row["object"], address: row["address"])
            }
        }
    }
}
