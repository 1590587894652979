/// The findings the daemon has logged, so that each new or resolved finding
/// is logged once, not on every event or sweep.
public struct FindingLedger: Sendable {
    public private(set) var current: Set<Finding> = []

    public init() {}

    public struct Change: Sendable, Equatable {
        public var new: [Finding]
        public var resolved: [Finding]
    }

    /// Replaces every finding (after a full sweep).
    public mutating func replaceAll(with findings: [Finding]) -> Change {
        let fresh = Set(findings)
        defer { current = fresh }
        return Change(new: sorted(fresh.subtracting(current)), resolved: sorted(current.subtracting(fresh)))
    }

    /// Replaces the findings about these root entries (after a re-check of them).
    public mutating func replace(slugs: Set<String>, with findings: [Finding]) -> Change {
        let fresh = Set(findings.filter { slugs.contains($0.slug) })
        let old = current.filter { slugs.contains($0.slug) }
        current.subtract(old)
        current.formUnion(fresh)
        return Change(new: sorted(fresh.subtracting(old)), resolved: sorted(old.subtracting(fresh)))
    }

    private func sorted(_ findings: Set<Finding>) -> [Finding] {
        findings.sorted(by: Finding.reportOrder)
    }
}
