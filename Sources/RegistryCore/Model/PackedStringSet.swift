/// A set of strings in one buffer (`PackedStrings`), each at a stable slot, found by value
/// through an open-addressed table of slots: the watched persona directories' names, held
/// for as long as the daemon runs, without a `String` object and a `Set` entry per name.
/// Hashed with the process's seeded `Hasher`, so names made to collide cannot be planned.
public struct PackedStringSet: Sendable {
    private var strings = PackedStrings()
    /// Linear probing, no tombstones (a removal shifts back what follows); 0: empty, else slot + 1.
    private var table: [UInt32] = []

    public init() {}

    public var count: Int { strings.count }

    public subscript(slot: UInt32) -> String { strings[slot] }

    /// The slot of `text`, if the set holds it.
    public func slot(of text: String) -> UInt32? {
        guard !table.isEmpty else { return nil }
        var text = text
        return text.withUTF8 { utf8 in
            var position = home(Self.hash(utf8))
            while table[position] != 0 {
                let slot = table[position] - 1
                if strings.withBytes(at: slot, { $0.elementsEqual(utf8) }) { return slot }
                position = (position + 1) & (table.count - 1)
            }
            return nil
        }
    }

    /// Adds `text` unless it is held; returns its slot either way.
    @discardableResult
    public mutating func insert(_ text: String) -> (slot: UInt32, inserted: Bool) {
        if let slot = slot(of: text) { return (slot, false) }
        if (count + 1) * 2 > table.count { grow() }
        let slot = strings.insert(text)
        place(slot)
        return (slot, true)
    }

    /// Removes `text`; returns the slot it had.
    @discardableResult
    public mutating func remove(_ text: String) -> UInt32? {
        guard let slot = slot(of: text) else { return nil }
        var hole = strings.withBytes(at: slot) { home(Self.hash($0)) }
        while table[hole] != slot + 1 { hole = (hole + 1) & (table.count - 1) }
        table[hole] = 0
        // Entries after the hole that could not sit at their home move back into it, so a
        // search never stops at the hole before reaching them.
        var next = (hole + 1) & (table.count - 1)
        while table[next] != 0 {
            let wanted = strings.withBytes(at: table[next] - 1) { home(Self.hash($0)) }
            // Whether `wanted` lies cyclically in (hole, next]: then it stays.
            let stays = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
            if !stays {
                table[hole] = table[next]
                table[next] = 0
                hole = next
            }
            next = (next + 1) & (table.count - 1)
        }
        strings.remove(slot)
        return slot
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return hasher.finalize()
    }

    private func home(_ hash: Int) -> Int { hash & (table.count - 1) }

    private mutating func place(_ slot: UInt32) {
        var position = strings.withBytes(at: slot) { home(Self.hash($0)) }
        while table[position] != 0 { position = (position + 1) & (table.count - 1) }
        table[position] = slot + 1
    }

    private mutating func grow() {
        let old = table
        table = Array(repeating: 0, count: max(16, table.count * 2))
        for entry in old where entry != 0 { place(entry - 1) }
    }
}
