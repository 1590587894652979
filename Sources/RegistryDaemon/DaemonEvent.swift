import Logging

/// Every kind of line the daemon logs, by name: the `event=` field of the line,
/// for operators' filters and for tests (`sweep_finished`, `finding`, ...), and
/// its level. The names are the interface; the wording is written where the line
/// is logged and may change.
public enum DaemonEvent: CaseIterable, Sendable {
    // Life cycle and configuration.
    case starting, stopping, stopped, reloading, reloaded, reloadFailed, treeUnchangeable, startupFailed
    // PostgreSQL: connecting (a repeated failure is only at debug level), queries waiting, the cancel on stop.
    case connected, connectFailed, connectStillFailing, connectionLost
    case queryWaiting, queryAnswered, answerLeftToSweep, cancelAsked, cancelFailed
    // Steps: sweeps, re-checks, retries, notifications.
    case sweepFinished, sweepFailed, recheck, recheckFailed, retryingRepairs, retryFailed
    case roleRenamed, personaDeleted, unknownPersonaNamed, notificationsFailed, junkIgnored, flushFailed
    // What a step did and found (a finding's kind is its `kind=` field).
    case directoryCreated, identityWritten, seedFilesCreated, entryFailed, failuresStarted, failuresCleared
    case finding, resolved
    // The tree and its watches.
    case sweepNeeded, inotifyUnreadable, treeLost, treeRemakeFailed, treeRemade
    case rootUnwatchable, parentUnwatchable, directoryUnwatchable, outOfWatches

    /// The `event=` value: the case's name in snake case (`sweepFinished` -> `sweep_finished`).
    public var name: String {
        String(describing: self).reduce(into: "") { name, character in
            if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
        }
    }

    /// What a log line carries to say it is this event.
    public var field: String { "event=" + name }

    var level: Logger.Level {
        switch self {
        case .connectStillFailing, .recheck, .retryingRepairs, .unknownPersonaNamed, .entryFailed:
            .debug
        case .failuresCleared, .treeRemade:
            .notice
        case .treeUnchangeable, .connectFailed, .connectionLost, .queryWaiting, .cancelFailed, .junkIgnored, .finding,
             .sweepNeeded, .inotifyUnreadable, .parentUnwatchable, .directoryUnwatchable:
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
        log(level: event.level, "\(message())", metadata: {
            var metadata = metadata()
            metadata["event"] = "\(event.name)"
            return metadata
        }())
    }
}
