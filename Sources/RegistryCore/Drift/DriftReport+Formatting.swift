extension DriftReport: FormattedReport {
    /// Porcelain (stable): one line per finding, one per differing field for
    /// `identity_mismatch`, six tab-separated fields:
    /// `kind  slug  field  database  file  detail` (empty when not applicable).
    public func porcelain() -> String {
        var lines: [String] = []
        for finding in findings {
            if finding.differences.isEmpty {
                lines.append(Porcelain.line([finding.kind.rawValue, finding.slug, "", "", "", finding.detail]))
            } else {
                for difference in finding.differences {
                    lines.append(Porcelain.line([finding.kind.rawValue, finding.slug, difference.field,
                                                 difference.database, difference.file, ""]))
                }
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// A readable table grouped by direction, then the one-line summary.
    public func text() -> String {
        var columns = TextColumns()
        var groupStarts: [(row: Int, title: String)] = []
        for direction in Finding.Direction.allCases {
            let group = findings.filter { $0.kind.direction == direction }
            guard !group.isEmpty else { continue }
            groupStarts.append((columns.rows.count, direction.rawValue))
            for finding in group {
                let details = finding.differences.isEmpty
                    ? [Porcelain.field(finding.detail)]
                    : finding.differences.map { "\($0.field): database \($0.database), file \($0.file)" }
                for (index, detail) in details.enumerated() {
                    columns.rows.append(index == 0 ? [finding.kind.rawValue, Porcelain.field(finding.slug), detail] : ["", "", detail])
                }
            }
        }
        let rendered = columns.render(indent: "  ")
        var lines: [String] = []
        for (index, line) in rendered.enumerated() {
            if let start = groupStarts.first(where: { $0.row == index }) { lines.append(start.title) }
            lines.append(line)
        }
        if !lines.isEmpty { lines.append("") }
        lines.append(summary)
        return lines.map { $0 + "\n" }.joined()
    }

    /// `{"format_version": 1, "total": n, "counts": {kind: n, ...}, "findings": [...]}`,
    /// findings sorted by slug then kind.
    public func json() -> String {
        let counts = JSONText.object(self.counts.map { ($0.kind.rawValue, String($0.count)) }, indent: "  ")
        let items = findings.map { finding -> String in
            var pairs: [(String, String)] = [
                ("kind", JSONText.string(finding.kind.rawValue)),
                ("slug", JSONText.string(finding.slug)),
                ("persona_id", finding.personaID.map(String.init) ?? "null"),
                ("detail", JSONText.string(finding.detail)),
            ]
            if let file = finding.file { pairs.append(("file", JSONText.string(file))) }
            if !finding.differences.isEmpty {
                pairs.append(("differences", JSONText.array(finding.differences.map { difference in
                    "{" + [("field", difference.field), ("database", difference.database), ("file", difference.file)]
                        .map { JSONText.string($0.0) + ": " + JSONText.string($0.1) }.joined(separator: ", ") + "}"
                }, indent: "      ")))
            }
            return JSONText.object(pairs, indent: "    ")
        }
        return JSONText.object([
            ("format_version", "1"),
            ("total", String(findings.count)),
            ("counts", counts),
            ("findings", JSONText.array(items, indent: "  ")),
        ])
    }
}
