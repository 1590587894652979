import RegistryCore
import RegistrySystem

extension PersonaTree {
    /// Applies a plan: every action is tried (one failing is recorded and does
    /// not stop the others), then the tree is flushed once (a failed flush throws).
    public func apply(_ plan: RepairPlan, templates: SeedTemplates, policy: RepairPolicy,
                      progress: () -> Void = {}, directoryCreated: DirectoryCreated = { _, _ in }) throws -> [RepairResult] {
        var results: [RepairResult] = []
        for action in plan.actions {
            defer { progress() }
            do {
                if let persona = action.persona {
                    results.append(RepairResult(action: action, outcome: try materialize(persona, templates: templates, mode: policy.writeMode,
                                                                                              directoryCreated: directoryCreated)))
                } else if case .removeTempFile(let slug, let name) = action {
                    results.append(RepairResult(action: action, removed: try removeLeftoverTempFile(name, slug: slug)))
                }
            } catch {
                results.append(RepairResult(action: action, error: "\(error)", errorKind: SystemError.failureKind(of: error)))
            }
        }
        if results.contains(where: { $0.outcome?.changedSomething == true || $0.removed }) {
            try flush()
        }
        return results
    }
}
