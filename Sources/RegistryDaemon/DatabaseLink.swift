import RegistryCore
import RegistryDatabase

/// The daemon's one connection: opened, checked (a primary, with the
/// schema), subscribed to `persona_registry`, and the queries it runs.
final class DatabaseLink {
    let connection: PostgresConnection
    /// The queries in the names of the layout this connection's database has.
    let queries: PersonaQueries

    /// The server is a hot standby: the daemon needs a primary.
    struct StandbyRefused: Error, CustomStringConvertible {
        var description: String {
            "the database server is a read-only standby (pg_is_in_recovery() is true): point persona-registry serve at the primary"
        }
    }

    /// Connects and LISTENs before anything is read, so nothing that changes
    /// during the following sweep is missed. A signal arriving on `interrupt`
    /// (the daemon's signalfd) abandons the attempt, and a server that accepts the
    /// connection and then does not answer is given up on after `connect_timeout`
    /// (`SetUp`), so neither holds up the loop.
    init(url: String?, interrupt: Int32) throws {
        connection = try PostgresConnection(url: url, settings: DatabaseLink.settings, interrupt: interrupt)
        let setUp = SetUp(connection: connection, interrupt: interrupt)
        // The server stops what it was asked a second after the daemon gives up on it (which says
        // why in its own words): an abandoned backend waiting on a lock would otherwise stay, one
        // more per attempt.
        try setUp.answer(Statement("SET statement_timeout = \((setUp.seconds + 1) * 1_000)"))
        if try setUp.answer(Statement("SELECT pg_is_in_recovery()")).scalar == "t" { throw StandbyRefused() }
        // A database no migration ran on is read as `prd`: the first sweep's query then fails
        // with PostgreSQL's own "relation does not exist", which ends the daemon (as a schema
        // dropped later is retried by the next sweep).
        let detected = try setUp.answer(Tables.detection)
        queries = PersonaQueries((try? Tables(detected: detected)) ?? .prd)
        try setUp.answer(Statement("LISTEN \(RegistryNotification.channel)"))
        try setUp.answer(Statement("RESET statement_timeout"))
    }

    /// Keepalives and a TCP user timeout: see `ConnectionParameters.daemon`.
    static let settings = ConnectionParameters.daemon

    var socket: Int32 { connection.socket }
    var isConnected: Bool { connection.isConnected }

    /// Returns the payloads of our channel that libpq holds, after reading
    /// what the server sent when `read` (the socket was readable). Queries
    /// also pull notifications into libpq's queue without the socket staying
    /// readable, so the loop drains the queue after every step too.
    func receive(read: Bool) throws -> [String] {
        if read { try connection.consumeInput() }
        return connection.drainNotifications()
            .filter { $0.channel == RegistryNotification.channel }
            .map(\.payload)
    }

    /// The request sent and not answered yet (one at a time: libpq runs one statement per connection).
    struct InFlight {
        var request: DatabaseRequest
        /// The statement's first result, kept until libpq says it has no more.
        var answer: Result<QueryResult, Error>?
    }

    private(set) var inFlight: InFlight?
    var isBusy: Bool { inFlight != nil }

    /// Sends `request`'s statement. Returns false when it needs none (nothing
    /// to look up: the answer is no rows, at once).
    func send(_ request: DatabaseRequest) throws -> Bool {
        precondition(inFlight == nil, "one statement at a time")
        guard let statement = request.statement(queries) else { return false }
        try connection.send(statement)
        inFlight = InFlight(request: request)
        return true
    }

    /// Reads what the server sent (the socket was readable). Returns the
    /// request in flight with its rows once its answer is complete, `nil`
    /// while it is not. Throws when the connection is lost.
    func advance() throws -> (DatabaseRequest, Result<[Persona], Error>)? {
        guard inFlight != nil else { return nil }
        try connection.consumeInput()
        while !connection.isBusy {
            guard let result = connection.nextResult() else {
                guard let finished = inFlight else { return nil }
                inFlight = nil
                let answer = finished.answer ?? .failure(ConnectionError.lost("no result from the server"))
                return (finished.request, answer.flatMap { result in Result { try PersonaQueries.decode(result) } })
            }
            if inFlight?.answer == nil { inFlight?.answer = result }
        }
        return nil
    }

    /// Asks the server to stop the statement in flight (on stop); the link is dropped after.
    func cancel() -> String? {
        guard inFlight != nil else { return nil }
        return connection.cancel()
    }
}
