/// When the daemon sends systemd its `STATUS=` line: at once when its phase
/// changes (what it waits for, the tree missing, which kinds of failure), else
/// at most once per `interval`, as the status file is written. A burst changes
/// the counts at every step, and a line per step was a datagram per persona and
/// a wake-up of whoever reads the notify socket. A change not sent is owed, due
/// an interval after the last line: the daemon's timer includes `dueAt`, so the
/// last counts of a burst are sent, and with nothing owed (idle) there is no timer.
public struct StatusLinePacer<Phase: Equatable & Sendable>: Sendable {
    public static var interval: UInt64 { 1_000_000 }

    /// The phase of the last line sent and when (`nil`: none yet, or another `STATUS=` replaced it).
    /// Apart, so that `dueAt`, read before every wait, copies no phase (a set of strings).
    private var sentPhase: Phase?
    private var sentAt: UInt64?
    /// Whether what the line says may have changed since it was sent.
    public private(set) var isOwed = false

    public init() {}

    /// What the line says changed, or may have (a step ended): a line is owed.
    public mutating func owe() {
        isOwed = true
    }

    /// Whether the owed line is to be sent at `now`, the daemon being in `phase`.
    public func isDue(phase: Phase, now: UInt64) -> Bool {
        guard isOwed else { return false }
        guard let sentPhase, let sentAt else { return true }
        return sentPhase != phase || sentAt + Self.interval <= now
    }

    /// When the owed line is due at the latest, whatever the phase (`nil`: nothing owed).
    public var dueAt: UInt64? {
        guard isOwed else { return nil }
        return sentAt.map { $0 + Self.interval } ?? 0
    }

    /// The line was sent at `now` (alone, or with `READY=1`): nothing is owed.
    public mutating func didSend(phase: Phase, now: UInt64) {
        sentPhase = phase
        sentAt = now
        isOwed = false
    }

    /// Another `STATUS=` replaced the line (`reloading configuration`): the next is sent at once.
    public mutating func replaced() {
        sentPhase = nil
        sentAt = nil
    }
}
