import ZizhuCore

extension Reconciler {
    /// Notes for people, in the order they were made, at most `cap` of each kind (then one line
    /// saying how many more there were).
    struct NoteLog: Sendable {
        private var lines: [String] = []
        private var counts: [String: Int] = [:]
        private var kinds: [String] = []
        static let cap = 20

        mutating func add(_ kind: String, _ line: String) {
            if admit(kind) { lines.append(line) }
        }

        /// Counts a note of `kind` and says whether its text will be kept (under the cap): the
        /// caller builds the text only then, and hands it to `keep`.
        mutating func admit(_ kind: String) -> Bool {
            let n = counts[kind, default: 0]
            if n == 0 { kinds.append(kind) }
            counts[kind] = n + 1
            return n < Self.cap
        }

        mutating func keep(_ line: String) { lines.append(line) }

        func finished(_ language: Language) -> [String] {
            var all = lines
            for kind in kinds {
                let n = counts[kind, default: 0]
                if n > Self.cap { all.append(language("note.reconcile.more", ["count": "\(n - Self.cap)", "kind": kind])) }
            }
            return all
        }
    }
}
