import ArgumentParser
import RegistryCore
import RegistryDatabase

@main
struct PersonaRegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persona-registry",
        abstract: "Owns the role and persona tables of Claude Headspace and keeps data/personas in step with them.",
        discussion: """
            Layout: the tables are the registry's own role and persona (prd), or the Headspace \
            host's roles and personas (headspace); every command finds the layout in the database \
            (migrate status shows it; migrate up --layout picks one for an empty database).
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
            StatusCommand.self,
            ReloadCommand.self,
            GrantsCommand.self,
            ReplicaCommand.self,
        ]
    )

    /// ArgumentParser's own main, with PostgreSQL's error for a database that was never
    /// migrated turned into one line that says what to do, for every command, and every
    /// command's error line escaped like all output (a path or name given may hold controls).
    static func main() {
        // Swift reads arguments and the environment as UTF-8 and repairs what is not: a name
        // would be stored, or a path used, other than the one given.
        for position in 1..<max(1, Int(CommandLine.argc)) {  // argc may be 0 (execve with an empty argv)
            guard let argument = CommandLine.unsafeArgv[position], String(validatingCString: argument) == nil else { continue }
            exit(withError: ValidationError("argument \(position) is not valid UTF-8; nothing was done"))
        }
        if let name = Environment.notUTF8.first {
            exit(withError: ValidationError("$\(name) is not valid UTF-8; nothing was done"))
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            exit(withError: shown(MissingSchema.explain(error)))
        }
    }

    /// A command's error as ArgumentParser prints it, control characters escaped (parts of
    /// the message that are escaped already, such as a quoted name, stay as they are).
    static func shown(_ error: Error) -> Error {
        if error is ExitCode || error is CleanExit || error is ValidationError { return error }
        if let multiline = error as? MultilineError {
            return ShownError(description: multiline.lines.map { Escaping.escaped($0, backslashes: false) }.joined(separator: "\n"))
        }
        let text = String(describing: error)
        guard text.unicodeScalars.contains(where: Escaping.needsEscape) else { return error }
        return ShownError(description: Escaping.escaped(text, backslashes: false))
    }

    /// Any error's line, escaped for the terminal.
    struct ShownError: Error, CustomStringConvertible {
        var description: String
    }
}
