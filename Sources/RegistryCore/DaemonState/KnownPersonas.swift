/// What the daemon last saw in the tables, kept because a notification is a
/// hint, never a fact: a persona whose row is gone can only be named (its
/// directory, as an orphan) if its slug was known, and a role notification is a
/// rename only when the table's name differs from the one its personas' identity
/// files were last written with. Also the counts of `STATUS=`.
public struct KnownPersonas: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var slug: String
        public var status: PersonaStatus
    }

    /// A role whose name in the table differs from the one last written.
    public struct Rename: Sendable, Equatable {
        public var roleID: Int
        public var from: String
        public var to: String
    }

    /// Persona id -> slug and status.
    public private(set) var personas: [Int: Entry] = [:]
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

    /// A sweep read every row. A repairing sweep writes every identity file with its role's
    /// current name; a check only reports a stale one, so a rename it sees is still owed to
    /// its notification and the name last written is kept.
    public mutating func swept(_ rows: [Persona], policy: RepairPolicy) {
        personas = Dictionary(rows.map { ($0.id, Entry(slug: $0.slug, status: $0.status)) }, uniquingKeysWith: { $1 })
        activeCount = personas.values.count { $0.status == .active }
        for row in rows where policy != .check || roles[row.roleID] == nil {
            roles[row.roleID] = row.role
        }
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
        for row in rows {
            let old = personas.updateValue(Entry(slug: row.slug, status: row.status), forKey: row.id)
            activeCount += (row.status == .active ? 1 : 0) - (old?.status == .active ? 1 : 0)
        }
        return renamed.values.sorted { $0.roleID < $1.roleID }
    }

    /// Personas a batch named that have no row: those known are deleted (their slugs, by id);
    /// the others never existed, and are nothing at all.
    public mutating func deleted(named: Set<Int>, found rows: [Persona]) -> (deleted: [(id: Int, slug: String)], unknown: [Int]) {
        var deleted: [(id: Int, slug: String)] = []
        var unknown: [Int] = []
        for id in named.subtracting(rows.map(\.id)).sorted() {
            if let entry = personas.removeValue(forKey: id) {
                if entry.status == .active { activeCount -= 1 }
                deleted.append((id, entry.slug))
            } else {
                unknown.append(id)
            }
        }
        return (deleted, unknown)
    }
}
