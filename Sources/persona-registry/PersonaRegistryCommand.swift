import ArgumentParser
import PersonaRegistry

@main
struct PersonaRegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persona-registry",
        abstract: "Owns the role and persona tables of Claude Headspace and keeps data/personas in step with them.",
        discussion: """
            Connection: --database-url, else DATABASE_URL, else libpq's PG* variables.
            Tree: --data-dir, else PERSONA_DATA_DIR, else ./data/personas.
            The schema migrations and seed templates are built in; --migrations-dir and \
            --templates-dir (PERSONA_REGISTRY_MIGRATIONS, PERSONA_TEMPLATES_DIR) use directories instead.
            """,
        version: PersonaRegistryVersion.current,
        subcommands: [
            MigrateCommand.self,
            RoleCommand.self,
            PersonaCommand.self,
            DriftCommand.self,
            ReconcileCommand.self,
            ServeCommand.self,
            GrantsCommand.self,
            ReplicaCommand.self,
        ]
    )

    /// ArgumentParser's own main, with PostgreSQL's error for a database that was never
    /// migrated turned into one line that says what to do, for every command.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: MissingSchema.explain(error))
        }
    }
}
