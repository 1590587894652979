/// The findings of one drift check, with counts by kind.
public struct DriftReport: Sendable, Equatable {
    public var findings: [Finding]

    public init(findings: [Finding]) {
        self.findings = findings.sorted(by: Finding.reportOrder)
    }

    public var isClean: Bool { findings.isEmpty }

    /// How many findings of each kind (every kind present, zeros included).
    public var counts: [(kind: Finding.Kind, count: Int)] {
        Finding.Kind.allCases.map { kind in (kind, findings.count { $0.kind == kind }) }
    }

    /// "3 findings: 1 missing directory, 2 orphan directories".
    public var summary: String {
        if findings.isEmpty { return "0 findings: the tree is in step with the database" }
        let parts = counts.filter { $0.count > 0 }.map { "\($0.count) \($0.kind.phrase(count: $0.count))" }
        return "\(findings.count) finding\(findings.count == 1 ? "" : "s"): " + parts.joined(separator: ", ")
    }
}
