import Glibc
import Logging
import RegistryCore
import RegistrySystem
import RegistryTree

/// `persona-registry serve`: one thread, one `poll(2)` over a signalfd, the
/// inotify descriptor, the libpq socket and a timerfd. `DaemonState` decides;
/// this class performs (connects, sweeps, applies notifications, watches,
/// notifies systemd, logs).
public final class Daemon {
    public typealias TreeOpener = (DaemonConfiguration) throws -> TreeSync

    var configuration: DaemonConfiguration
    let reloadConfiguration: () throws -> DaemonConfiguration
    let openTree: TreeOpener
    var logger: Logger
    let notifier: SystemdNotifier

    var tree: TreeSync
    var lock: TreeLock
    let signals: SignalDescriptor
    let timer: TimerDescriptor
    var watcher: TreeWatcher
    var state: DaemonState
    var database: DatabaseLink? {
        didSet { if database == nil { queuedRequests = [] } }
    }
    var ledger = FindingLedger()
    /// Entries that could not be brought in step, by kind (`Daemon+Reporting`).
    var failures = FailureLedger()
    /// Persona id -> slug and status: names the directory of a deleted persona, counts for STATUS=.
    var known: [Int: (slug: String, status: PersonaStatus)] = [:]
    /// Role id -> the name its personas' identity files were last written with: a role
    /// notification is a rename only when the table's name differs (`Daemon+Notifications`).
    var knownRoles: [Int: String] = [:]
    /// The latest notification that was not ours, for the rate-limited warning.
    var lastJunkPayload: String?
    var outOfWatchesLogged = false
    /// Personas swept, re-checked or applied since the heap was last trimmed.
    var handledSinceTrim = 0
    /// Which inotify events are the daemon's own (`Daemon+OwnChanges`).
    var ownChanges = OwnChanges()
    /// Notifications' time slices and flushes (`Daemon+Notifications`).
    var drain = NotificationDrain()
    /// A connection has succeeded once: from then on every connection failure is retried.
    var everConnected = false
    /// Why the last connection attempt failed (logged when it changes, shown in STATUS=).
    var connectionProblem: String?
    /// Queries asked for while another was in flight (`Daemon+Queries`); dropped with the
    /// connection (the reconnect's repairing sweep covers them).
    var queuedRequests: [DatabaseLink.Request] = []

    /// A failure that ends the daemon (at start-up, or a removed tree it can never make
    /// again): one line, exit status 1.
    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens and locks the tree and sets up the descriptors; nothing is connected yet.
    public init(configuration: DaemonConfiguration, environment: [String: String], logger: Logger,
                reloadConfiguration: @escaping () throws -> DaemonConfiguration, openTree: @escaping TreeOpener) throws {
        self.configuration = configuration
        self.reloadConfiguration = reloadConfiguration
        self.openTree = openTree
        self.logger = logger
        notifier = SystemdNotifier(environment: environment)
        tree = try openTree(configuration)
        lock = try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: tree.path)
        signals = try SignalDescriptor()
        timer = try TimerDescriptor()
        watcher = try TreeWatcher(rootDescriptor: tree.rootDescriptor)
        state = DaemonState(settings: configuration.stateSettings(watchdogMicroseconds: notifier.watchdogIntervalMicroseconds))
    }

    /// Runs until SIGTERM/SIGINT (returns) or a start-up failure (throws).
    public func run() throws {
        try watcher.watchRoot(rootDescriptor: tree.rootDescriptor)
        watchParent()
        watchNewDirectories()
        logger.info("persona-registry serve starting", metadata: [
            "tree": "\(tree.path)", "templates": "\(configuration.templatesDescription)",
            "sweep_interval_s": "\(configuration.sweepIntervalSeconds)", "debounce_ms": "\(configuration.debounceMilliseconds)",
            "junk_sweep_interval_s": "\(configuration.junkSweepIntervalSeconds)", "lock": "\(lock.path)",
        ])
        try perform(state.handle(.started, now: MonotonicClock.microseconds))
        while !state.isStopping {
            // Queries (a sweep's, a batch's) pull notifications into libpq's queue and leave the
            // socket empty: apply them before every wait, or they sit there until the next sweep.
            try handleNotifications(read: false)
            if state.isStopping { break }
            if handledSinceTrim >= HeapTrim.afterPersonas {
                HeapTrim.afterPeak()
                handledSinceTrim = 0
            }
            try timer.arm(atMicroseconds: [state.nextDeadline, slowQueryDeadline].compactMap { $0 }.min())
            let socket = database?.socket ?? -1
            let ready = try Poller.wait([signals.rawValue, watcher.rawValue, socket, timer.rawValue],
                                        timeoutMilliseconds: drain.mayBeWaiting ? 0 : nil)
            if ready[0].readable { try handleSignals() }
            if state.isStopping { break }
            if ready[1].readable || ready[1].failed { try handleTreeEvents() }
            if socket >= 0, ready[2].readable || ready[2].failed {
                // The answer to a query in flight (notifications read with it wait in libpq), or notifications.
                if database?.isBusy == true { try databaseReadable() } else { try handleNotifications(read: true) }
            }
            if ready[3].readable {
                timer.acknowledge()
                let now = MonotonicClock.microseconds
                reportSlowQuery(now: now)
                try perform(state.handle(.timer, now: now))
            }
        }
        cancelQueryInFlight()
        flushTree()
        notifier.send(["STOPPING=1", "STATUS=stopping"])
        logger.info("persona-registry serve stopped")
    }

    func perform(_ actions: [DaemonState.Action]) throws {
        for action in actions {
            switch action {
            case .connect:
                try connect()
            case .sweep(let policy):
                try sweep(policy)
            case .recheck(let names):
                try recheck(names)
            case .reload:
                reload()
            case .notifyReady:
                notifyReady()
            case .notifyWatchdog:
                notifier.send(["WATCHDOG=1"])
            case .warnJunk(let count):
                warnJunk(count)
            case .retryRepairs(let names):
                try retryRepairs(names)
            case .reopenTree:
                try reopenTree()
            }
        }
    }

    func handleSignals() throws {
        for signal in signals.pending() {
            switch signal {
            case SIGTERM, SIGINT:
                logger.info("stopping", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
                try perform(state.handle(.terminate, now: MonotonicClock.microseconds))
                return
            case SIGHUP:
                logger.info("reloading", metadata: ["signal": "SIGHUP"])
                try perform(state.handle(.reload, now: MonotonicClock.microseconds))
            default:
                break
            }
        }
    }

    func reload() {
        notifier.send(["RELOADING=1", "MONOTONIC_USEC=\(MonotonicClock.microseconds)", "STATUS=reloading configuration"])
        do {
            let fresh = try reloadConfiguration()
            if fresh.treePath != configuration.treePath {
                logger.warning("the tree cannot change while serving; restart to use the new one",
                               metadata: ["tree": "\(configuration.treePath)", "requested": "\(fresh.treePath)"])
            }
            // The templates first: a failure leaves the previous configuration entirely in place.
            try tree.useTemplates(fresh.templatesPath)
            configuration = DaemonConfiguration(
                databaseURL: fresh.databaseURL, treePath: configuration.treePath, templatesPath: fresh.templatesPath,
                sweepIntervalSeconds: fresh.sweepIntervalSeconds, debounceMilliseconds: fresh.debounceMilliseconds,
                junkSweepIntervalSeconds: fresh.junkSweepIntervalSeconds)
            state.settings = configuration.stateSettings(watchdogMicroseconds: notifier.watchdogIntervalMicroseconds)
            logger.info("configuration reloaded", metadata: [
                "templates": "\(configuration.templatesDescription)", "sweep_interval_s": "\(configuration.sweepIntervalSeconds)",
                "debounce_ms": "\(configuration.debounceMilliseconds)"])
        } catch {
            logger.error("reload failed; keeping the previous configuration", metadata: ["error": "\(error)"])
        }
    }

    /// Called between entries of a long sweep or batch (100,000 personas, a
    /// role rename touching many): `WATCHDOG=1` when half of `WATCHDOG_USEC`
    /// has passed since the last one, as the loop would between steps.
    func watchdogProgress() {
        if state.watchdogDue(now: MonotonicClock.microseconds) { notifier.send(["WATCHDOG=1"]) }
    }

    /// `READY=1` with the current `STATUS=`, when `DaemonState` says: after the first sweep
    /// or the first failed connection attempt, and after a reload (`DaemonState.readyOwed`).
    func notifyReady() {
        notifier.send(["READY=1", status])
    }
}
