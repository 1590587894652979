import ArgumentParser
import RegistryCore
import RegistryDatabase

extension RoleCommand {
    /// `role set`: a role's description. (Named `Edit`: `Set` is Swift's.)
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change a role's description (its name stays: it is part of its personas' slugs).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The role's name.") var name: String
        @Option(help: "The new description.") var description: String?
        @Flag(help: "Remove the description.") var clearDescription = false

        func validate() throws {
            guard (description != nil) != clearDescription else {
                throw ValidationError("give exactly one of --description and --clear-description")
            }
        }

        func run() throws {
            let role = try connection.runWriting("role set", needs: \.editingRole) {
                try RoleQueries($1).setDescription(of: name, to: clearDescription ? nil : description, on: $0)
            }
            print("Updated role \(Escaping.escaped(role.name))")
        }
    }
}
