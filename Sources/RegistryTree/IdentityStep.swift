import RegistryCore

/// What `PersonaTree.materialize` does with the identity file: what a plan
/// decided, or (for a notification, which has no plan) what `IdentityRepair`
/// decides under a policy once the file has been read.
public enum IdentityStep: Sendable, Equatable {
    case planned(IdentityRepair?)
    case decide(RepairPolicy)
}
