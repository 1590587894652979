/// What the daemon last saw in the tables, kept because a notification is a
/// hint, never a fact: a persona whose row is gone can only be named (its
/// directory, as an orphan) if its slug was known, and a role notification is a
/// rename only when the table's name differs from the one its personas' identity
/// files were last written with. Also the counts of `STATUS=`.
public struct KnownPersonas: Sendable {
    /// A persona's slug (its slot in `slugs`) and status: 8 bytes, no object of its own.
    struct Entry: Sendable {
        var slug: UInt32
        var status: PersonaStatus
    }

    /// A role whose name in the table differs from the one last written.
    public struct Rename: Sendable, Equatable {
        public var roleID: Int
        public var from: String
        public var to: String
    }

    /// Persona id -> slug and status; the slugs' bytes in one buffer (held for as long as the
    /// daemon runs: 100,000 of them as `String`s were 8 MiB).
    private var personas: [Int: Entry] = [:]
    private var slugTable = PackedStrings()
    /// Role id -> the name its personas' identity files were last written with.
    public private(set) var roles: [Int: String] = [:]

    public init() {}

    public var count: Int { personas.count }
    /// Kept as personas come and go: counting them at every batch (for `STATUS=` and the status
    /// file) cost more than the rest of the batch at 100,000 personas.
    public private(set) var activeCount = 0

    public func isKnown(_ id: Int) -> Bool { personas[id] != nil }

    /// The names last written for those of `roleIDs` that are known (what a batch's query compares with).
    public func roleNames(of roleIDs: Set<Int>) -> [Int: String] {
        roles.filter { roleIDs.contains($0.key) }
    }

    /// The ids known when a sweep's first page arrived that no page, batch or deletion has
    /// named since (`nil`: no sweep in progress): at the sweep's end they are gone from the
    /// tables, their notifications lost. A row inserted meanwhile is not among them, and one
    /// deleted meanwhile was removed by its notification.
    private var unseen: Set<Int>?

    /// A sweep read every row at once (as its one page).
    public mutating func swept(_ rows: [Persona], policy: RepairPolicy) {
        sweptPage(rows, policy: policy, first: true)
        sweepEnded()
    }

    /// A page of a sweep's rows (`first`: its first page). A repairing sweep writes every
    /// identity file with its role's current name; a check only reports a stale one, so a
    /// rename it sees is still owed to its notification and the name last written is kept.
    public mutating func sweptPage(_ rows: [Persona], policy: RepairPolicy, first: Bool) {
        if first { unseen = Set(personas.keys) }
        for row in rows {
            remember(row)
            if policy != .check || roles[row.roleID] == nil { roles[row.roleID] = row.role }
        }
    }

    /// The sweep's last page was read: the personas no page saw, and no batch named, are
    /// forgotten (their rows were deleted unnoticed); returns how many.
    @discardableResult
    public mutating func sweepEnded() -> Int {
        defer { unseen = nil }
        guard let unseen else { return 0 }
        for id in unseen { forget(id) }
        return unseen.count
    }

    /// The sweep in progress failed or went with the connection: what it read stays known.
    public mutating func sweepAbandoned() {
        unseen = nil
    }

    /// The slugs of every known persona: after a sweep's last page, what the rows claim.
    public var slugs: Set<String> {
        var slugs = Set<String>(minimumCapacity: personas.count)
        for entry in personas.values { slugs.insert(slugTable[entry.slug]) }
        return slugs
    }

    private mutating func remember(_ row: Persona) {
        unseen?.remove(row.id)
        activeCount += row.status == .active ? 1 : 0
        if let old = personas[row.id] {
            if old.status == .active { activeCount -= 1 }
            // A slug never changes (the database makes it from the id): only the status is new.
            if slugTable.holds(row.slug, at: old.slug) {
                personas[row.id]!.status = row.status
                return
            }
            slugTable.remove(old.slug)
        }
        personas[row.id] = Entry(slug: slugTable.insert(row.slug), status: row.status)
    }

    /// Forgets `id`; returns its slug, if it was known.
    @discardableResult
    private mutating func forget(_ id: Int) -> String? {
        guard let entry = personas.removeValue(forKey: id) else { return nil }
        if entry.status == .active { activeCount -= 1 }
        defer { slugTable.remove(entry.slug) }
        return slugTable[entry.slug]
    }

    /// A batch's rows, fetched for the roles of `roleNames` (the names the batch was asked
    /// with) and the personas it named: returns the roles renamed since, by id.
    public mutating func applied(_ rows: [Persona], askedWith roleNames: [Int: String]) -> [Rename] {
        var renamed: [Int: Rename] = [:]
        for row in rows {
            if let old = roleNames[row.roleID], old != row.role {
                renamed[row.roleID] = Rename(roleID: row.roleID, from: old, to: row.role)
            }
            // A persona's own notification does not settle its role's name: the rename's
            // notification may still come, and then every persona of the role follows it.
            if roles[row.roleID] == nil { roles[row.roleID] = row.role }
        }
        for rename in renamed.values { roles[rename.roleID] = rename.to }
        for row in rows { remember(row) }
        return renamed.values.sorted { $0.roleID < $1.roleID }
    }

    /// Personas a batch named that have no row: those known are deleted (their slugs, by id);
    /// the others never existed, and are nothing at all.
    public mutating func deleted(named: Set<Int>, found rows: [Persona]) -> (deleted: [(id: Int, slug: String)], unknown: [Int]) {
        var deleted: [(id: Int, slug: String)] = []
        var unknown: [Int] = []
        for id in named.subtracting(rows.map(\.id)).sorted() {
            unseen?.remove(id)
            if let slug = forget(id) {
                deleted.append((id, slug))
            } else {
                unknown.append(id)
            }
        }
        return (deleted, unknown)
    }
}
