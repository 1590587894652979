import ArgumentParser
import RegistryDatabase

/// Where the database is.
///
/// Alike in shape to `TemplatesOptions` and `TreeOptions` (one option, read from the
/// environment when not given), as argument-parser declares an option group; kept
/// apart because the commands take different sets: every command that reads or
/// writes the tables takes this one, only the two that create persona directories
/// (`serve`, `reconcile`) take the templates.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL or conninfo (default: $DATABASE_URL, else libpq's PG* variables).",
        valueName: "url"))
    var databaseURL: String?

    /// The connection string to use, nil for libpq's environment.
    var resolved: String? { ConnectionString.configured(explicit: databaseURL, environment: Environment.current) }

    func connect() throws -> PostgresConnection {
        do {
            return try PostgresConnection(url: resolved)
        } catch {
            // A refusal (with the server's SQLSTATE) says what is wrong; an unreachable default socket does not.
            guard case .cannotConnect(_, code: nil) = error, resolved == nil,
                  !UnconfiguredConnection.libpqConfigured(Environment.current) else { throw error }
            throw UnconfiguredConnection(underlying: error)
        }
    }

    /// Runs `body` on a new connection with the tables of the database's layout; a
    /// privilege the database refuses is explained with what `command` needs there.
    func run<T>(_ command: String, needs: KeyPath<Grants, [Grants.Privilege]>,
                _ body: (PostgresConnection, Tables) throws -> T) throws -> T {
        var tables = Tables.prd
        do {
            let connection = try connect()
            tables = try Tables.detect(on: connection)
            return try body(connection, tables)
        } catch {
            throw Grants.explained(error, command: command, needs: Grants(tables)[keyPath: needs])
        }
    }

    /// `run` for a command that adds or changes rows: refused on a logical
    /// replica, whose rows come from its publisher.
    func runWriting<T>(_ command: String, needs: KeyPath<Grants, [Grants.Privilege]>,
                       _ body: (PostgresConnection, Tables) throws -> T) throws -> T {
        try run(command, needs: needs) { connection, tables in
            try ReplicaSubscriber.refuseWrites(on: connection)
            return try body(connection, tables)
        }
    }
}
