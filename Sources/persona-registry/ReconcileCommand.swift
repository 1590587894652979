import ArgumentParser
import RegistryCore
import RegistryDatabase
import RegistryTree

struct ReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Repair what the database owns in the tree; report the rest.",
        discussion: """
            Creates missing directories of active personas whole (identity file and seed files \
            written under a hidden staging name, then renamed into place), writes missing identity files, rewrites identity files that differ from their row, and rewrites \
            invalid regular identity files after keeping the old bytes as \
            identity.yaml.rejected-<UTC yyyymmddThhmmssZ>. Recreates missing seed files from the \
            templates. Never deletes, moves or overwrites seed files; orphan directories, symbolic \
            links (a seed file leading out of the tree among them), FIFOs and stray entries are only reported. \
            Leftover temp files and staging directories of a writer that is gone are removed.

            Exit status: 0 the tree is in step afterwards (with --dry-run: would be), 2 findings \
            remain that reconcile may not repair (or a repair failed), 1 error.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var treeOptions: TreeOptions
    @OptionGroup var templateOptions: TemplatesOptions
    @Flag(help: "Print the plan and change nothing.") var dryRun = false
    @Option(help: "Output format: text, json or porcelain.") var format: DriftFormat = .text

    func run() throws {
        let (personas, layout) = try connection.run("reconcile", needs: \.reading) { (try PersonaQueries($1).all(on: $0), $1.layout) }
        // Templates first, with or without --dry-run: a bad --templates-dir fails the plan as it
        // would fail the run, and must not leave a new, empty tree behind.
        let templates = try SeedTemplates.load(templateOptions.directory, layout: layout)
        let sweep: SweepResult
        if dryRun, try PersonaTree.isMissing(treeOptions.tree) {
            try PersonaTree.checkCreatable(treeOptions.tree)
            sweep = PersonaTree.planForMissingTree(personas: personas, policy: .reconcile)
        } else {
            let tree = try PersonaTree(path: treeOptions.tree, create: !dryRun)
            let lock = dryRun ? nil : try Self.lockOrWarn(tree)
            let progress = TerminalProgress(personas: personas.count)
            defer { progress.finish() }
            sweep = try withExtendedLifetime(lock) {
                try tree.sweep(personas: personas, templates: templates, policy: .reconcile, dryRun: dryRun,
                               progress: progress.entryDone)
            }
        }
        let report = dryRun
            ? ReconcileReport(plan: sweep.plan)
            : ReconcileReport(dryRun: false, entries: sweep.repairs.map(ReconcileEntry.init(result:)),
                              remaining: DriftReport(findings: sweep.remaining))
        print(report.rendered(as: format), terminator: "")
        if !report.remaining.isClean || report.failures > 0 { throw ExitCode(2) }
    }

    /// The tree's lock for the run, so that a daemon does not start serving the tree halfway
    /// (it finds the lock held and exits; systemd restarts it). Only in a tree a daemon has
    /// served (its lock file is there): reconcile leaves no file of its own behind. When a
    /// daemon holds it, the run goes on and says what it cannot promise: a row that changes
    /// meanwhile may be written as it was read, until the daemon's next repairing sweep.
    static func lockOrWarn(_ tree: PersonaTree) throws -> TreeLock? {
        guard try tree.entryType(TreeLock.fileName) != nil else { return nil }
        guard !TreeLock.isHeld(treePath: tree.path) else {
            printNote("note: a daemon serves \(tree.path): an identity file whose row changes while reconcile runs may be "
                + "written as it was read; `systemctl reload persona-registry` (its repairing sweep) brings such a file up to date")
            return nil
        }
        return try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: tree.path)
    }
}
