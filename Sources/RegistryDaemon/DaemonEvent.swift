import Logging

/// Every kind of line the daemon logs, by name: the `event=` field of the line,
/// for operators' filters and for tests (`sweep_finished`, `finding`, ...), and
/// its level. The names are the interface; the wording is written where the line
/// is logged and may change.
public enum DaemonEvent: String, CaseIterable, Sendable {
    // Life cycle and configuration.
    case starting, ready, stopping, stopped, reloading, reloaded, reloadFailed = "reload_failed",
        treeUnchangeable = "tree_unchangeable", startupFailed = "startup_failed",
        waitingForLock = "waiting_for_lock", lockTaken = "lock_taken"
    // PostgreSQL: connecting (a repeated failure is only at debug level), queries waiting, the cancel on stop.
    case connected, connectFailed = "connect_failed", connectStillFailing = "connect_still_failing",
        connectionLost = "connection_lost"
    case queryWaiting = "query_waiting", queryAnswered = "query_answered",
        answerLeftToSweep = "answer_left_to_sweep", cancelAsked = "cancel_asked", cancelFailed = "cancel_failed"
    // Steps: sweeps, re-checks, retries, notifications.
    case sweepProgress = "sweep_progress", sweepFinished = "sweep_finished", sweepFailed = "sweep_failed", recheck, recheckFailed = "recheck_failed",
        retryingRepairs = "retrying_repairs", retryFailed = "retry_failed"
    case roleRenamed = "role_renamed", personaDeleted = "persona_deleted",
        unknownPersonaNamed = "unknown_persona_named", notificationsFailed = "notifications_failed",
        junkIgnored = "junk_ignored", flushFailed = "flush_failed"
    // What a step did and found (a finding's kind is its `kind=` field).
    case directoryCreated = "directory_created", identityWritten = "identity_written",
        seedFilesCreated = "seed_files_created", entryFailed = "entry_failed", failuresStarted = "failures_started",
        failuresCleared = "failures_cleared"
    case finding, resolved
    // The tree and its watches.
    case sweepNeeded = "sweep_needed", inotifyUnreadable = "inotify_unreadable", treeLost = "tree_lost",
        treeRemakeFailed = "tree_remake_failed", treeRemade = "tree_remade"
    case rootUnwatchable = "root_unwatchable", parentUnwatchable = "parent_unwatchable",
        directoryUnwatchable = "directory_unwatchable", outOfWatches = "out_of_watches"
    // The status file and the sweep record in the tree root (`status`, `reload`, `reconcile` read them).
    case statusUnwritable = "status_unwritable", metricsUnwritable = "metrics_unwritable"
    // Memory: freed heap pages handed back after a peak (`DaemonPacing.trimsHeap`).
    case heapTrimmed = "heap_trimmed"

    /// The `event=` value: the case's name in snake case (`sweepFinished` -> `sweep_finished`),
    /// written out, since a line is logged per persona in a sweep (`DaemonEventTests` checks it).
    public var name: String { rawValue }

    /// What a log line carries to say it is this event.
    public var field: String { "event=" + name }

    var level: Logger.Level {
        switch self {
        case .connectStillFailing, .recheck, .retryingRepairs, .unknownPersonaNamed, .entryFailed, .heapTrimmed:
            .debug
        case .failuresCleared, .treeRemade:
            .notice
        case .treeUnchangeable, .waitingForLock, .connectFailed, .connectionLost, .queryWaiting, .cancelFailed, .junkIgnored, .finding,
             .sweepNeeded, .inotifyUnreadable, .parentUnwatchable, .directoryUnwatchable, .statusUnwritable,
             .metricsUnwritable:
            .warning
        case .reloadFailed, .sweepFailed, .recheckFailed, .retryFailed, .notificationsFailed, .flushFailed, .failuresStarted,
             .treeLost, .rootUnwatchable:
            .error
        case .startupFailed, .treeRemakeFailed, .outOfWatches:
            .critical
        default:
            .info
        }
    }
}

extension Logger {
    /// Logs `message` at `event`'s level, with the event's name as `event=`. Like swift-log's
    /// own, the message and metadata are built only when the level is logged.
    public func log(_ event: DaemonEvent, _ message: @autoclosure () -> String,
                    _ metadata: @autoclosure () -> Logger.Metadata = [:]) {
        log(level: event.level, Logger.Message(stringLiteral: message()), metadata: {
            var metadata = metadata()
            metadata["event"] = "\(event.name)"
            return metadata
        }())
    }
}
