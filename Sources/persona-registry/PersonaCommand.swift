import ArgumentParser
import RegistryCore
import RegistryDatabase
import RegistryTree

struct PersonaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persona",
        abstract: "Add, list, show, change, archive and activate personas.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Archive.self, Activate.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a persona; the database assigns its slug, {role}-{name}-{id}.",
            discussion: """
                The directory <tree>/<slug> is made by the daemon serving the tree (persona-registry \
                serve), or by persona-registry reconcile. When a daemon holds the tree's lock, add waits \
                until the directory exists (at most --wait-seconds) and prints its path; otherwise it \
                says that no daemon serves the tree, or that the directory did not appear in time. \
                The exit status is 0 in each case: the persona was added.
                """)
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var tree: TreeOptions
        @Option(help: "The name of an existing role.") var role: String
        @Option(help: "The persona's display name, e.g. Con.") var name: String
        @Option(help: "Core identity description.") var description: String?
        @Option(help: ArgumentHelp("How long to wait for the daemon to create the directory.", valueName: "seconds"))
        var waitSeconds: Int = 5
        @Flag(help: "Do not wait for the directory.") var noWait = false

        func validate() throws {
            guard waitSeconds >= 0, waitSeconds <= 3600 else {
                throw ValidationError("--wait-seconds must be between 0 and 3600")
            }
        }

        func run() throws {
            let persona = try connection.runWriting("persona add", needs: \.addingPersona) {
                try PersonaQueries($1).add(role: role, name: name, description: description, on: $0)
            }
            print("Added persona \(Escaping.escaped(persona.name)) (\(Escaping.escaped(persona.role))) as \(persona.slug)")
            let root = tree.tree
            let shownRoot = Escaping.escaped(root)
            let directory = "\(shownRoot)/\(persona.slug)"
            let arrival: DirectoryArrival
            do {
                arrival = try DirectoryArrival.observe(slug: persona.slug, tree: root, wait: !noWait,
                                                       timeoutMilliseconds: waitSeconds * 1000)
            } catch {
                // The row is added whatever happens here: exit 0, or a retrying script adds it twice.
                print("Could not wait for \(directory) (\(Escaping.escaped("\(error)", backslashes: false))): run `persona-registry drift` to see whether it was created")
                return
            }
            switch arrival {
            case .created:
                print("Directory: \(directory)")
            case .notWaited:
                print("Not waiting: the daemon serving \(shownRoot) creates \(directory)")
            case .noDaemon:
                print("No daemon serves \(shownRoot): run `persona-registry reconcile` (or start the service) to create \(directory)")
            case .timedOut:
                print("The daemon serving \(shownRoot) did not create \(directory) within \(waitSeconds) s: see its log, or run `persona-registry drift`")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List personas.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only personas with this role.") var role: String?
        @Option(help: "Only personas with this status: active or archived.") var status: PersonaStatus?
        @Option(help: "Output format: text or json.") var format: ListFormat = .text

        func run() throws {
            let personas = try connection.run("persona list", needs: \.reading) {
                try PersonaQueries($1).list(role: role, status: status, on: $0)
            }
            switch format {
            case .json:
                print(try JSONOutput.render(personas))
            case .text:
                let rows = personas.map { [String($0.id), $0.slug, $0.name, $0.role, $0.status.rawValue] }
                print(TextTable(header: ["ID", "SLUG", "NAME", "ROLE", "STATUS"], rows: rows).render())
            }
        }
    }

    /// `archive` and `activate`: the same update, a different status.
    static func setStatus(_ status: PersonaStatus, slug: String, connection: ConnectionOptions, command: String, done: String) throws {
        let persona = try connection.runWriting(command, needs: \.settingStatus) {
            try PersonaQueries($1).setStatus(status, slug: slug, on: $0)
        }
        print("\(done) \(persona.slug)")
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Archive a persona: its directory stays, the daemon stops creating it.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The persona's slug.", completion: SlugCompletion.kind) var slug: String

        func run() throws {
            try PersonaCommand.setStatus(.archived, slug: slug, connection: connection, command: "persona archive", done: "Archived")
        }
    }

    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make an archived persona active again.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The persona's slug.", completion: SlugCompletion.kind) var slug: String

        func run() throws {
            try PersonaCommand.setStatus(.active, slug: slug, connection: connection, command: "persona activate", done: "Activated")
        }
    }
}

extension PersonaStatus: ExpressibleByArgument {}
