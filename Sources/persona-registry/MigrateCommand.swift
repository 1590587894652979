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

        func migrator() throws -> Migrator {
            let files = try MigrationSource.resolve(explicit: migrationsDir, environment: Environment.current).load()
            return Migrator(connection: try connection.connect(), files: files)
        }
    }

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply every pending migration, each in its own transaction.")
        @OptionGroup var options: Options

        func run() throws {
            let migrator = try options.migrator()
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
            let migrator = try options.migrator()
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
            let migrator = try options.migrator()
            let states = try migrator.status()
            let rows = states.map { [$0.version, $0.name ?? "-", $0.status.rawValue, $0.appliedAt ?? "-"] }
            print(TextTable(header: ["VERSION", "FILE", "STATUS", "APPLIED AT"], rows: rows).render())
            if states.contains(where: { $0.status != .applied }) {
                throw ExitCode(2)
            }
        }
    }
}
