import ArgumentParser
import PersonaRegistry

struct ReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Repair what the database owns in the tree; report the rest.",
        discussion: """
            Creates missing directories of active personas (identity file and seed files), writes \
            missing identity files, rewrites identity files that differ from their row, and rewrites \
            invalid regular identity files after keeping the old bytes as \
            identity.yaml.rejected-<UTC yyyymmddThhmmssZ>. Never deletes, moves or overwrites seed \
            files; orphan directories, symbolic links, FIFOs and stray entries are only reported. \
            Leftover temp files of a writer that is gone are removed.

            Exit status: 0 the tree is in step afterwards (with --dry-run: would be), 2 findings \
            remain that reconcile may not repair (or a repair failed), 1 error.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var treeOptions: TreeOptions
    @Flag(help: "Print the plan and change nothing.") var dryRun = false
    @Option(help: "Output format: text, json or porcelain.") var format: DriftFormat = .text

    func run() throws {
        let database = try connection.connect()
        let personas = try PersonaQueries.all(on: database)
        let tree = try PersonaTree(path: treeOptions.tree, create: !dryRun)
        let snapshot = try tree.snapshot()
        let findings = DriftEngine.findings(personas: personas, snapshot: snapshot)
        let plan = RepairPlan.make(findings: findings, personas: personas, snapshot: snapshot, policy: .reconcile)
        let report: ReconcileReport
        if dryRun {
            report = ReconcileReport(plan: plan)
        } else {
            let templates = try SeedTemplates(directory: treeOptions.templates)
            let results = try tree.apply(plan, templates: templates, policy: .reconcile)
            let after = DriftEngine.findings(personas: personas, snapshot: try tree.snapshot())
            report = ReconcileReport(dryRun: false, entries: results.map(ReconcileEntry.init(result:)),
                                     remaining: DriftReport(findings: after))
        }
        print(report.rendered(as: format), terminator: "")
        if !report.remaining.isClean || report.failures > 0 { throw ExitCode(2) }
    }
}
