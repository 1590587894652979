import CLibPQ

/// One `NOTIFY` received on a channel this connection listens to.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The process id of the notifying server backend.
    public var senderPID: Int32

    /// Every notification libpq has received on `handle` and not handed out
    /// yet, oldest first (`PQnotifies`), each freed once copied.
    static func received(on handle: OpaquePointer) -> [PostgresNotification] {
        var notifications: [PostgresNotification] = []
        while let pointer = PQnotifies(handle) {
            let notify = pointer.pointee
            notifications.append(PostgresNotification(channel: String(cString: notify.relname),
                                                      payload: String(cString: notify.extra),
                                                      senderPID: notify.be_pid))
            PQfreemem(pointer)
        }
        return notifications
    }
}
