import ArgumentParser
import PersonaRegistry

/// Where the tree and the seed templates are.
struct TreeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The tree of persona directories (default: $PERSONA_DATA_DIR, else ./data/personas).",
        valueName: "dir"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp(
        "Templates for seed files (default: $PERSONA_TEMPLATES_DIR, else templates/ beside the tree, else the installed share dir).",
        valueName: "dir"))
    var templatesDir: String?

    var tree: String { Paths.tree(explicit: dataDir, environment: Environment.current) }
    var templates: String { Paths.templates(explicit: templatesDir, tree: tree, environment: Environment.current) }
}
