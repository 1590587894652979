import ArgumentParser
import RegistryCore
import RegistryTree

/// `status`: whether a daemon serves the tree, by whom, since when, and how it is doing.
struct StatusCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether a daemon serves the tree, and what it is doing.",
        discussion: """
            The serving daemon is the process that holds the tree's lock (the kernel's lock \
            table); what it does (connected, waiting_for_postgresql, sweeping, tree_missing), \
            its last sweep, open findings by kind and last error come from the status file it \
            keeps in the tree (.persona-registry.status, rewritten at most once a second). \
            Needs no database.

            Exit status: 0 a daemon serves the tree, 3 none does (also when the tree does not \
            exist), 1 error.
            """
    )

    @OptionGroup var treeOptions: TreeOptions
    @Option(help: "Output format: text or json.") var format: Format = .text

    func run() throws {
        let path = treeOptions.tree
        var report = StatusReport(tree: path, serving: false, pid: nil, status: nil)
        if try !PersonaTree.isMissing(path) {
            if let daemon = try ServingDaemon.find(PersonaTree(path: path, create: false)) {
                report = StatusReport(tree: path, serving: true, pid: daemon.pid, status: daemon.status)
            } else if case .reconcile = TreeLock.holding(treePath: path) {
                report.reconciling = true
            }
        }
        print(format == .json ? report.json() : report.text(), terminator: "")
        if !report.serving { throw ExitCode(3) }
    }
}
