/// The entries that could not be brought in step, by kind of failure, so a
/// persistent failure (a full disk under 500 personas) is logged once when it
/// starts and once when it clears, not once per entry on every sweep.
public struct FailureLedger: Sendable {
    /// Kind -> the entries failing that way (never an empty set).
    public private(set) var current: [String: Set<String>] = [:]

    public init() {}

    /// A kind that began failing: one failure as the example, and how many entries fail so.
    public struct Started: Sendable, Equatable {
        public var example: SyncFailure
        public var entries: Int
    }

    public struct Change: Sendable, Equatable {
        public var started: [Started]
        /// Kinds that no entry fails with any more.
        public var cleared: [String]
    }

    /// How many entries fail, of every kind.
    public var count: Int { current.values.reduce(into: Set<String>()) { $0.formUnion($1) }.count }

    /// Replaces every failure (after a full sweep).
    public mutating func replaceAll(with failures: [SyncFailure]) -> Change {
        let old = current
        current = [:]
        return added(failures, since: old)
    }

    /// Replaces the failures of these entries (after a re-check, a retry, notifications).
    public mutating func replace(slugs: Set<String>, with failures: [SyncFailure]) -> Change {
        let old = current
        for (kind, entries) in current {
            let left = entries.subtracting(slugs)
            current[kind] = left.isEmpty ? nil : left
        }
        return added(failures, since: old)
    }

    private mutating func added(_ failures: [SyncFailure], since old: [String: Set<String>]) -> Change {
        var examples: [String: SyncFailure] = [:]
        for failure in failures {
            current[failure.kind, default: []].insert(failure.slug)
            if examples[failure.kind] == nil { examples[failure.kind] = failure }
        }
        let started = examples.keys.filter { old[$0] == nil }.sorted().map { Started(example: examples[$0]!, entries: current[$0]!.count) }
        let cleared = old.keys.filter { current[$0] == nil }.sorted()
        return Change(started: started, cleared: cleared)
    }
}
