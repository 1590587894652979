/// What `status` prints: whether a daemon serves the tree and, from its status file,
/// what it does. `text` is for a person (names escaped), `json` for scripts (at least
/// `serving` and `pid`, always present).
public struct StatusReport: Sendable, Equatable {
    public var tree: String
    public var serving: Bool
    public var pid: Int32?
    /// The daemon's status file, when it is the serving daemon's own.
    public var status: ServiceStatus?
    /// Not served because a `reconcile` holds the tree's lock for its run.
    public var reconciling = false

    public init(tree: String, serving: Bool, pid: Int32?, status: ServiceStatus?) {
        self.tree = tree
        self.serving = serving
        self.pid = pid
        self.status = status
    }

    public func text() -> String {
        var lines = ["tree: " + Escaping.escaped(tree)]
        guard serving else {
            let why = reconciling ? "a reconcile holds the tree's lock for its run" : "no daemon holds the tree's lock"
            return (lines + ["served: no (\(why))"]).map { $0 + "\n" }.joined()
        }
        lines.append("served: yes, by pid " + (pid.map { String($0) } ?? "unknown"))
        guard let status else {
            lines.append("state: unknown (the daemon has not written its status file yet)")
            return lines.map { $0 + "\n" }.joined()
        }
        lines.append("since: " + Escaping.escaped(status.startedAt))
        lines.append("state: \(status.phase.rawValue)")
        lines.append("personas: \(status.personas) (\(status.activePersonas) active)")
        if let sweep = status.lastSweep {
            lines.append("last sweep: \(Escaping.escaped(sweep.finishedAt)), \(Escaping.escaped(sweep.policy)), \(sweep.personas) personas, "
                + "\(Self.seconds(sweep.milliseconds)) s" + (sweep.failed ? ", failed" : "") + " (\(status.sweeps) since start)")
        } else {
            lines.append("last sweep: none yet")
        }
        let total = status.findings.values.reduce(0, +)
        lines.append("findings: " + (total == 0 ? "none" : "\(total) ("
            + Finding.Kind.allCases.compactMap { kind in status.findings[kind].map { "\($0) \(kind.rawValue)" } }.joined(separator: ", ") + ")"))
        if status.failingEntries > 0 { lines.append("failing entries: \(status.failingEntries) (retried with backoff)") }
        lines.append("last error: " + (status.lastError.map { Escaping.escaped($0) + " (at \(Escaping.escaped(status.lastErrorAt ?? "?")))" } ?? "none"))
        return lines.map { $0 + "\n" }.joined()
    }

    public func json() -> String {
        var pairs: [(String, String)] = [
            ("serving", serving ? "true" : "false"),
            ("pid", pid.map { String($0) } ?? "null"),
            ("tree", JSONText.string(tree)),
        ]
        if let status {
            let findings = JSONText.object(Finding.Kind.allCases.compactMap { kind in
                status.findings[kind].map { (kind.rawValue, String($0)) } }, indent: "  ")
            pairs += [
                ("started_at", JSONText.string(status.startedAt)),
                ("state", JSONText.string(status.phase.rawValue)),
                ("personas", String(status.personas)),
                ("active_personas", String(status.activePersonas)),
                ("sweeps", String(status.sweeps)),
                ("last_sweep", status.lastSweep.map { sweep in
                    JSONText.object([("finished_at", JSONText.string(sweep.finishedAt)), ("seconds", Self.seconds(sweep.milliseconds)),
                                     ("personas", String(sweep.personas)), ("policy", JSONText.string(sweep.policy)),
                                     ("failed", sweep.failed ? "true" : "false")], indent: "  ")
                } ?? "null"),
                ("findings", findings),
                ("failing_entries", String(status.failingEntries)),
                ("last_error", status.lastError.map(JSONText.string) ?? "null"),
                ("last_error_at", status.lastErrorAt.map(JSONText.string) ?? "null"),
            ]
        } else {
            pairs.append(("state", serving ? "null" : JSONText.string(reconciling ? "reconciling" : "not_served")))
        }
        return JSONText.object(pairs) + "\n"
    }

    /// Milliseconds as seconds with three decimals (`1.234`).
    static func seconds(_ milliseconds: Int) -> String {
        // A status file is outside input: a negative figure is shown as 0, never trapped on.
        let milliseconds = max(0, milliseconds)
        let fraction = String(milliseconds % 1_000)
        return "\(milliseconds / 1_000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
