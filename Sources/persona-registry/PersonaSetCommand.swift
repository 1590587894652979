import ArgumentParser
import RegistryCore
import RegistryDatabase

extension PersonaCommand {
    /// `persona set`: what the host's persona page edits. (Named `Edit`: `Set` is Swift's.)
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change a persona's name or description; its slug (and so its directory) stays.",
            discussion: "The daemon serving the tree rewrites the identity file; skill.md and experience.md are the person's and stay.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The persona's slug.", completion: SlugCompletion.kind) var slug: String
        @Option(help: "The new display name.") var name: String?
        @Option(help: "The new description.") var description: String?
        @Flag(help: "Remove the description.") var clearDescription = false

        func validate() throws {
            if name == nil, description == nil, !clearDescription {
                throw ValidationError("nothing to change: give --name, --description or --clear-description")
            }
            if description != nil, clearDescription {
                throw ValidationError("--description and --clear-description exclude each other")
            }
        }

        func run() throws {
            let change: FieldChange = clearDescription ? .clear : description.map(FieldChange.set) ?? .keep
            let persona = try connection.runWriting("persona set", needs: \.editingPersona) {
                try PersonaQueries($1).edit(slug: slug, name: name, description: change, on: $0)
            }
            print("Updated \(persona.slug): \(Escaping.escaped(persona.name)) (\(Escaping.escaped(persona.role)))")
        }
    }
}
