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
            """,
        version: PersonaRegistryVersion.current,
        subcommands: [
            MigrateCommand.self,
            RoleCommand.self,
            PersonaCommand.self,
            DriftCommand.self,
            ReconcileCommand.self,
            ServeCommand.self,
            ReplicaCommand.self,
        ]
    )
}
