extension ReconcileReport: FormattedReport {
    /// "2 repairs made; 1 finding remains: 1 orphan directory".
    public var summary: String {
        let made = entries.count - failures
        var text = "\(made) repair\(made == 1 ? "" : "s") \(dryRun ? "planned" : "made")"
        if failures > 0 { text += ", \(failures) failed" }
        let count = remaining.findings.count
        if count == 0 { return text + "; the tree is in step with the database" + (dryRun ? " afterwards" : "") }
        let parts = remaining.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.kind.phrase(count: $0.count))" }
        return text + "; \(count) finding\(count == 1 ? "" : "s") \(dryRun ? "would remain" : (count == 1 ? "remains" : "remain")) (not repaired by reconcile): "
            + parts.joined(separator: ", ")
    }

    public func text() -> String {
        var lines: [String] = []
        if dryRun { lines.append("Dry run: nothing was changed.") }
        if !entries.isEmpty {
            lines.append(dryRun ? "would repair" : "repaired")
            var columns = TextColumns()
            for entry in entries {
                columns.rows.append([entry.action, Porcelain.field(entry.slug),
                                     Porcelain.field(entry.error.map { "FAILED: \($0)" } ?? entry.detail)])
            }
            lines += columns.render(indent: "  ")
        }
        if !remaining.findings.isEmpty {
            lines.append(dryRun ? "would remain" : "remaining")
            var columns = TextColumns()
            for finding in remaining.findings {
                columns.rows.append([finding.kind.rawValue, Porcelain.field(finding.slug), Porcelain.field(finding.detail)])
            }
            lines += columns.render(indent: "  ")
        }
        if !entries.isEmpty || !remaining.findings.isEmpty { lines.append("") }
        lines.append(summary)
        return lines.map { $0 + "\n" }.joined()
    }

    /// `repair  action  slug  detail  error` lines, then the remaining findings
    /// as drift's porcelain lines prefixed with `finding`.
    public func porcelain() -> String {
        var lines = entries.map { Porcelain.line(["repair", $0.action, $0.slug, $0.detail, $0.error ?? ""]) + "\n" }
        for line in remaining.porcelain().split(separator: "\n") {
            lines.append("finding\t" + line + "\n")
        }
        return lines.joined()
    }

    public func json() -> String {
        let items = entries.map { entry in
            var pairs = [("action", JSONText.string(entry.action)), ("slug", JSONText.string(entry.slug)),
                         ("detail", JSONText.string(entry.detail))]
            if let error = entry.error { pairs.append(("error", JSONText.string(error))) }
            return "{" + pairs.map { JSONText.string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
        }
        let remainingJSON = remaining.json().split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }.joined(separator: "\n")
        return JSONText.object([
            ("format_version", "1"),
            ("dry_run", dryRun ? "true" : "false"),
            ("repairs", JSONText.array(items, indent: "  ")),
            ("failed", String(failures)),
            ("remaining", remainingJSON),
        ])
    }
}
