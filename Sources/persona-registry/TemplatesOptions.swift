import ArgumentParser
import RegistrySystem

/// Where the seed templates are, for the commands that create persona directories.
struct TemplatesOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Directory of seed file templates, skill.md and experience.md (default: $PERSONA_TEMPLATES_DIR, else the built-in ones).",
        valueName: "dir"))
    var templatesDir: String?

    /// The override directory, nil for the built-in templates.
    var directory: String? {
        Paths.templates(explicit: templatesDir, environment: Environment.current)
    }
}
