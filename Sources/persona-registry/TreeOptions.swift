import ArgumentParser
import RegistrySystem

/// Where the tree is.
struct TreeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The tree of persona directories (default: $PERSONA_DATA_DIR, else ./data/personas).",
        valueName: "dir"))
    var dataDir: String?

    var tree: String { Paths.tree(explicit: dataDir, environment: Environment.current) }

    /// An empty `--data-dir` (a script's unset variable) would make the working directory the tree.
    func validate() throws {
        if dataDir?.isEmpty == true { throw ValidationError("--data-dir must not be empty") }
    }
}
