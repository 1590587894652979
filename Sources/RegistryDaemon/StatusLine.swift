import RegistryCore
import RegistrySystem

/// The `STATUS=` line the daemon sends systemd: what it says (`StepReporter.status`:
/// counts, findings, failures, what the daemon waits for) and when (`StatusLinePacer`:
/// at once when the phase changes, else at most once a second; a burst's steps each
/// change the counts, and a datagram per persona woke the notify socket's reader).
/// A step only makes the line owed; the loop sends it when due, and arms its timer
/// for it (`dueAt`), so a burst's last counts are sent a second later at the most.
struct StatusLine {
    private var pacer = StatusLinePacer<StatusPhase>()

    /// When the owed line is due at the latest; `nil` when nothing is owed (idle: no timer).
    var dueAt: UInt64? { pacer.dueAt }

    /// What the line says changed, or may have (a step ended).
    mutating func owe() { pacer.owe() }

    /// Another `STATUS=` replaced it (`reloading configuration`): the next line goes at once.
    mutating func replaced() { pacer.replaced() }

    /// Sends the owed line if its phase changed or a second has passed since the last.
    mutating func sendIfDue(_ daemon: Daemon, now: UInt64) {
        let phase = Self.phase(daemon)
        guard pacer.isDue(phase: phase, now: now) else { return }
        daemon.notifier.send([Self.text(daemon)])
        pacer.didSend(phase: phase, now: now)
    }

    /// `READY=1` with the line, now; returns the line.
    mutating func sendReady(_ daemon: Daemon, now: UInt64) -> String {
        let text = Self.text(daemon)
        daemon.notifier.send(["READY=1", text])
        pacer.didSend(phase: Self.phase(daemon), now: now)
        return text
    }

    /// `STATUS=...` as it stands.
    static func text(_ daemon: Daemon) -> String {
        daemon.reporter.status(known: daemon.known, treeMissing: daemon.state.tree.isMissing,
                               listening: daemon.database.isListening, connectionProblem: daemon.database.problem)
    }

    /// The part of the line that is sent at once when it changes (cheap: no text is built).
    static func phase(_ daemon: Daemon) -> StatusPhase {
        let listening = daemon.database.isListening
        let failing = daemon.reporter.failures.current
        return StatusPhase(treeMissing: daemon.state.tree.isMissing, listening: listening,
                           connectionProblem: listening ? nil : daemon.database.problem,
                           failing: failing.isEmpty ? [] : Set(failing.keys))
    }
}

/// What the daemon is doing, as `STATUS=` says it: listening or waiting for PostgreSQL
/// (and why), the tree missing, the kinds of failure. A change is news; a count is not.
struct StatusPhase: Equatable, Sendable {
    var treeMissing: Bool
    var listening: Bool
    var connectionProblem: String?
    var failing: Set<String>
}
