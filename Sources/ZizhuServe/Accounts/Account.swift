import Foundation
import ZizhuCore

/// One person's account (the notice: one person, one account; no shared logins).
public struct Account: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var role: Role
    /// A school code (学校用户, 校长用户), a region code (财务, 市, 省) or `-` (管理员).
    public var scope: String

    init(row: StoreRow) throws {
        id = row["id"]
        name = row["name"]
        let roleName: String = row["role"]
        guard let role = Role(rawValue: roleName) else {
            throw ZizhuError(.configuration, Message("serveError.account.unknownRole", ["name": row["name"] as String, "role": roleName]))
        }
        self.role = role
        scope = row["scope"]
    }
}

extension ServeStore {
    /// Adds an account. The password is hashed with bcrypt before it reaches the store. A second
    /// 校长用户 for one school, a taken name or a scope of the wrong shape is a usage error.
    public func addAccount(name: String, role: Role, scope: String, password: String,
                           cost: UInt8 = Passwords.defaultCost) throws -> Account {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard AccountRules.isValidName(name) else {
            throw ZizhuError(.usage, Message("serveError.account.name", ["name": name]),
                             hint: Message("serveError.account.name.hint"))
        }
        let scope = try AccountRules.normalizedScope(scope, for: role)
        try AccountRules.checkPassword(password)
        let hash = Passwords.hash(password, cost: cost)
        let now = clock.now().timeIntervalSince1970
        do {
            return try database.write { db in
                if try StoreRow.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE name = ?", arguments: [name]) != nil {
                    throw ZizhuError(.usage, Message("serveError.account.taken", ["name": name]), hint: Message("serveError.account.taken.hint"))
                }
                if role == .principal,
                   let other = try String.fetchOne(db, sql: "SELECT name FROM accounts WHERE role = 'principal' AND scope = ?",
                                                   arguments: [scope]) {
                    throw ZizhuError(.usage, Message("serveError.account.principalTaken", ["scope": scope, "other": other]),
                                     hint: Message("serveError.account.principalTaken.hint"))
                }
                let id = try db.insert(sql: "INSERT INTO accounts (name, role, scope, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                                       arguments: [name, role.rawValue, scope, hash, now])
                return Account(unchecked: id, name: name, role: role, scope: scope)
            }
        } catch let error as ZizhuError {
            throw error
        } catch {
            throw ZizhuError(.ioFailure, Message("serveError.account.add", ["reason": "\(error)"]))
        }
    }

    /// The account and its bcrypt hash, by login name.
    func credentials(name: String) throws -> (Account, String)? {
        try database.read { db in
            guard let row = try StoreRow.fetchOne(db, sql: "SELECT * FROM accounts WHERE name = ?", arguments: [name]) else {
                return nil
            }
            return (try Account(row: row), row["password_hash"])
        }
    }

    /// Every account, by role then name (the admin page).
    public func accounts() throws -> [Account] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM accounts ORDER BY role, name").map { try Account(row: $0) }
        }
    }
}

extension Account {
    init(unchecked id: Int64, name: String, role: Role, scope: String) {
        self.id = id
        self.name = name
        self.role = role
        self.scope = scope
    }
}

/// What an account's name, scope and password must look like.
enum AccountRules {
    static func isValidName(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        return (2...40).contains(name.count) && name.allSatisfy { allowed.contains($0) }
    }

    /// A school code (letters and digits, up to 20), a 6-digit region code, or `-` for the admin.
    static func normalizedScope(_ scope: String, for role: Role) throws -> String {
        let scope = scope.trimmingCharacters(in: .whitespaces)
        switch role.scopeKind {
        case .none:
            guard scope.isEmpty || scope == "-" else {
                throw ZizhuError(.usage, Message("serveError.account.adminScope"), hint: Message("serveError.account.adminScope.hint"))
            }
            return "-"
        case .school:
            let ok = (1...20).contains(scope.count) && scope.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            guard ok else {
                throw ZizhuError(.usage, Message("serveError.account.schoolScope", ["role": role.title, "scope": scope]),
                                 hint: Message("serveError.account.schoolScope.hint"))
            }
            return scope.uppercased()
        case .region:
            guard scope.count == 6, scope.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw ZizhuError(.usage, Message("serveError.account.regionScope", ["role": role.title, "scope": scope]),
                                 hint: Message(role == .province ? "serveError.account.provinceScope.hint" : "serveError.account.regionScope.hint"))
            }
            return scope
        }
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= 10 else {
            throw ZizhuError(.usage, Message("serveError.password.short"),
                             hint: Message("serveError.password.short.hint"))
        }
        guard password.utf8.count <= 72 else {
            throw ZizhuError(.usage, Message("serveError.password.long"))
        }
    }
}
