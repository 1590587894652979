/// What the daemon's last repairing sweep repaired, in the tree's sweep file
/// (`.persona-registry.last-repair`), so that `reconcile` beside a serving daemon
/// prints the daemon's repairs as its own: a header line, then one line per repair
/// (flat JSON lines, `FlatJSONWriter`). At most `entryLimit` repairs are listed (a first
/// sweep of a large table creates every directory; the journal has each line).
public struct RepairSweepRecord: Sendable, Equatable {
    public static let format = 1
    public static let entryLimit = 10_000

    /// When the sweep began (monotonic microseconds), as `ServiceStatus.repairSweepStartedMicroseconds`.
    public var startedMicroseconds: UInt64
    public var entries: [ReconcileEntry]
    /// Repairs made but not listed (beyond `entryLimit`).
    public var omitted: Int

    public init(startedMicroseconds: UInt64, repairs: [RepairResult] = []) {
        self.startedMicroseconds = startedMicroseconds
        entries = []
        omitted = 0
        add(repairs)
    }

    /// Repairs of a sweep read in pages, a page at a time: only the listed ones are kept
    /// (as entries, not the repairs and their rows), the rest counted.
    public mutating func add(_ repairs: [RepairResult]) {
        let room = max(0, Self.entryLimit - entries.count)
        entries += repairs.prefix(room).map(ReconcileEntry.init(result:))
        omitted += max(0, repairs.count - room)
    }

    public var fileText: String {
        var header = FlatJSONWriter()
        header.add("format", Self.format)
        header.add("started_us", Int(clamping: startedMicroseconds))
        header.add("omitted", omitted)
        var lines = [header.line]
        for entry in entries {
            var line = FlatJSONWriter()
            line.add("action", entry.action)
            line.add("slug", entry.slug)
            line.add("detail", entry.detail)
            line.add("error", entry.error)
            lines.append(line.line)
        }
        return lines.map { $0 + "\n" }.joined()
    }

    public init?(fileText: some StringProtocol) {
        var lines = fileText.split(separator: "\n")[...]
        guard let first = lines.popFirst(), let header = FlatJSONObject.parse(first, unicodeEscapes: true),
              header["format"] == .integer(Self.format), case .integer(let started)? = header["started_us"],
              let startedMicroseconds = UInt64(exactly: started), case .integer(let omitted)? = header["omitted"] else { return nil }
        var entries: [ReconcileEntry] = []
        for line in lines {
            guard let members = FlatJSONObject.parse(line, unicodeEscapes: true),
                  case .string(let action)? = members["action"], case .string(let slug)? = members["slug"],
                  case .string(let detail)? = members["detail"] else { return nil }
            var error: String?
            if case .string(let text)? = members["error"] { error = text }
            entries.append(ReconcileEntry(action: action, slug: slug, detail: detail, error: error))
        }
        self.startedMicroseconds = startedMicroseconds
        self.entries = entries
        self.omitted = omitted
    }
}
