extension DatabaseLink {
    /// What the daemon asks the tables, sent without waiting: the loop keeps
    /// serving signals, the tree and the watchdog while the server answers
    /// (or waits on a lock someone else holds).
    enum Request: Sendable, Equatable {
        /// Every persona, for a sweep.
        case sweep(RepairPolicy)
        /// The personas whose slugs are among these root entries.
        case recheck(Set<String>)
        /// The current rows of the batch's personas and of every persona of its roles, each once.
        case batch(NotificationBatch)

        var statement: Statement? {
            switch self {
            case .sweep: PersonaQueries.every
            case .recheck(let names): PersonaQueries.withSlugs(names.sorted())
            case .batch(let batch): PersonaQueries.withIDs(batch.personaIDs.sorted(), orRoleIDs: batch.roleIDs.sorted())
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
