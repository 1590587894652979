import Logging

/// Every kind of line the daemon logs: a stable name (the `event=` key of the
/// line, for operators' filters and for tests), its level and its wording, in
/// one table. The wording can change; the names are the interface.
public struct DaemonEvent: Sendable, Hashable {
    public let name: String
    let level: Logger.Level
    let message: String

    init(_ name: String, _ level: Logger.Level, _ message: String) {
        self.name = name
        self.level = level
        self.message = message
    }

    /// What a log line carries to say it is this event.
    public var field: String { "event=" + name }
}

extension DaemonEvent {
    // Life cycle and configuration.
    public static let starting = DaemonEvent("starting", .info, "persona-registry serve starting")
    public static let stopping = DaemonEvent("stopping", .info, "stopping")
    public static let stopped = DaemonEvent("stopped", .info, "persona-registry serve stopped")
    public static let reloading = DaemonEvent("reloading", .info, "reloading")
    public static let reloaded = DaemonEvent("reloaded", .info, "configuration reloaded")
    public static let reloadFailed = DaemonEvent("reload_failed", .error, "reload failed; keeping the previous configuration")
    public static let treeUnchangeable = DaemonEvent("tree_unchangeable", .warning,
                                                     "the tree cannot change while serving; restart to use the new one")
    public static let startupFailed = DaemonEvent("startup_failed", .critical, "cannot serve")

    // PostgreSQL.
    public static let connected = DaemonEvent("connected", .info, "connected to PostgreSQL and listening")
    public static let connectFailed = DaemonEvent("connect_failed", .warning,
                                                  "cannot connect to PostgreSQL; reconnecting later with backoff, the tree stays watched")
    /// The same failure again: only at debug level.
    public static let connectStillFailing = DaemonEvent("connect_still_failing", .debug, "cannot connect to PostgreSQL; reconnecting later")
    public static let connectionLost = DaemonEvent("connection_lost", .warning, "lost the connection to PostgreSQL; the tree stays watched")
    public static let queryWaiting = DaemonEvent("query_waiting", .warning,
                                                 "a query has waited long for PostgreSQL (a lock held by another session?); the tree stays watched")
    public static let queryAnswered = DaemonEvent("query_answered", .info, "the query that waited long was answered")
    public static let answerLeftToSweep = DaemonEvent("answer_left_to_sweep", .info,
                                                      "the tree is missing: the answer is left to the repairing sweep")
    public static let cancelAsked = DaemonEvent("cancel_asked", .info, "asked the server to cancel the query in flight")
    public static let cancelFailed = DaemonEvent("cancel_failed", .warning, "could not cancel the query in flight")

    // Steps: sweeps, re-checks, notifications.
    public static let sweepFinished = DaemonEvent("sweep_finished", .info, "sweep finished")
    public static let sweepFailed = DaemonEvent("sweep_failed", .error, "sweep failed; the next one is scheduled")
    public static let recheck = DaemonEvent("recheck", .debug, "re-check")
    public static let recheckFailed = DaemonEvent("recheck_failed", .error, "re-check failed; a sweep follows")
    public static let retryingRepairs = DaemonEvent("retrying_repairs", .debug, "retrying failed repairs")
    public static let retryFailed = DaemonEvent("retry_failed", .error, "retrying failed repairs failed; retried later")
    public static let roleRenamed = DaemonEvent("role_renamed", .info, "role renamed")
    public static let personaDeleted = DaemonEvent("persona_deleted", .info, "persona deleted; its directory stays (never deleted)")
    public static let unknownPersonaNamed = DaemonEvent("unknown_persona_named", .debug,
                                                        "a notification named a persona that does not exist; nothing to do")
    public static let notificationsFailed = DaemonEvent("notifications_failed", .error,
                                                        "applying notifications failed; a repairing sweep follows")
    public static let junkIgnored = DaemonEvent("junk_ignored", .warning,
                                                "ignoring notifications that are not ours; one sweep follows, at most one per interval")
    public static let flushFailed = DaemonEvent("flush_failed", .error, "flushing the tree failed; a sweep follows")

    // What a step did and found.
    public static let directoryCreated = DaemonEvent("directory_created", .info, "created the persona directory")
    public static let identityWritten = DaemonEvent("identity_written", .info, "wrote the identity file")
    public static let seedFilesCreated = DaemonEvent("seed_files_created", .info, "created missing seed files from the templates")
    public static let entryFailed = DaemonEvent("entry_failed", .debug, "could not bring an entry in step")
    public static let failuresStarted = DaemonEvent("failures_started", .error,
                                                    "could not bring entries in step; retrying with backoff, logged again when it clears")
    public static let failuresCleared = DaemonEvent("failures_cleared", .notice, "entries back in step")
    /// Worded `finding: <kind>`, the kind also as `kind=`.
    public static let finding = DaemonEvent("finding", .warning, "finding")
    /// Worded `resolved: <kind>`, the kind also as `kind=`.
    public static let resolved = DaemonEvent("resolved", .info, "resolved")

    // The tree and its watches.
    public static let sweepNeeded = DaemonEvent("sweep_needed", .warning, "a full sweep follows")
    public static let inotifyUnreadable = DaemonEvent("inotify_unreadable", .warning, "cannot read inotify events; a full sweep follows")
    public static let treeLost = DaemonEvent("tree_lost", .error,
                                             "the tree root was moved or removed: making it again, then a repairing sweep")
    public static let treeRemakeFailed = DaemonEvent("tree_remake_failed", .critical,
                                                     "cannot make the tree again; nothing is kept in step until it exists")
    public static let treeRemade = DaemonEvent("tree_remade", .notice, "the tree was made again and is locked")
    public static let rootUnwatchable = DaemonEvent("root_unwatchable", .error, "cannot watch the tree root")
    public static let parentUnwatchable = DaemonEvent("parent_unwatchable", .warning,
                                                      "cannot watch the tree's parent: the tree's removal is noticed at the next sweep")
    public static let directoryUnwatchable = DaemonEvent("directory_unwatchable", .warning, "cannot watch a persona directory")
    public static let outOfWatches = DaemonEvent("out_of_watches", .critical,
                                                 "out of inotify watches: changes inside some persona directories are not seen until the next sweep")
}

extension Logger {
    /// Logs `event` with its level and wording (or `message`, worded for this line), and its name as `event=`.
    public func log(_ event: DaemonEvent, _ metadata: Logger.Metadata = [:], message: String? = nil) {
        var metadata = metadata
        metadata["event"] = "\(event.name)"
        log(level: event.level, "\(message ?? event.message)", metadata: metadata)
    }
}
