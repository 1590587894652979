import ArgumentParser
import PersonaRegistry

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, revert or inspect the schema migrations (dbmate-format files).",
        subcommands: [Up.self, Down.self, Status.self]
    )

    struct Options: ParsableArguments {
        @OptionGroup var connection: ConnectionOptions

        @Option(name: .long, help: ArgumentHelp(
            "Directory of migration files (default: $PERSONA_REGISTRY_MIGRATIONS, else the installed share dir, else the checkout's migrations/).",
            valueName: "dir"))
        var migrationsDir: String?

        func migrator() throws -> (Migrator, String) {
            let directory = try MigrationDirectory.resolve(explicit: migrationsDir, environment: Environment.current)
            let files = try MigrationDirectory.load(directory)
            return (Migrator(connection: try connection.connect(), files: files), directory)
        }
    }

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply every pending migration, each in its own transaction.")
        @OptionGroup var options: Options

        func run() throws {
            let (migrator, _) = try options.migrator()
            let applied = try migrator.up()
            if applied.isEmpty {
                print("Schema is up to date.")
            }
            for file in applied { print("Applied \(file.name)") }
        }
    }

    struct Down: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revert the most recently applied migration.")
        @OptionGroup var options: Options

        func run() throws {
            let (migrator, _) = try options.migrator()
            if let reverted = try migrator.down() {
                print("Reverted \(reverted.name)")
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
            let (migrator, _) = try options.migrator()
            let states = try migrator.status()
            let rows = states.map { [$0.version, $0.name ?? "-", $0.status.rawValue, $0.appliedAt ?? "-"] }
            print(TextTable(header: ["VERSION", "FILE", "STATUS", "APPLIED AT"], rows: rows).render())
            if states.contains(where: { $0.status != .applied }) {
                throw ExitCode(2)
            }
        }
    }
}
