import ArgumentParser
import RegistryCore
import RegistryDatabase

struct GrantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grants",
        abstract: "Print the GRANT statements of least privilege for the daemon's and the CLI's database users.",
        discussion: """
            serve and drift need SELECT on role and persona; the CLI needs that too, and INSERT and \
            UPDATE on the columns it writes. Run the output (one transaction: all or nothing) with psql as \
            the tables' owner, e.g. \
            `persona-registry grants --database headspace | psql -d headspace`. Connects to nothing.
            """
    )

    @Option(help: ArgumentHelp("The database holding the tables.", valueName: "name")) var database = "headspace"
    @Option(help: ArgumentHelp("The database user of `serve` and `drift`.", valueName: "user")) var daemonUser = "persona_registry_daemon"
    @Option(help: ArgumentHelp("The database user of the operator CLI.", valueName: "user")) var cliUser = "persona_registry_cli"

    func validate() throws {
        for (option, name) in [("--database", database), ("--daemon-user", daemonUser), ("--cli-user", cliUser)] {
            // PostgreSQL cuts a longer name to 63 bytes: the grant would go to another name.
            guard !name.isEmpty, name.utf8.count <= 63, !name.unicodeScalars.contains(where: Escaping.needsEscape) else {
                throw ValidationError("\(option) must be 1 to 63 bytes without control characters")
            }
        }
    }

    func run() {
        print(Grants.script(database: database, daemonUser: daemonUser, cliUser: cliUser), terminator: "")
    }
}
