import RegistryCore
import RegistryDatabase
import RegistrySystem

extension DatabaseLink {
    /// The statements that set a new connection up (the standby check, `LISTEN`), answered
    /// together within the connection's `connect_timeout` (as libpq reads it: at least 2 s;
    /// 10 s where it is 0, since the loop is not serving meanwhile; at most a day) while a
    /// signal on `interrupt` still abandons the attempt.
    struct SetUp {
        let connection: PostgresConnection
        let interrupt: Int32
        let deadline: UInt64
        let seconds: Int

        init(connection: PostgresConnection, interrupt: Int32) {
            self.connection = connection
            self.interrupt = interrupt
            seconds = connection.options["connect_timeout"].flatMap { Int($0) }.flatMap { $0 > 0 ? min(max($0, 2), 86_400) : nil } ?? 10
            deadline = MonotonicClock.microseconds + UInt64(seconds) * 1_000_000
        }

        /// Sends `statement` and waits for its answer. Throws `ConnectInterrupted` for a signal,
        /// `ConnectionError.cannotConnect` when the server has not answered by the deadline.
        @discardableResult
        func answer(_ statement: Statement) throws -> QueryResult {
            try connection.send(statement)
            var first: Result<QueryResult, Error>?
            while true {
                while !connection.isBusy {
                    guard let result = connection.nextResult() else {
                        return try (first ?? .failure(ConnectionError.lost("no result from the server"))).get()
                    }
                    if first == nil { first = result }
                }
                let now = MonotonicClock.microseconds
                guard now < deadline else {
                    throw ConnectionError.cannotConnect(
                        "the server accepted the connection but did not answer `\(statement.sql)` within \(seconds) s")
                }
                let ready = try Poller.wait([connection.socket, interrupt], timeoutMilliseconds: Int32(clamping: (deadline - now) / 1_000 + 1))
                if ready[1].readable { throw PostgresConnection.ConnectInterrupted() }
                if ready[0].readable || ready[0].failed { try connection.consumeInput() }
            }
        }
    }
}
