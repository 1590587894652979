import Glibc
import Logging

/// `persona-registry serve`: one thread, one `poll(2)` over a signalfd, the
/// inotify descriptor, the libpq socket and a timerfd. `DaemonState` decides;
/// this class performs (connects, sweeps, applies notifications, watches,
/// notifies systemd, logs).
public final class Daemon {
    public typealias TreeOpener = (DaemonConfiguration) throws -> TreeSync

    private var configuration: DaemonConfiguration
    private let reloadConfiguration: () throws -> DaemonConfiguration
    private let openTree: TreeOpener
    private var logger: Logger
    private let notifier: SystemdNotifier

    private var tree: TreeSync
    private let lock: TreeLock
    private let signals: SignalDescriptor
    private let timer: TimerDescriptor
    private var watcher: TreeWatcher
    private var state: DaemonState
    private var database: DatabaseLink?
    private var ledger = FindingLedger()
    /// Persona id -> slug and status: names the directory of a deleted persona, counts for STATUS=.
    private var known: [Int: (slug: String, status: PersonaStatus)] = [:]
    private var readyOwed = false
    private var outOfWatchesLogged = false

    /// A start-up failure: one line, exit status 1.
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
        logger.info("persona-registry serve starting", metadata: [
            "tree": "\(tree.path)", "templates": "\(configuration.templatesPath)",
            "sweep_interval_s": "\(configuration.sweepIntervalSeconds)", "debounce_ms": "\(configuration.debounceMilliseconds)",
            "lock": "\(lock.path)",
        ])
        try perform(state.handle(.started, now: MonotonicClock.microseconds), startup: true)
        while !state.isStopping {
            try timer.arm(atMicroseconds: state.nextDeadline)
            let socket = database?.socket ?? -1
            let ready = try Poller.wait([signals.rawValue, watcher.rawValue, socket, timer.rawValue])
            if ready[0].readable { try handleSignals() }
            if state.isStopping { break }
            if ready[1].readable || ready[1].failed { try handleTreeEvents() }
            if socket >= 0, ready[2].readable || ready[2].failed { try handleNotifications(read: true) }
            if ready[3].readable {
                timer.acknowledge()
                try perform(state.handle(.timer, now: MonotonicClock.microseconds))
            }
            // Queries pull notifications into libpq's queue: apply them before polling again.
            try handleNotifications(read: false)
        }
        notifier.send(["STOPPING=1", "STATUS=stopping"])
        logger.info("persona-registry serve stopped")
    }

    // MARK: - Actions

    private func perform(_ actions: [DaemonState.Action], startup: Bool = false) throws {
        for action in actions {
            switch action {
            case .connect:
                try connect(startup: startup)
            case .sweep(let policy):
                try sweep(policy, startup: startup)
            case .recheck(let names):
                recheck(names)
            case .reload:
                reload()
            case .notifyReady:
                notifyReady()
            case .notifyWatchdog:
                notifier.send(["WATCHDOG=1"])
            case .stop:
                break
            }
        }
    }

    private func connect(startup: Bool) throws {
        let now = MonotonicClock.microseconds
        do {
            let link = try DatabaseLink(url: configuration.databaseURL)
            database = link
            logger.info("connected to PostgreSQL and listening", metadata: ["channel": "\(RegistryNotification.channel)"])
            try perform(state.handle(.connected, now: now), startup: startup)
        } catch let error as DatabaseLink.StandbyRefused {
            database = nil
            if startup { throw StartupError(description: error.description) }
            logger.error("\(error.description)")
            reconnectLater(now: now)
        } catch let error as PostgresError where !startup && error.code.errorClass == "08" {
            database = nil
            logger.warning("cannot connect to PostgreSQL", metadata: ["error": "\(error.message)"])
            reconnectLater(now: now)
        } catch let error as StartupError {
            throw error
        } catch {
            database = nil
            if startup { throw StartupError(description: "\(error)") }
            logger.warning("cannot connect to PostgreSQL", metadata: ["error": "\(error)"])
            reconnectLater(now: now)
        }
    }

    private func reconnectLater(now: UInt64) {
        _ = state.handle(.disconnected, now: now)
        if case .disconnected(let retryAt) = state.connection, retryAt > now {
            logger.info("reconnecting later", metadata: [
                "attempt": "\(state.backoff.attempts)", "delay_ms": "\((retryAt - now) / 1_000)"])
        }
        updateStatus()
    }

    /// The connection failed under a query or a read: keep the tree side running, retry with backoff.
    private func connectionLost(_ error: Error) {
        database = nil
        logger.warning("lost the connection to PostgreSQL; the tree stays watched", metadata: ["error": "\(error)"])
        reconnectLater(now: MonotonicClock.microseconds)
    }

    /// Whether `error` means the connection is gone (rather than one statement failing).
    private func isConnectionLoss(_ error: Error) -> Bool {
        if let database, database.isConnected {
            return (error as? PostgresError)?.code.errorClass == "08"
        }
        return true
    }

    private func sweep(_ policy: SweepPolicy, startup: Bool) throws {
        defer { HeapTrim.afterPeak() }
        try sweepPass(policy, startup: startup)
    }

    private func sweepPass(_ policy: SweepPolicy, startup: Bool) throws {
        guard let database else { return }
        let personas: [Persona]
        do {
            personas = try database.allPersonas()
        } catch {
            if startup, let postgres = error as? PostgresError, postgres.code == .undefinedTable {
                throw StartupError(description: "the registry schema is missing (\(postgres.message)): run `persona-registry migrate up` first")
            }
            if isConnectionLoss(error) { connectionLost(error); return }
            if startup { throw StartupError(description: "cannot read the persona table: \(error)") }
            logger.error("sweep failed", metadata: ["error": "\(error)"])
            return
        }
        known = Dictionary(personas.map { ($0.id, ($0.slug, $0.status)) }, uniquingKeysWith: { $1 })
        watchDirectories(personas.map(\.slug))
        let outcome: SyncOutcome
        do {
            outcome = try tree.sweep(personas, policy: policy)
            if !outcome.created.isEmpty || !outcome.rewritten.isEmpty { try tree.flush() }
        } catch {
            if startup { throw StartupError(description: "cannot sweep the tree \(tree.path): \(error)") }
            logger.error("sweep failed", metadata: ["error": "\(error)"])
            return
        }
        watchDirectories(outcome.directories)
        report(outcome)
        log(ledger.replaceAll(with: outcome.findings))
        logger.info("sweep finished", metadata: [
            "policy": "\(policy == .repair ? "repair" : "create-only")", "personas": "\(personas.count)",
            "created": "\(outcome.created.count)", "rewritten": "\(outcome.rewritten.count)",
            "findings": "\(ledger.current.count)", "watches": "\(watcher.count)"])
        try perform(state.handle(.sweepFinished, now: MonotonicClock.microseconds))
        if readyOwed { notifyReady() }
        updateStatus()
    }

    private func recheck(_ names: Set<String>) {
        guard let database else { return }
        do {
            let personas = try database.personas(slugs: names)
            for name in names where Slug.isValid(name) { watcher.watch(name) }
            let outcome = try tree.recheck(names, personas: personas)
            if !outcome.created.isEmpty || !outcome.rewritten.isEmpty { try tree.flush() }
            watchDirectories(outcome.directories)
            report(outcome)
            log(ledger.replace(subjects: names, with: outcome.findings))
            updateStatus()
        } catch {
            if isConnectionLoss(error) { connectionLost(error); return }
            logger.error("re-check failed", metadata: ["error": "\(error)"])
        }
    }

    private func reload() {
        notifier.send(["RELOADING=1", "MONOTONIC_USEC=\(MonotonicClock.microseconds)", "STATUS=reloading configuration"])
        readyOwed = true
        do {
            let fresh = try reloadConfiguration()
            if fresh.treePath != configuration.treePath {
                logger.warning("the tree cannot change while serving; restart to use the new one",
                               metadata: ["tree": "\(configuration.treePath)", "requested": "\(fresh.treePath)"])
            }
            let urlChanged = fresh.databaseURL != configuration.databaseURL
            configuration = DaemonConfiguration(
                databaseURL: fresh.databaseURL, treePath: configuration.treePath, templatesPath: fresh.templatesPath,
                sweepIntervalSeconds: fresh.sweepIntervalSeconds, debounceMilliseconds: fresh.debounceMilliseconds)
            state.settings = configuration.stateSettings(watchdogMicroseconds: notifier.watchdogIntervalMicroseconds)
            try tree.useTemplates(configuration.templatesPath)
            logger.info("configuration reloaded", metadata: [
                "templates": "\(configuration.templatesPath)", "sweep_interval_s": "\(configuration.sweepIntervalSeconds)",
                "debounce_ms": "\(configuration.debounceMilliseconds)"])
            if urlChanged, database != nil {
                database = nil
                logger.info("the database URL changed: reconnecting")
                reconnectLater(now: MonotonicClock.microseconds)
            }
        } catch {
            logger.error("reload failed; keeping the previous configuration", metadata: ["error": "\(error)"])
        }
        if database == nil { notifyReady() }
    }

    /// After the tree was reopened, the root watch follows the new descriptor.
    private func watcherRootCheck() {
        do {
            watcher = try TreeWatcher(rootDescriptor: tree.rootDescriptor)
            try watcher.watchRoot(rootDescriptor: tree.rootDescriptor)
        } catch {
            logger.error("cannot watch the tree root", metadata: ["tree": "\(tree.path)", "error": "\(error)"])
        }
    }

    private func notifyReady() {
        readyOwed = false
        notifier.send(["READY=1", status])
    }

    // MARK: - Events

    private func handleSignals() throws {
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

    private func handleTreeEvents() throws {
        let now = MonotonicClock.microseconds
        for change in try watcher.changes() {
            switch change {
            case .entry(let name):
                if Slug.isValid(name) { watchOne(name) }
                _ = state.handle(.treeChanged(name), now: now)
            case .needsSweep(let why):
                logger.warning("\(why): a full sweep follows")
                _ = state.handle(.treeNeedsSweep, now: now)
            case .rootGone:
                logger.error("the tree root was moved or removed: a full sweep follows", metadata: ["tree": "\(tree.path)"])
                reopenTree()
                _ = state.handle(.treeNeedsSweep, now: now)
            }
        }
    }

    /// The root moved or vanished: open the configured path again (created
    /// if missing) so the daemon keeps serving the tree it was given.
    private func reopenTree() {
        do {
            tree = try openTree(configuration)
            watcherRootCheck()
        } catch {
            logger.error("cannot reopen the tree", metadata: ["tree": "\(configuration.treePath)", "error": "\(error)"])
        }
    }

    /// Applies batches of notifications until libpq holds no more.
    private func handleNotifications(read: Bool) throws {
        var read = read
        while !state.isStopping, let database {
            let batch: NotificationBatch
            do {
                // Drain everything the server has sent, then fetch the rows once.
                batch = NotificationBatch(payloads: try database.receive(read: read))
            } catch {
                connectionLost(error)
                return
            }
            read = false
            guard !batch.isEmpty else { return }
            apply(batch, database: database)
            if signalsPending { return }
        }
    }

    /// Whether a signal waits on the signalfd (checked between batches so TERM stops promptly).
    private var signalsPending: Bool {
        (try? Poller.wait([signals.rawValue], timeoutMilliseconds: 0).first?.readable) == true
    }

    private func apply(_ batch: NotificationBatch, database: DatabaseLink) {
        for payload in batch.unreadable {
            logger.warning("ignoring a notification that is not ours; a sweep follows", metadata: ["payload": "\(payload)"])
        }
        if !batch.unreadable.isEmpty { _ = state.handle(.treeNeedsSweep, now: MonotonicClock.microseconds) }
        do {
            let personas = try database.personas(ids: batch.personaIDs, roleIDs: batch.roleIDs)
            for persona in personas { known[persona.id] = (persona.slug, persona.status) }
            for persona in personas where persona.status == .active { watchOne(persona.slug) }
            let outcome = try tree.apply(personas)
            if !outcome.created.isEmpty || !outcome.rewritten.isEmpty { try tree.flush() }
            watchDirectories(outcome.directories)
            report(outcome)
            log(ledger.replace(subjects: Set(personas.map(\.slug)), with: outcome.findings))
            var orphans: Set<String> = []
            for id in batch.deletedPersonaIDs.sorted() {
                guard let slug = known.removeValue(forKey: id)?.slug else {
                    logger.info("persona deleted", metadata: ["id": "\(id)"])
                    continue
                }
                logger.info("persona deleted; its directory stays (never deleted)", metadata: ["id": "\(id)", "slug": "\(slug)"])
                orphans.insert(slug)
            }
            if !orphans.isEmpty {
                let outcome = try tree.recheck(orphans, personas: [])
                log(ledger.replace(subjects: orphans, with: outcome.findings))
            }
            updateStatus()
        } catch {
            if isConnectionLoss(error) { connectionLost(error); return }
            logger.error("applying notifications failed; a sweep follows", metadata: ["error": "\(error)"])
            _ = state.handle(.treeNeedsSweep, now: MonotonicClock.microseconds)
        }
    }

    // MARK: - Watches, logs, status

    private func watchDirectories(_ names: [String]) {
        for name in names { watchOne(name) }
    }

    private func watchOne(_ slug: String) {
        switch watcher.watch(slug) {
        case .watched, .notDirectory:
            break
        case .outOfWatches:
            if !outOfWatchesLogged {
                outOfWatchesLogged = true
                let limit = Inotify.maximumUserWatches
                logger.critical("""
                    out of inotify watches: changes inside some persona directories are not seen until the next sweep; \
                    raise the limit with `sysctl fs.inotify.max_user_watches=\(max((limit ?? 8192) * 4, 524_288))`
                    """, metadata: ["slug": "\(slug)", "max_user_watches": "\(limit.map(String.init) ?? "unknown")"])
            }
        case .failed(let reason):
            logger.warning("cannot watch a persona directory", metadata: ["slug": "\(slug)", "error": "\(reason)"])
        }
    }

    private func report(_ outcome: SyncOutcome) {
        for persona in outcome.created {
            logger.info("created the persona directory", metadata: ["slug": "\(persona.slug)", "id": "\(persona.id)"])
        }
        for persona in outcome.rewritten {
            logger.info("wrote the identity file", metadata: ["slug": "\(persona.slug)", "id": "\(persona.id)"])
        }
        for failure in outcome.failures {
            logger.error("could not bring an entry in step", metadata: ["slug": "\(failure.subject)", "error": "\(failure.reason)"])
        }
    }

    private func log(_ change: FindingLedger.Change) {
        for finding in change.new {
            logger.warning("finding: \(finding.kind)", metadata: ["slug": "\(finding.subject)", "detail": "\(finding.detail)"])
        }
        for finding in change.resolved {
            logger.info("resolved: \(finding.kind)", metadata: ["slug": "\(finding.subject)"])
        }
    }

    private var status: String {
        "STATUS=\(known.count) personas (\(known.values.count { $0.status == .active }) active), "
            + "\(ledger.current.count) findings, "
            + (database == nil ? "waiting for PostgreSQL" : "listening")
    }

    private func updateStatus() {
        notifier.send([status])
    }
}
