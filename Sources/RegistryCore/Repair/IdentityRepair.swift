/// What to do with one persona's identity file: the one place this is decided.
/// `RepairPlan` asks it for each identity finding, whatever asked for the plan
/// (a sweep, a re-check, a notification, `reconcile`); `PersonaTree` carries
/// out what it decided without judging the file again.
public enum IdentityRepair: Sendable, Equatable {
    /// Create the missing file.
    case write
    /// Rewrite a valid file whose fields differ from the row, or an empty one.
    case rewrite
    /// Rewrite an invalid regular file, its old bytes kept beside it as
    /// `identity.yaml.rejected-<UTC stamp>`.
    case replaceKeepingOld

    /// What is wrong with the file.
    public enum Problem: Sendable, Equatable {
        case missing
        case differs
        case invalid(InvalidIdentityReason)
    }

    /// The repair `policy` allows for `problem`; nil to leave the file as it is (reported).
    /// A file that is not regular (a link, a directory, a FIFO) is never touched; an
    /// invalid one, perhaps mid-edit by a person, only by `reconcile`.
    public static func decide(_ problem: Problem, policy: RepairPolicy) -> IdentityRepair? {
        switch problem {
        case .missing:
            return .write
        case .differs:
            return policy == .check ? nil : .rewrite
        case .invalid(let reason):
            guard reason.isRegularFile else { return nil }
            if reason.isEmptyFile { return policy == .check ? nil : .rewrite }
            return policy == .reconcile ? .replaceKeepingOld : nil
        }
    }
}
