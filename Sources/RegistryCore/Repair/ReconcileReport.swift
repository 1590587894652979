/// One line of a reconcile report: a repair planned (`ReconcileReport(plan:)`) or
/// made (`init(result:)`), the only two ways to make one, so no public memberwise initializer.
public struct ReconcileEntry: Sendable, Equatable {
    /// Stable name: `create_directory`, `write_identity`, `rewrite_identity`,
    /// `replace_invalid_identity`, `write_seed_files`, `remove_temp_file`.
    public var action: String
    public var slug: String
    public var detail: String
    /// Set when the repair failed.
    public var error: String?
}

/// What `reconcile` planned (dry run) or did, and the drift that remains.
public struct ReconcileReport: Sendable, Equatable {
    public var dryRun: Bool
    public var entries: [ReconcileEntry]
    /// Dry run: the findings reconcile would leave; otherwise a fresh check after repairing.
    public var remaining: DriftReport

    public init(dryRun: Bool, entries: [ReconcileEntry], remaining: DriftReport) {
        self.dryRun = dryRun
        self.entries = entries
        self.remaining = remaining
    }

    /// The dry-run report of a plan.
    public init(plan: RepairPlan) {
        self.init(dryRun: true, entries: plan.actions.map(ReconcileReport.planned), remaining: DriftReport(findings: plan.unrepaired))
    }

    public var failures: Int { entries.count { $0.error != nil } }

    static func name(_ action: RepairAction) -> String {
        switch action {
        case .createDirectory: "create_directory"
        case .writeIdentity: "write_identity"
        case .rewriteIdentity: "rewrite_identity"
        case .replaceInvalidIdentity: "replace_invalid_identity"
        case .writeSeedFiles: "write_seed_files"
        case .removeTempFile: "remove_temp_file"
        }
    }

    static func planned(_ action: RepairAction) -> ReconcileEntry {
        let detail: String
        switch action {
        case .createDirectory: detail = "directory with identity file and seed files"
        case .writeIdentity: detail = "identity file"
        case .rewriteIdentity(_, let fields):
            detail = fields.isEmpty ? "identity file (empty)" : "identity file (\(fields.joined(separator: ", ")) differ\(fields.count == 1 ? "s" : ""))"
        case .replaceInvalidIdentity(_, let reason):
            detail = "identity file (\(reason)); the old one kept as identity.yaml.rejected-<UTC time>"
        case .writeSeedFiles(_, let names): detail = "missing seed file\(names.count == 1 ? "" : "s") " + names.joined(separator: ", ")
        case .removeTempFile(_, let name): detail = "leftover temp file \(name) (if its writer is gone)"
        }
        return ReconcileEntry(action: name(action), slug: action.slug, detail: detail)
    }
}
