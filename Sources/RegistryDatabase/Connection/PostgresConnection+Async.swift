import CLibPQ

/// libpq's asynchronous interface, for a caller that waits on `socket` in its
/// own `poll(2)` loop: `consumeInput` whenever the socket is readable, then
/// take the notifications received (`drainNotifications`), or, for a
/// statement `send`, take `nextResult` while `isBusy` is false, until it is
/// `nil`. Nothing here blocks on the server (a statement waiting on a lock
/// included); `cancel` asks the server to stop the statement in progress.
extension PostgresConnection {
    /// Reads whatever the server has sent (call when the socket is readable).
    /// Throws when the connection is lost.
    public func consumeInput() throws(ConnectionError) {
        if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK {
            throw .lost("lost the connection to PostgreSQL: " + PostgresError.connectionMessage(handle))
        }
    }

    /// Every notification already received, oldest first.
    public func drainNotifications() -> [PostgresNotification] {
        PostgresNotification.received(on: handle)
    }

    /// Sends one statement without waiting for it (`PQsendQueryParams`).
    public func send(_ statement: Statement) throws(ConnectionError) {
        let sent = withOptionalCStrings(statement.parameters) { pointers in
            PQsendQueryParams(handle, statement.sql, Int32(statement.parameters.count), nil, pointers, nil, nil, 0)
        }
        guard sent == 1 else {
            throw .lost(PostgresError.connectionMessage(handle))
        }
    }

    /// Whether the next result still waits for input (`PQisBusy`): `nextResult` would block.
    public var isBusy: Bool { PQisBusy(handle) == 1 }

    /// The next result of the statement sent, `nil` once it has no more (call
    /// only while `isBusy` is false). A failed statement is a failure here.
    public func nextResult() -> Result<QueryResult, StatementError>? {
        guard let result = PQgetResult(handle) else { return nil }
        do { return .success(try QueryResult(consuming: result, connection: handle)) } catch { return .failure(error) }
    }

    /// Asks the server to cancel the statement in progress (`PQcancel`: a short
    /// connection of its own). Its result still arrives, as an error (57014).
    /// Returns libpq's reason when the request could not be sent.
    @discardableResult
    public func cancel() -> String? {
        guard let cancel = PQgetCancel(handle) else { return "no connection to cancel on" }
        defer { PQfreeCancel(cancel) }
        var reason = [CChar](repeating: 0, count: 256)
        guard PQcancel(cancel, &reason, Int32(reason.count)) == 1 else {
            return String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmedWhitespace()
        }
        return nil
    }
}
