import ArgumentParser
import RegistryCore
import RegistryTree

/// `reload`: SIGHUP to the serving daemon, returning when the reload is done (systemd 252's
/// `ExecReload=kill -HUP` returns at once, so `systemctl reload && drift` raced the sweep).
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Ask the serving daemon to reload, and wait until it has.",
        discussion: """
            Sends SIGHUP to the daemon serving the tree (the holder of its lock, or --pid) and \
            waits, at most --wait-seconds, until it has read its configuration again and finished \
            the repairing sweep that follows (when PostgreSQL or the tree is missing, that sweep \
            follows their return and reload returns at once). The unit's ExecReload runs it, so \
            that `systemctl reload persona-registry` returns when the tree is repaired.

            Exit status: 0 reloaded, 3 no daemon serves the tree, 1 error (the daemon did not \
            answer in time, or cannot be signalled).
            """
    )

    @OptionGroup var treeOptions: TreeOptions
    @Option(help: ArgumentHelp("The daemon's pid (systemd's $MAINPID), where the kernel's lock table is hidden.", valueName: "pid"))
    var pid: Int32?
    @Option(help: ArgumentHelp("How long to wait for the reload and its sweep.", valueName: "seconds"))
    var waitSeconds: Int = 240

    func validate() throws {
        guard waitSeconds >= 1, waitSeconds <= 86_400 else { throw ValidationError("--wait-seconds must be between 1 and 86400") }
        if let pid, pid <= 0 { throw ValidationError("--pid must be a positive process id") }
    }

    func run() throws {
        let path = treeOptions.tree
        let tree: PersonaTree
        do {
            tree = try PersonaTree(path: path, create: false)
        } catch let error where pid != nil && (try? PersonaTree.isMissing(path)) == true {
            // The tree was removed under the daemon (systemd's `--pid`): it makes the tree again,
            // then its repairing sweep; the configuration is read again now. Any other failure
            // to open it (a permission, not a directory) is the command's error.
            try ServingDaemon.signal(pid!)
            print("reloaded (pid \(pid!)); the tree is missing (\(error)): the repairing sweep follows once it is made again")
            return
        }
        let found = try pid.map { try ServingDaemon.named($0, in: tree) } ?? ServingDaemon.find(tree)
        guard let daemon = found else {
            printNote("error: no daemon serves \(path) (none holds its lock)")
            throw ExitCode(3)
        }
        let status = try daemon.signalAndWait(in: tree, timeoutMilliseconds: waitSeconds * 1_000) { $0.reloadedSince($1) }
        switch status.phase {
        case .waitingForPostgreSQL: print("reloaded (pid \(status.pid)); PostgreSQL is not reachable: the repairing sweep follows the reconnection")
        case .treeMissing: print("reloaded (pid \(status.pid)); the tree is missing: the repairing sweep follows once it is made again")
        default:
            let sweep = status.lastSweep.map { " (\($0.personas) personas)" } ?? ""
            print("reloaded (pid \(status.pid)); its repairing sweep finished\(sweep)")
        }
    }
}
