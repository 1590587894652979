import ArgumentParser
import PersonaRegistry

/// Where the database is.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL or conninfo (default: $DATABASE_URL, else libpq's PG* variables).",
        valueName: "url"))
    var databaseURL: String?

    /// The connection string to use, nil for libpq's environment.
    var resolved: String? {
        if let databaseURL { return databaseURL }
        if let fromEnvironment = Environment.current["DATABASE_URL"], !fromEnvironment.isEmpty { return fromEnvironment }
        return nil
    }

    func connect() throws -> PostgresConnection {
        try PostgresConnection(url: resolved)
    }

    /// A connection for adding or changing rows: refused on a logical replica.
    func connectForWrites() throws -> PostgresConnection {
        let connection = try connect()
        try ReplicaSubscriber.refuseWrites(on: connection)
        return connection
    }
}
