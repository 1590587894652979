import RegistryCore

/// What one sweep found, did, and left.
public struct SweepResult: Sendable, Equatable {
    /// The findings before any repair.
    public var found: [Finding]
    /// Each repair tried (empty for a dry run).
    public var repairs: [RepairResult]
    /// The plan the policy allowed.
    public var plan: RepairPlan
    /// The findings after the repairs, sorted (the repaired slugs re-checked).
    public var remaining: [Finding]
}
