import ArgumentParser
import PersonaRegistry

struct GrantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grants",
        abstract: "Print the GRANT statements of least privilege for the daemon's and the CLI's database users.",
        discussion: """
            serve and drift need SELECT on role and persona; the CLI needs that too, and INSERT and \
            UPDATE on the columns it writes. Run the output with psql as the tables' owner, e.g. \
            `persona-registry grants --database headspace | psql -d headspace`. Connects to nothing.
            """
    )

    @Option(help: ArgumentHelp("The database holding the tables.", valueName: "name")) var database = "headspace"
    @Option(help: ArgumentHelp("The database user of `serve` and `drift`.", valueName: "user")) var daemonUser = "persona_registry_daemon"
    @Option(help: ArgumentHelp("The database user of the operator CLI.", valueName: "user")) var cliUser = "persona_registry_cli"

    func run() {
        print(Grants.script(database: database, daemonUser: daemonUser, cliUser: cliUser), terminator: "")
    }
}
