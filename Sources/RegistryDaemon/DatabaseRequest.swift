import RegistryCore
import RegistryDatabase

/// What the daemon asks the tables, sent without waiting: the loop keeps
/// serving signals, the tree and the watchdog while the server answers (or
/// waits on a lock someone else holds).
enum DatabaseRequest: Sendable, Equatable {
    /// A sweep: its first page of rows (`PagedSweep`).
    case sweep(RepairPolicy)
    /// The sweep in progress: its next page, the rows with ids greater than `after`.
    case sweepPage(RepairPolicy, after: Int)
    /// The personas whose slugs are among these root entries, re-checked with `policy`.
    case recheck(Set<String>, policy: RepairPolicy)
    /// The current rows of the batch's personas, and of every persona of the roles in
    /// `roleNames` whose name in the table is no longer the one given there (renamed).
    case batch(NotificationBatch, roleNames: [Int: String])

    func statement(_ queries: PersonaQueries) -> Statement? {
        switch self {
        case .sweep: queries.page(after: nil, limit: PagedSweep.defaultPageRows)
        case .sweepPage(_, let after): queries.page(after: after, limit: PagedSweep.defaultPageRows)
        case .recheck(let names, _): queries.withSlugs(names.sorted())
        case .batch(let batch, let roleNames):
            queries.withIDs(batch.namedPersonaIDs.sorted(), orRolesRenamedFrom: roleNames)
        }
    }

    /// A sweep's page, its first or a later one.
    var isSweep: Bool {
        switch self {
        case .sweep, .sweepPage: true
        case .recheck, .batch: false
        }
    }

    /// For log lines.
    var name: String {
        switch self {
        case .sweep, .sweepPage: "sweep"
        case .recheck: "re-check"
        case .batch: "notifications"
        }
    }

    /// `queued` with `request` added behind the query in flight. A queued sweep covers what
    /// `RepairPolicy.sweepCovers` says (the rule `DaemonState` follows for what it owes);
    /// two sweeps are one. The next page of the sweep in progress goes before any sweep
    /// queued: a sweep asked for meanwhile begins once the one in progress has ended (its
    /// earlier pages were read before the asking), and covers nothing of it.
    static func queue(_ queued: [DatabaseRequest], adding request: DatabaseRequest) -> [DatabaseRequest] {
        var queued = queued
        switch request {
        case .sweepPage:
            queued.insert(request, at: queued.firstIndex { if case .sweep = $0 { true } else { false } } ?? queued.endIndex)
        case .sweep(let policy):
            let merged = queued.reduce(policy) { merged, queued in
                if case .sweep(let earlier) = queued { merged.sweepMerged(with: earlier) } else { merged }
            }
            queued.removeAll {
                switch $0 {
                case .batch, .sweepPage: false
                case .sweep: true
                case .recheck(_, let policy): merged.sweepCovers(policy)
                }
            }
            queued.append(.sweep(merged))
        case .recheck(let names, let policy):
            if queued.contains(where: { if case .sweep(let sweep) = $0 { sweep.sweepCovers(policy) } else { false } }) {
                return queued
            }
            // Re-checks merge with those of the same policy (a retry repairs, a re-check only creates).
            if let index = queued.firstIndex(where: { if case .recheck(_, policy) = $0 { true } else { false } }),
               case .recheck(let earlier, _) = queued[index] {
                queued[index] = .recheck(earlier.union(names), policy: policy)
            } else {
                queued.append(request)
            }
        case .batch:
            queued.append(request)
        }
        return queued
    }
}
