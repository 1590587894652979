/// Changes in the tree, left to settle for the debounce before they are acted on: the root
/// entries to re-check, or a full sweep (repairing, when changes may have gone unapplied).
public struct Debounce: Sendable, Equatable {
    /// Root entries waiting for their re-check.
    public internal(set) var dirty: Set<String> = []
    /// A full sweep is owed to the tree (overflow, root moved, unknown watch, a failed sweep).
    public internal(set) var sweepOwed = false
    /// The next full sweep repairs, whatever asked for it: changes may have gone unapplied.
    public internal(set) var repairOwed = false
    public internal(set) var at: UInt64?

    public init() {}

    /// Something changed at this root entry.
    mutating func changed(_ name: String, now: UInt64, debounce: UInt64) {
        dirty.insert(name)
        if at == nil { at = now + debounce }
    }

    /// A full sweep is owed, after the debounce.
    mutating func needsSweep(now: UInt64, debounce: UInt64) {
        sweepOwed = true
        if at == nil { at = now + debounce }
    }

    /// A full sweep is owed at `retry`, or sooner if the debounce ends first.
    mutating func needsSweep(at retry: UInt64) {
        sweepOwed = true
        at = min(at ?? retry, retry)
    }

    mutating func needsRepair() {
        repairOwed = true
    }

    /// The tree is gone: its return's repairing sweep covers what is owed.
    mutating func clear() {
        dirty = []
        sweepOwed = false
        at = nil
    }

    /// A full sweep begins: it covers everything owed. Returns whether it must repair.
    mutating func sweepStarted() -> Bool {
        defer {
            clear()
            repairOwed = false
        }
        return repairOwed
    }

    func isDue(now: UInt64) -> Bool { at.map { $0 <= now } ?? false }

    /// The debounce ended and no sweep is owed: the entries to re-check, taken (`nil`: none).
    mutating func takeRecheck(now: UInt64) -> Set<String>? {
        guard isDue(now: now) else { return nil }
        at = nil
        defer { dirty = [] }
        return dirty.isEmpty ? nil : dirty
    }
}
