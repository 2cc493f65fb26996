import Foundation
import ZizhuCore

/// Opening a PostgreSQL history: the backend, migrated, and the secret behind the student keys.
///
/// The secret cannot sit beside a server's store as it sits beside a SQLite file, and it must stay
/// out of the database (a copy of the database alone must not test guessed ids). It is a file on
/// the officer's machine: `ZIZHU_HISTORY_SECRET` names it, else
/// `~/.config/zizhu/history-HOST-PORT-DATABASE[-SCHEMA].secret`. Every officer writing into one
/// history needs the same file (a different secret gives every student a different key), so the
/// database keeps a check value of the secret (an HMAC of a fixed text under it, which reveals
/// nothing of it) and a run with another secret is refused before it writes anything. The first
/// run on an empty history makes the secret and stores its check value.
extension PostgresHistoryBackend {
    /// The environment variable naming the secret file of a PostgreSQL history.
    public static let secretVariable = "ZIZHU_HISTORY_SECRET"

    /// Opens the history at `url`: connects, migrates, loads (or makes) the secret and checks it.
    public static func openHistory(url: String, secretPath: String? = nil,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) throws -> History {
        let backend = try PostgresHistoryBackend(url: url, environment: environment)
        try backend.migrate()
        let path: String
        if let secretPath {
            path = secretPath
        } else {
            path = try defaultSecretPath(for: try PostgresLocation(url: url, environment: environment), environment: environment)
        }
        let secret = try HistorySecret.loadOrCreate(at: path)
        try backend.checkSecret(secret, path: path)
        return History(backend: backend, secret: secret)
    }

    /// `ZIZHU_HISTORY_SECRET`, else a file per server and database under `~/.config/zizhu/` (the folder made 0700).
    static func defaultSecretPath(for location: PostgresLocation, environment: [String: String]) throws -> String {
        if let path = environment[secretVariable], !path.isEmpty { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let folder = (environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config") + "/zizhu"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ZizhuError(.ioFailure, Message("historyError.secret.folder", ["folder": "\(folder)", "reason": error.localizedDescription]),
                             hint: Message("historyError.secret.folder.hint", ["variable": secretVariable]))
        }
        var name = "history-\(location.host)-\(location.port)-\(location.database)"
        if let schema = location.schema { name += "-\(schema)" }
        let safe = String(name.unicodeScalars.map { scalar -> Character in
            CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_" || scalar == "." ? Character(scalar) : "_"
        })
        return "\(folder)/\(safe).secret"
    }
}
