/// The findings the daemon has logged, so that each new or resolved finding
/// is logged once, not on every event or sweep.
public struct FindingLedger: Sendable {
    public private(set) var current: Set<DaemonFinding> = []

    public init() {}

    public struct Change: Sendable, Equatable {
        public var new: [DaemonFinding]
        public var resolved: [DaemonFinding]
    }

    /// Replaces every finding (after a full sweep).
    public mutating func replaceAll(with findings: [DaemonFinding]) -> Change {
        let fresh = Set(findings)
        defer { current = fresh }
        return Change(new: sorted(fresh.subtracting(current)), resolved: sorted(current.subtracting(fresh)))
    }

    /// Replaces the findings about these root entries (after a re-check of them).
    public mutating func replace(subjects: Set<String>, with findings: [DaemonFinding]) -> Change {
        let fresh = Set(findings.filter { subjects.contains($0.subject) })
        let old = current.filter { subjects.contains($0.subject) }
        current.subtract(old)
        current.formUnion(fresh)
        return Change(new: sorted(fresh.subtracting(old)), resolved: sorted(old.subtracting(fresh)))
    }

    private func sorted(_ findings: Set<DaemonFinding>) -> [DaemonFinding] {
        findings.sorted { ($0.subject, $0.kind, $0.detail) < ($1.subject, $1.kind, $1.detail) }
    }
}
