import ArgumentParser
import PersonaRegistry

/// Where the seed templates are, for the commands that create persona directories.
struct TemplatesOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Templates for seed files (default: $PERSONA_TEMPLATES_DIR, else templates/ beside the tree, else the installed share dir).",
        valueName: "dir"))
    var templatesDir: String?

    func templates(tree: String) -> String {
        Paths.templates(explicit: templatesDir, tree: tree, environment: Environment.current)
    }
}
