import ArgumentParser
import RegistryCore
import RegistryDatabase
import RegistrySystem

/// Persona slugs completed by bash, zsh and fish (argument-parser's `---completion` call)
/// from the database, where asking it is cheap: a connection is configured (`--database-url`
/// on the line being completed, `DATABASE_URL`, or libpq's `PG*` variables), one indexed
/// query, at most 2 s to connect. Otherwise, and on any failure, nothing is offered: a
/// completion must never hang a shell nor print an error into it.
enum SlugCompletion {
    static let limit = 200

    static var kind: CompletionKind {
        .custom { arguments, _, prefix in candidates(arguments: arguments, prefix: prefix) }
    }

    static func candidates(arguments: [String], prefix: String) -> [String] {
        let environment = Environment.current
        var explicit: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--database-url", index + 1 < arguments.count { explicit = arguments[index + 1] }
            if argument.hasPrefix("--database-url=") { explicit = String(argument.dropFirst("--database-url=".count)) }
        }
        let url = ConnectionString.configured(explicit: explicit, environment: environment)
        guard url != nil || UnconfiguredConnection.libpqConfigured(environment) else { return [] }
        // libpq reads it where the URL says nothing of its own.
        CurrentProcess.setDefault("PGCONNECT_TIMEOUT", "2")
        // A table locked elsewhere, or a slow server, must not hold the shell either: set first on
        // the connection, whatever PGOPTIONS or the URL's `options` say.
        guard let connection = try? PostgresConnection(url: url),
              (try? connection.execute("SET statement_timeout = 1500; SET lock_timeout = 1000")) != nil,
              let tables = try? Tables.detect(on: connection),
              let slugs = try? PersonaQueries(tables).slugs(startingWith: prefix, limit: limit, on: connection) else { return [] }
        // Only what a slug may be reaches the shell: a row that breaks the rules is not offered.
        return slugs.filter { Slug.isTreeName($0) }
    }
}
