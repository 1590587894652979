import ArgumentParser
import RegistryCore
import RegistryDatabase
import RegistryTree

extension PersonaCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one persona: its row, its directory, and what drift finds there now.",
            discussion: "Exit status: 0 when its directory is in step, 2 when drift finds something there, 1 on error.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var tree: TreeOptions
        @Argument(help: "The persona's slug.", completion: SlugCompletion.kind) var slug: String
        @Option(help: "Output format: text or json.") var format: ListFormat = .text

        func run() throws {
            let persona = try connection.run("persona show", needs: \.reading) { connection, tables in
                try PersonaQueries(tables).withSlug(slug, on: connection)
            }
            guard let persona else { throw TableError.unknownSlug(slug) }
            let root = tree.tree
            let findings = try PersonaTree.isMissing(root)
                ? DriftEngine.findings(slug: persona.slug, persona: persona, entry: nil)
                : try PersonaTree(path: root, create: false).findings(about: persona.slug, persona: persona)
            let report = PersonaReport(persona: persona, directory: root + "/" + persona.slug, findings: findings)
            switch format {
            case .json: print(try JSONOutput.render(report))
            case .text: print(report.text, terminator: "")
            }
            if !report.findings.isEmpty { throw ExitCode(2) }
        }
    }
}
