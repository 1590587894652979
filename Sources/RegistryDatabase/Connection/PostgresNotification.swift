import CLibPQ

/// One `NOTIFY` received on a channel this connection listens to.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The process id of the notifying server backend.
    public var senderPID: Int32
}

extension PostgresConnection {
    /// Reads whatever the server has sent (call when the socket is readable).
    /// Throws when the connection is lost.
    public func consumeInput() throws {
        if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK {
            throw ConnectionError.lost("lost the connection to PostgreSQL: " + PostgresError.connectionMessage(handle))
        }
    }

    /// Every notification already received, oldest first.
    public func drainNotifications() -> [PostgresNotification] {
        var notifications: [PostgresNotification] = []
        while let pointer = PQnotifies(handle) {
            let notify = pointer.pointee
            notifications.append(PostgresNotification(
                channel: String(cString: notify.relname),
                payload: String(cString: notify.extra),
                senderPID: notify.be_pid))
            PQfreemem(pointer)
        }
        return notifications
    }
}
