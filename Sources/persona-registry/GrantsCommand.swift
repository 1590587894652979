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
            `persona-registry grants --database headspace | psql -d headspace`. \
            With --database-url or $DATABASE_URL, the layout and the database name are the \
            database's own (read from it, unless --layout and --database are given); without, \
            it connects to nothing and prints the prd layout's grants for the database headspace.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: ArgumentHelp("The database holding the tables (default: the connected database's name, else headspace).",
                               valueName: "name")) var database: String?
    @Option(help: ArgumentHelp("The layout of the tables: prd (role, persona) or headspace (roles, personas; default: the connected database's, else prd).",
                               valueName: "layout")) var layout: Layout?
    @Option(help: ArgumentHelp("The database user of `serve` and `drift`.", valueName: "user")) var daemonUser = "persona_registry_daemon"
    @Option(help: ArgumentHelp("The database user of the operator CLI.", valueName: "user")) var cliUser = "persona_registry_cli"

    func validate() throws {
        for (option, name) in [("--database", database ?? "headspace"), ("--daemon-user", daemonUser), ("--cli-user", cliUser)] {
            // PostgreSQL cuts a longer name to 63 bytes: the grant would go to another name.
            guard !name.isEmpty, name.utf8.count <= 63, !name.unicodeScalars.contains(where: Escaping.needsEscape) else {
                throw ValidationError("\(option) must be 1 to 63 bytes without control characters")
            }
        }
    }

    func run() throws {
        // Without a database to ask, the host's layout is taken to have its persona types (revision ed3c7ae48539).
        var (tables, name) = (Tables(layout: layout ?? .prd, personaTypes: true), database ?? "headspace")
        if connection.resolved != nil, layout == nil || database == nil {
            try connection.run("grants", needs: \.reading) { connected, detected in
                if layout == nil { tables = detected }
                if database == nil { name = try connected.query("SELECT current_database()").scalar ?? name }
            }
        }
        let source = database != nil ? "as given" : connection.resolved != nil ? "the connected database" :
            "the default: --database or a connection (--database-url, DATABASE_URL) names another"
        print("-- Database \(name) (\(source)), layout \(tables.layout) (tables \(tables.role), \(tables.persona)).")
        print(Grants(tables).script(database: name, daemonUser: daemonUser, cliUser: cliUser), terminator: "")
    }
}
