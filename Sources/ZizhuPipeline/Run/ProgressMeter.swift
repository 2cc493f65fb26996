import Foundation

/// Progress on a terminal: one line on stderr, redrawn at most five times a second; silent when
/// stderr is not a terminal or with `--quiet`, so logs and pipes stay clean.
public final class ProgressMeter: @unchecked Sendable {
    private let enabled: Bool
    private var last = Date.distantPast
    private var started = Date()
    private var drawn = false

    public init(quiet: Bool) {
        enabled = !quiet && isatty(2) == 1
    }

    /// Shows `label` with rows and megabytes so far (the rate from when `begin` was called).
    public func update(_ label: String, rows: Int, bytes: Int64) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.2 else { return }
        last = now
        let seconds = max(0.001, now.timeIntervalSince(started))
        let mb = Double(bytes) / 1_000_000
        let line = String(format: "%@  %@ rows  %.1f MB  %.0f MB/s", label, Self.grouped(rows), mb, mb / seconds)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        drawn = true
    }

    public func begin() { started = Date() }

    /// Clears the line.
    public func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
