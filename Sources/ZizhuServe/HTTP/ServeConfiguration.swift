import Foundation

/// How `zizhu serve` runs: where its data lives, where it listens, its limits.
public struct ServeConfiguration: Sendable {
    /// `--data DIR`: serve.sqlite, blobs/, tmp/, jobs/.
    public var dataFolder: String
    public var host = "127.0.0.1"
    public var port = 8080
    /// The term the upload form offers first.
    public var term = "2023-fall"
    /// Largest request body of an upload (both files and the form together).
    public var maxUploadBytes: Int64 = 100 << 20
    /// Job workers: 1 or 2 (the machine has 2 cores; pages must stay fast).
    public var workers = 1
    public var bcryptCost: UInt8 = Passwords.defaultCost
    public var throttle = LoginThrottle()
    /// Mark cookies Secure (behind HTTPS). Off on loopback, where browsers have no HTTPS.
    public var secureCookies = false
    public var clock = ServeClock.system
    /// Roles that may see whole ids (an unmask, audited): none by default; never the admin.
    public var unmaskRoles: Set<Role> = []
    /// `--trust DIR`: one `<school_code>.pub` per school. An uploaded package and every merge are verified
    /// against it (M06 when a package is unsigned or not signed by its school's key); nil: signatures
    /// are checked on their own only.
    public var trustFolder: String?
    /// `store:` — nil or `sqlite`: `DATA/serve.sqlite`; a `postgres://` URL: the server's own state there
    /// (accounts, sessions, tokens, jobs, audit, schools, submissions). Uploads stay under `DATA` either way.
    public var store: String?
    /// `history:` — where reconcile and merge runs record: nil means `DATA/history.sqlite`; a file or a `postgres://` URL.
    public var history: String?

    /// The run history's location: `history:` or `DATA/history.sqlite`.
    public var historyLocation: String { history ?? "\(dataFolder)/history.sqlite" }

    public init(dataFolder: String) {
        self.dataFolder = dataFolder
    }

    /// Parses `--listen HOST:PORT` (or `:PORT`, or `PORT`).
    public mutating func setListen(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let hostPart = parts.count > 1 ? parts.dropLast().joined(separator: ":") : ""
        guard let portText = parts.last, let port = Int(portText), (0...65535).contains(port) else { return false }
        if !hostPart.isEmpty { host = hostPart }
        self.port = port
        return true
    }
}
