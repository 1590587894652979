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

            When a daemon serves the tree (it holds the tree's lock), reconcile does not write \
            beside it: it asks the daemon for a repairing sweep (as SIGHUP does), waits for it \
            (at most --wait-seconds), and prints the daemon's repairs and the drift that remains. \
            Otherwise it holds the tree's lock while it runs. --dry-run only reads, beside a daemon too.

            Exit status: 0 the tree is in step afterwards (with --dry-run: would be), 2 findings \
            remain that reconcile may not repair (or a repair failed), 1 error (also: the daemon \
            did not finish its sweep in time).
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var treeOptions: TreeOptions
    @OptionGroup var templateOptions: TemplatesOptions
    @Flag(help: "Print the plan and change nothing.") var dryRun = false
    @Option(help: "Output format: text, json or porcelain.") var format: DriftFormat = .text

    @Option(help: ArgumentHelp("Beside a serving daemon: how long to wait for its repairing sweep.", valueName: "seconds"))
    var waitSeconds: Int = 300

    func validate() throws {
        guard waitSeconds >= 1, waitSeconds <= 86_400 else { throw ValidationError("--wait-seconds must be between 1 and 86400") }
    }

    func run() throws {
        if !dryRun, try !PersonaTree.isMissing(treeOptions.tree) {
            let tree = try PersonaTree(path: treeOptions.tree, create: false)
            if let daemon = try ServingDaemon.find(tree) { return try askDaemon(daemon, tree: tree) }
        }
        let (personas, layout) = try connection.run("reconcile", needs: \.reading) { (try PersonaQueries($1).all(on: $0), $1.layout) }
        // Templates first, with or without --dry-run: a bad --templates-dir fails the plan as it
        // would fail the run, and must not leave a new, empty tree behind.
        let templates = try SeedTemplates.load(templateOptions.directory, layout: layout)
        let sweep: SyncResult
        if dryRun, try PersonaTree.isMissing(treeOptions.tree) {
            try PersonaTree.checkCreatable(treeOptions.tree)
            sweep = TreeSync.planForMissingTree(personas: personas, policy: .reconcile)
        } else {
            let tree = try PersonaTree(path: treeOptions.tree, create: !dryRun)
            let lock = dryRun ? nil : try Self.lock(tree)
            let progress = TerminalProgress(personas: personas.count)
            defer { progress.finish() }
            sweep = try withExtendedLifetime(lock) {
                try TreeSync(tree: tree, templates: templates).sweep(personas: personas, policy: .reconcile, dryRun: dryRun,
                                                                     progress: progress.entryDone)
            }
        }
        let report = dryRun
            ? ReconcileReport(plan: sweep.plan)
            : ReconcileReport(dryRun: false, entries: sweep.repairs.map(ReconcileEntry.init(result:)),
                              remaining: DriftReport(findings: sweep.remaining))
        try Self.print(report, as: format)
    }

    /// A daemon serves the tree: two writers would fight (its write of a row that changed
    /// during this run's walk would be overwritten with what this run read before, and then
    /// only reported as a person's edit). The daemon does the repairs (its repairing sweep, as
    /// SIGHUP asks), and this run prints what it did and the drift a fresh check finds after.
    func askDaemon(_ daemon: ServingDaemon, tree: PersonaTree) throws {
        let status = try daemon.signalAndWait(in: tree, timeoutMilliseconds: waitSeconds * 1_000, givesUp: { status in
            switch status.phase {
            case .waitingForPostgreSQL: "it is waiting for PostgreSQL (\(status.lastError ?? "not reachable")); its repairing sweep follows the reconnection"
            case .treeMissing: "the tree is missing; its repairing sweep follows once it is made again"
            default: nil
            }
        }) { $0.repairedSince($1) }
        printNote("note: the daemon serving \(tree.path) (pid \(status.pid)) made the repairs (its repairing sweep; "
            + "an invalid identity file is replaced only by a reconcile with no daemon serving the tree)")
        let record = try ServiceFiles.read(ServiceFiles.lastRepair, in: tree).flatMap { RepairSweepRecord(fileText: $0) }
        guard let record, record.startedMicroseconds >= (status.repairSweepStartedMicroseconds ?? .max) else {
            throw ReconcileBesideDaemonError(path: tree.displayPath(ServiceFiles.lastRepair))
        }
        if record.omitted > 0 { printNote("note: \(record.omitted) more repairs are not listed (the daemon's journal has each)") }
        let personas = try connection.run("reconcile", needs: \.reading) { try PersonaQueries($1).all(on: $0) }
        let remaining = DriftReport(findings: try TreeSync(tree: tree, templates: nil).drift(personas))
        try Self.print(ReconcileReport(dryRun: false, entries: record.entries, remaining: remaining), as: format)
    }

    static func print(_ report: ReconcileReport, as format: DriftFormat) throws {
        Swift.print(report.rendered(as: format), terminator: "")
        if !report.remaining.isClean || report.failures > 0 { throw ExitCode(2) }
    }

    /// The tree's lock for the run, so that a daemon does not start serving the tree halfway
    /// (it waits until this run ends: `TreeLock.Holder.reconcile`). Only in a tree a daemon
    /// has served (its lock file is there): reconcile leaves no file of its own behind.
    static func lock(_ tree: PersonaTree) throws -> TreeLock? {
        guard try tree.entryType(TreeLock.fileName) != nil else { return nil }
        return try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: tree.path, as: .reconcile)
    }}

/// The daemon's sweep ended but its record is not there (unwritable tree, another format).
struct ReconcileBesideDaemonError: Error, CustomStringConvertible {
    var path: String
    var description: String {
        "the daemon finished its repairing sweep but its record \(path) is missing or unreadable; its journal lists the repairs, `persona-registry drift` what remains"
    }
}
