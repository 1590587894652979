import ArgumentParser
import RegistryCore
import RegistryDatabase

struct RoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role",
        abstract: "Add, list and describe roles (developer, tester, pm, architect ...).",
        subcommands: [Add.self, List.self, Edit.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a role.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The role's name, unique, e.g. developer.") var name: String
        @Option(help: "What the role does.") var description: String?

        func run() throws {
            let role = try connection.runWriting("role add", needs: \.addingRole) {
                try RoleQueries($1).add(name: name, description: description, on: $0)
            }
            print("Added role \(Escaping.escaped(role.name)) (id \(role.id))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List roles with their persona counts.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Output format: text or json.") var format: ListFormat = .text

        func run() throws {
            let roles = try connection.run("role list", needs: \.reading) { try RoleQueries($1).all(on: $0) }
            switch format {
            case .json:
                print(try JSONOutput.render(roles))
            case .text:
                let rows = roles.map { [String($0.id), $0.name, String($0.personaCount), $0.description ?? ""] }
                print(TextTable(header: ["ID", "NAME", "PERSONAS", "DESCRIPTION"], rows: rows).render())
            }
        }
    }
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
