/// The notifications drained in one go, reduced to the rows to fetch: the
/// daemon fetches them in one query and applies the rows' current state.
public struct NotificationBatch: Sendable, Equatable {
    /// Personas inserted or updated.
    public var personaIDs: Set<Int> = []
    /// Roles updated (renamed): all their personas' identity files may change.
    public var roleIDs: Set<Int> = []
    /// Personas deleted: their directories stay, as orphans.
    public var deletedPersonaIDs: Set<Int> = []
    /// Payloads that were not ours or not understood.
    public var unreadable: [String] = []
    /// How many payloads it was made of, ours or not.
    public var payloadCount = 0
    /// When its payloads were read (monotonic microseconds), for the latency metric.
    public var receivedAt: UInt64 = 0

    public init() {}

    public init(payloads: [String], receivedAt: UInt64 = 0) {
        payloadCount = payloads.count
        self.receivedAt = receivedAt
        for payload in payloads {
            guard let notification = RegistryNotification(payload: payload) else {
                unreadable.append(payload)
                continue
            }
            add(notification)
        }
    }

    public mutating func add(_ notification: RegistryNotification) {
        switch (notification.table, notification.op) {
        case (.persona, .insert), (.persona, .update):
            personaIDs.insert(notification.id)
            deletedPersonaIDs.remove(notification.id)
        case (.persona, .delete):
            deletedPersonaIDs.insert(notification.id)
            personaIDs.remove(notification.id)
        case (.role, .update):
            roleIDs.insert(notification.id)
        case (.role, _):
            // A role cannot be deleted while it has personas; nothing in the tree depends on it.
            break
        }
    }

    /// Every persona the batch names, inserted, updated or deleted: each is looked up.
    public var namedPersonaIDs: Set<Int> { personaIDs.union(deletedPersonaIDs) }

    public var isEmpty: Bool { personaIDs.isEmpty && roleIDs.isEmpty && deletedPersonaIDs.isEmpty && unreadable.isEmpty }
}
