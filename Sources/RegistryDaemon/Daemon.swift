import Logging
import RegistryCore
import RegistrySystem

/// `persona-registry serve`: one thread (a burst's file writes get a helper within a step,
/// `StagedAhead`), one `poll(2)` over a signalfd, the inotify descriptor, the libpq socket
/// and a timerfd. The daemon is wiring: events in, `DaemonState` decides, its actions
/// performed by the parts that own them: `WatchedTree` (the tree, its lock and watches), `DatabaseSide` (the
/// connection and its queries), `StepReporter` (log lines and `STATUS=`).
public final class Daemon {
    var configuration: DaemonConfiguration
    let reloadConfiguration: () throws -> DaemonConfiguration
    let logger: Logger
    let notifier: SystemdNotifier
    let signals: SignalDescriptor
    let timer: TimerDescriptor
    let tree: WatchedTree
    let database: DatabaseSide
    var reporter: StepReporter
    var state: DaemonState
    var known = KnownPersonas()
    var drain = NotificationDrain()
    var publisher: StatusPublisher
    var statusLine = StatusLine()
    /// The sweep in progress's per-entry callback, across its pages.
    var sweepProgress: SweepProgress?
    /// Personas swept, re-checked or applied since the heap was last trimmed.
    var handledSinceTrim = 0
    /// Whether the `ready` line was logged (it is, once: at the first READY=1).
    var loggedReady = false

    /// Opens and locks the tree and sets up the descriptors; nothing is connected yet.
    public init(configuration: DaemonConfiguration, environment: [String: String], logger: Logger,
                reloadConfiguration: @escaping () throws -> DaemonConfiguration) throws {
        self.configuration = configuration
        self.reloadConfiguration = reloadConfiguration
        self.logger = logger
        notifier = SystemdNotifier(environment: environment)
        // Blocked before the tree is opened: a wait for a reconcile's lock is stopped by SIGTERM too.
        signals = try SignalDescriptor()
        CurrentProcess.ignoreBrokenPipes()  // a log line stderr cannot take (its reader gone) is dropped, not the daemon
        tree = try LockWait.opening(signals: signals, notifier: notifier, logger: logger) {
            try WatchedTree(configuration: configuration, logger: logger)
        }
        database = DatabaseSide(logger: logger)
        reporter = StepReporter(logger: logger)
        publisher = StatusPublisher(tree: configuration.treePath, metricsFile: configuration.metricsFile, logger: logger)
        timer = try TimerDescriptor()
        state = DaemonState(settings: configuration.stateSettings(watchdogMicroseconds: notifier.watchdogIntervalMicroseconds))
        tree.onProgress = { [unowned self] in watchdogProgress() }
    }

    /// Runs until SIGTERM/SIGINT (returns) or a start-up failure (throws).
    public func run() throws {
        defer { tree.discardSpare() }  // at stop, and when a failure ends the daemon
        try tree.start()
        logger.log(.starting, "persona-registry serve starting", [
            "tree": "\(tree.path)", "templates": "\(configuration.templatesDescription)", "lock": "\(tree.lockPath)",
            "sweep_interval_s": "\(configuration.sweepIntervalSeconds)", "debounce_ms": "\(configuration.debounceMilliseconds)",
            "junk_sweep_interval_s": "\(configuration.junkSweepIntervalSeconds)"])
        try handle(.started, now: MonotonicClock.microseconds)
        while !state.isStopping {
            // Queries (a sweep's, a batch's) pull notifications into libpq's queue and leave the
            // socket empty: apply them before every wait, or they sit there until the next sweep.
            try handleNotifications(read: false)
            if state.isStopping { break }
            if DaemonPacing.trimsHeap(handledSinceTrim: handledSinceTrim, queryInFlight: database.isBusy) {
                HeapTrim.afterPeak()
                logger.log(.heapTrimmed, "freed heap pages handed back", ["personas": "\(handledSinceTrim)"])
                handledSinceTrim = 0
            }
            let now = MonotonicClock.microseconds
            publisher.publishIfDue(now: now) { tree.liveTree }
            statusLine.sendIfDue(self, now: now)
            try timer.arm(atMicroseconds: [state.nextDeadline, publisher.dueAt, statusLine.dueAt].compactMap { $0 }.min())
            let socket = database.socket
            let ready = try Poller.wait([signals.rawValue, tree.inotifyDescriptor, socket, timer.rawValue],
                                        timeoutMilliseconds: drain.mayBeWaiting ? 0 : nil)
            if ready[0].readable { try handleSignals() }
            if state.isStopping { break }
            if ready[1].readable || ready[1].failed { try note(tree.changes(), now: MonotonicClock.microseconds) }
            if socket >= 0, ready[2].readable || ready[2].failed {
                // The answer to a query in flight (notifications read with it wait in libpq), or notifications.
                if database.isBusy { try databaseReadable() } else { try handleNotifications(read: true) }
            }
            if ready[3].readable {
                timer.acknowledge()
                try handle(.timer, now: MonotonicClock.microseconds)
            }
        }
        database.cancelInFlight()
        flushTree()
        publisher.status.phase = .stopping
        publisher.publishNow(in: tree.liveTree, now: MonotonicClock.microseconds)
        notifier.send(["STOPPING=1", "STATUS=stopping"])
        logger.log(.stopped, "persona-registry serve stopped")
    }

    /// Tells `event` to the state machine and performs what it returns.
    func handle(_ event: DaemonState.Event, now: UInt64) throws {
        try perform(state.handle(event, now: now), now: now)
    }

    /// Performs `actions`, decided at `now`. Each is quick (a query is sent, not waited for)
    /// except `.connect`, which reads the clock again after its attempt; it comes last.
    func perform(_ actions: [DaemonState.Action], now: UInt64) throws {
        for action in actions {
            switch action {
            case .connect: try connect()
            case .abandonSetUp: try abandonSetUp(now: now)
            case .sweep(let policy): try sweep(policy, now: now)
            case .recheck(let names): try recheck(names, now: now)
            case .reload: reload(now: now)
            case .notifyReady: notifyReady()
            case .notifyWatchdog: notifier.send(["WATCHDOG=1"])
            case .warnJunk(let count, let latest): reporter.warnJunk(count, latest: latest, interval: configuration.junkSweepIntervalSeconds)
            case .retryRepairs(let names): try retryRepairs(names, now: now)
            case .reopenTree: try reopenTree(now: now)
            case .reportSlowQuery(let waited): database.reportSlowQuery(waited: waited)
            }
        }
    }

    func handleSignals() throws {
        let now = MonotonicClock.microseconds
        for signal in signals.pending() {
            switch signal {
            case .terminate, .interrupt:
                logger.log(.stopping, "stopping", ["signal": "\(signal.name)"])
                try handle(.terminate, now: now)
                return
            case .hangUp:
                logger.log(.reloading, "reloading", ["signal": "\(signal.name)"])
                try handle(.reload, now: now)
            default:
                break
            }
        }
    }

    /// Whether a signal waits on the signalfd (checked between batches so TERM stops promptly).
    var signalsPending: Bool {
        (try? Poller.wait([signals.rawValue], timeoutMilliseconds: 0).first?.readable) == true
    }

    /// SIGHUP: the configuration read again (`ConfigurationReload`); a failure leaves the
    /// previous configuration entirely in place.
    func reload(now: UInt64) {
        notifier.send(["RELOADING=1", "MONOTONIC_USEC=\(now)", "STATUS=reloading configuration"])
        statusLine.replaced()
        publisher.status.reloadedMicroseconds = now
        guard let fresh = ConfigurationReload.read(reloadConfiguration, serving: configuration, tree: tree, logger: logger) else { return }
        configuration = fresh
        state.settings = configuration.stateSettings(watchdogMicroseconds: notifier.watchdogIntervalMicroseconds)
    }

    /// The root moved or vanished, unless the configured path still names the open root. The
    /// tree is made again after the debounce (`reopenTree`). Returns whether the tree is missing.
    @discardableResult
    func noticeTreeLost(now: UInt64) -> Bool {
        if state.tree.isMissing { return true }
        if tree.isLive { return false }
        logger.log(.treeLost, "the tree root was moved or removed: making it again, then a repairing sweep", ["tree": "\(tree.treePath)"])
        state.note(.treeLost, now: now)
        updateStatus()
        return true
    }

    /// Called between entries of a long sweep or batch (100,000 personas, a
    /// role rename touching many): `WATCHDOG=1` when half of `WATCHDOG_USEC`
    /// has passed since the last one, as the loop would between steps.
    func watchdogProgress() {
        if state.watchdogDue(now: MonotonicClock.microseconds) { notifier.send(["WATCHDOG=1"]) }
    }

    /// `READY=1` with the current `STATUS=`, when `DaemonState` says: after the first sweep
    /// or the first failed connection attempt, and after a reload (`Readiness`).
    func notifyReady() {
        refreshPublished()
        let status = statusLine.sendReady(self, now: MonotonicClock.microseconds)
        // The line an operator (or a script) waits for outside systemd: once, at the first READY=1.
        if !loggedReady {
            loggedReady = true
            logger.log(.ready, "ready: serving the tree", ["status": "\(status.trimmingPrefix("STATUS="))"])
        }
    }

    /// After a step: `STATUS=` owed to systemd (`StatusLine`: the loop sends it when due) and
    /// the status file's view refreshed (`StatusPublisher` writes it when due).
    func updateStatus() {
        statusLine.owe()
        refreshPublished()
    }

    /// The status file's view only (`STATUS=` is sent after steps, with their counts).
    func refreshPublished() {
        publisher.refresh(known: known, findings: reporter.findings, failing: reporter.failures.count,
                          treeMissing: state.tree.isMissing, connected: state.isConnected)
    }
}
