import ArgumentParser
import RegistryCore
import RegistryDatabase
import RegistryTree

extension DriftFormat: ExpressibleByArgument {}

struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Report drift between the role/persona tables and the tree (read-only).",
        discussion: """
            Compares every persona row with the tree in one query and one pass over the tree; \
            needs no running daemon and changes nothing. Finding kinds: missing_directory, \
            orphan_directory, missing_identity, identity_mismatch, invalid_identity, missing_seed_file, \
            escaping_seed_file, unexpected_entry.

            Formats: text (a table grouped by direction and a summary line), json (format_version 1, \
            counts, findings sorted by slug then kind), porcelain (stable: one line per finding, \
            tab-separated fields kind, slug, field, database, file, detail; \\, tab, newline and \
            carriage return escaped as \\\\, \\t, \\n, \\r, every other C0 or C1 control, DEL, line \
            separator and bidirectional control as \\u and four lowercase hex digits). Text output \
            escapes the same characters the same way.

            Exit status: 0 no drift, 2 drift found, 1 error (cannot connect, tree unreadable), \
            64 usage error (unknown option or bad value).
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var treeOptions: TreeOptions
    @Option(help: "Output format: text, json or porcelain.") var format: DriftFormat = .text

    func run() throws {
        let (personas, kept) = try connection.run("drift", needs: \.reading) {
            (try PersonaQueries($1).all(on: $0), try RuleBreaks.list(on: $0))
        }
        // Rows the host's layout kept although they break its rules: said, not drift of the tree.
        for line in kept { printNote("kept row breaking a rule: " + line) }
        let tree = try PersonaTree(path: treeOptions.tree, create: false)
        let report = DriftReport(findings: try TreeSync(tree: tree, templates: nil).drift(personas))
        print(report.rendered(as: format), terminator: "")
        if !report.isClean { throw ExitCode(2) }
    }
}
