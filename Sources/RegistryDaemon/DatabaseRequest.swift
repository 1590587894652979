import RegistryCore
import RegistryDatabase

extension DatabaseLink {
    /// What the daemon asks the tables, sent without waiting: the loop keeps
    /// serving signals, the tree and the watchdog while the server answers
    /// (or waits on a lock someone else holds).
    enum Request: Sendable, Equatable {
        /// Every persona, for a sweep.
        case sweep(RepairPolicy)
        /// The personas whose slugs are among these root entries, re-checked with `policy`.
        case recheck(Set<String>, policy: RepairPolicy)
        /// The current rows of the batch's personas, and of every persona of the roles in
        /// `roleNames` whose name in the table is no longer the one given there (renamed).
        case batch(NotificationBatch, roleNames: [Int: String])

        var statement: Statement? {
            switch self {
            case .sweep: PersonaQueries.every
            case .recheck(let names, _): PersonaQueries.withSlugs(names.sorted())
            case .batch(let batch, let roleNames):
                PersonaQueries.withIDs(batch.namedPersonaIDs.sorted(), orRolesRenamedFrom: roleNames)
            }
        }

        /// For log lines.
        var name: String {
            switch self {
            case .sweep: "sweep"
            case .recheck: "re-check"
            case .batch: "notifications"
            }
        }
    }
}
