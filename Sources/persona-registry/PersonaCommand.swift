import ArgumentParser
import PersonaRegistry

struct PersonaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persona",
        abstract: "Add, list, archive and activate personas.",
        subcommands: [Add.self, List.self, Archive.self, Activate.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a persona; the database assigns its slug, {role}-{name}-{id}.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var tree: TreeOptions
        @Option(help: "The name of an existing role.") var role: String
        @Option(help: "The persona's display name, e.g. Con.") var name: String
        @Option(help: "Core identity description.") var description: String?

        func run() throws {
            let persona = try PersonaQueries.add(role: role, name: name, description: description, on: connection.connectForWrites())
            print("Added persona \(persona.name) (\(persona.role)) as \(persona.slug)")
            print("Directory: \(tree.tree)/\(persona.slug)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List personas.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only personas with this role.") var role: String?
        @Option(help: "Only personas with this status: active or archived.") var status: PersonaStatus?
        @Option(help: "Output format: text or json.") var format: ListFormat = .text

        func run() throws {
            let personas = try PersonaQueries.list(role: role, status: status, on: connection.connect())
            switch format {
            case .json:
                print(try JSONOutput.render(personas))
            case .text:
                let rows = personas.map { [String($0.id), $0.slug, $0.name, $0.role, $0.status.rawValue] }
                print(TextTable(header: ["ID", "SLUG", "NAME", "ROLE", "STATUS"], rows: rows).render())
            }
        }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Archive a persona: its directory stays, the daemon stops creating it.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The persona's slug.") var slug: String

        func run() throws {
            let persona = try PersonaQueries.setStatus(.archived, slug: slug, on: connection.connectForWrites())
            print("Archived \(persona.slug)")
        }
    }

    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make an archived persona active again.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The persona's slug.") var slug: String

        func run() throws {
            let persona = try PersonaQueries.setStatus(.active, slug: slug, on: connection.connectForWrites())
            print("Activated \(persona.slug)")
        }
    }
}

extension PersonaStatus: ExpressibleByArgument {}
