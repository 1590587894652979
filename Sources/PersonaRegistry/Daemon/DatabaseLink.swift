/// The daemon's one connection: opened, checked (a primary, with the
/// schema), subscribed to `persona_registry`, and the queries it runs.
final class DatabaseLink {
    let connection: PostgresConnection

    /// The server is a hot standby: the daemon needs a primary.
    struct StandbyRefused: Error, CustomStringConvertible {
        var description: String {
            "the database server is a read-only standby (pg_is_in_recovery() is true): point persona-registry serve at the primary"
        }
    }

    /// Connects and LISTENs before anything is read, so nothing that changes
    /// during the following sweep is missed.
    init(url: String?) throws {
        connection = try PostgresConnection(url: url, settings: DatabaseLink.settings)
        if try connection.query("SELECT pg_is_in_recovery()").scalar == "t" { throw StandbyRefused() }
        try connection.execute("LISTEN \(RegistryNotification.channel)")
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

    /// Every persona, for a sweep.
    func allPersonas() throws -> [Persona] {
        try PersonaQueries.all(on: connection)
    }

    /// The current rows of these personas and of every persona of the roles
    /// whose name is no longer the one in `roleNames` (renamed), each once,
    /// by id, in one query.
    func personas(ids: Set<Int>, rolesRenamedFrom roleNames: [Int: String]) throws -> [Persona] {
        try PersonaQueries.withIDs(ids.sorted(), orRolesRenamedFrom: roleNames, on: connection)
    }

    /// The personas whose slugs are among `names`, in one query.
    func personas(slugs names: Set<String>) throws -> [Persona] {
        try PersonaQueries.withSlugs(names.sorted(), on: connection)
    }
}
