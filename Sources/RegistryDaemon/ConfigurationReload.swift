import Logging
import RegistryCore

/// SIGHUP's reading of the configuration. The tree cannot change while serving (its lock,
/// its watches); the templates are read first, so a failure leaves the previous
/// configuration entirely in place.
enum ConfigurationReload {
    /// The configuration to serve from now on (`nil`: reading it failed, logged).
    static func read(_ reload: () throws -> DaemonConfiguration, serving current: DaemonConfiguration,
                     tree: WatchedTree, logger: Logger) -> DaemonConfiguration? {
        do {
            var fresh = try reload()
            if fresh.treePath != current.treePath {
                logger.log(.treeUnchangeable, "the tree cannot change while serving; restart to use the new one",
                           ["tree": "\(current.treePath)", "requested": "\(fresh.treePath)"])
            }
            try tree.useTemplates(fresh.templatesPath)
            fresh.treePath = tree.treePath
            logger.log(.reloaded, "configuration reloaded", [
                "templates": "\(fresh.templatesDescription)", "sweep_interval_s": "\(fresh.sweepIntervalSeconds)",
                "debounce_ms": "\(fresh.debounceMilliseconds)"])
            return fresh
        } catch {
            logger.log(.reloadFailed, "reload failed; keeping the previous configuration", ["error": "\(error)"])
            return nil
        }
    }
}
