import ArgumentParser
import RegistryCore
import RegistryDatabase

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, revert or inspect the schema migrations (built in; dbmate-format files with --migrations-dir).",
        subcommands: [Up.self, Down.self, Status.self]
    )

    struct Options: ParsableArguments {
        @OptionGroup var connection: ConnectionOptions

        @Option(name: .long, help: ArgumentHelp(
            "Directory of dbmate-format migration files to use instead of the built-in ones (default: $PERSONA_REGISTRY_MIGRATIONS, else the built-in set).",
            valueName: "dir"))
        var migrationsDir: String?

        /// The migrator for the database's layout (`requested` where it has none yet) and that layout.
        func migrator(requested: Layout? = nil, settings: MigrationSettings = MigrationSettings()) throws -> (Migrator, Layout) {
            let source = MigrationSource.resolve(explicit: migrationsDir, environment: Environment.current)
            let database = try connection.connect()
            let layout = try MigrationLayout.choose(on: database, requested: requested)
            return (Migrator(connection: database, files: try source.load(layout), settings: settings), layout)
        }
    }

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply every pending migration, each in its own transaction.",
            discussion: """
                The layout is the database's: the one its migrations are of, else headspace when it \
                holds the host's own tables roles and personas (adopted as they are, no row changed), \
                else --layout (default prd, the tables role and persona).
                """)
        @OptionGroup var options: Options

        @Option(name: .long, help: ArgumentHelp(
            "The layout to make on a database that has none yet: prd (tables role, persona) or headspace (the host's roles, personas).",
            valueName: "layout"))
        var layout: Layout?

        @Option(name: .long, help: ArgumentHelp(
            "refuse (default): existing rows that break a rule the headspace layout adds refuse the migration, one line each; keep: they stay, and the rule holds for new and updated rows.",
            valueName: "refuse|keep"))
        var existingRows: ExistingRows = .refuse

        enum ExistingRows: String, ExpressibleByArgument, CaseIterable {
            case refuse, keep
        }

        func run() throws {
            let (migrator, _) = try options.migrator(requested: layout,
                                                     settings: MigrationSettings(keepExistingRows: existingRows == .keep))
            let applied = try migrator.up()
            if applied.isEmpty {
                print("Schema is up to date.")
            }
            for file in applied { print("Applied \(file.name)") }
        }
    }

    struct Down: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revert the most recently applied migration.",
            discussion: "A revert that would drop a table holding rows is refused, naming the tables and their row counts, unless --drop-data is given. On the headspace layout only what the registry added is removed; the host's tables stay, unless migrate up made them: then the last revert drops them when no other table references them and they hold no rows (or --drop-data).")
        @OptionGroup var options: Options

        @Flag(name: .long, help: "Let the revert drop tables that hold rows, with their rows.")
        var dropData = false

        @Flag(help: "Print what the revert would drop and change nothing.")
        var dryRun = false

        func run() throws {
            let (migrator, _) = try options.migrator(settings: MigrationSettings(dropData: dropData))
            if let (reverted, dropped) = try migrator.down(dryRun: dryRun) {
                let tables = dropped.isEmpty ? "no table" : dropped.map(\.description).joined(separator: ", ")
                print(dryRun ? "Would revert \(reverted.name), dropping \(tables)" : "Reverted \(reverted.name)")
            } else {
                print("Nothing to revert: no migration is applied.")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List applied and pending migrations.",
            discussion: "Exit status: 0 when every migration is applied, 2 when one is pending, changed since it was applied, or missing its file, 1 on error.")
        @OptionGroup var options: Options

        func run() throws {
            let (migrator, layout) = try options.migrator()
            let states = try migrator.status()
            let rows = states.map { [$0.version, $0.name ?? "-", $0.status.rawValue, $0.appliedAt ?? "-"] }
            print(TextTable(header: ["VERSION", "FILE", "STATUS", "APPLIED AT"], rows: rows).render())
            let tables = Tables(layout: layout)
            print("Layout: \(layout) (tables \(tables.role), \(tables.persona))")
            for line in try migrator.ruleBreaks() { print(Escaping.escaped("Kept row breaking a rule: " + line)) }
            if states.contains(where: { $0.status != .applied }) {
                throw ExitCode(2)
            }
        }
    }
}

extension Layout: ExpressibleByArgument {}
