extension ReconcileEntry {
    /// The report line for an applied repair.
    public init(result: RepairResult) {
        let name = ReconcileReport.name(result.action)
        if let error = result.error {
            self.init(action: name, slug: result.action.slug, detail: "", error: error)
            return
        }
        var parts: [String] = []
        if let outcome = result.outcome {
            if outcome.skippedArchived { parts.append("archived persona without a directory: nothing created") }
            if outcome.createdDirectory { parts.append("created directory") }
            switch outcome.identity {
            case .created: parts.append("wrote identity file")
            case .rewritten(let kept?): parts.append("rewrote identity file, the old one kept as \(kept)")
            case .rewritten(nil): parts.append("rewrote identity file")
            case .unchanged:
                // For a seed-file repair the identity file is not the news.
                if case .writeSeedFiles = result.action {} else { parts.append("identity file already current") }
            }
            if !outcome.seeded.isEmpty {
                parts.append("seeded " + outcome.seeded.joined(separator: ", "))
            } else if case .writeSeedFiles = result.action {
                parts.append("seed files already present")
            }
        } else if case .removeTempFile(_, let file) = result.action {
            parts.append(result.removed ? "removed \(file)" : "kept \(file) (its writer may still be running)")
        }
        self.init(action: name, slug: result.action.slug, detail: parts.joined(separator: "; "))
    }
}
