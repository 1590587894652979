/// The connection as the state machine keeps it: disconnected (until a retry), being set
/// up (until a deadline), connected; and the backoff of the reconnects.
public struct ConnectionState: Sendable, Equatable {
    public internal(set) var phase: DaemonState.Connection = .disconnected(retryAt: 0)
    public internal(set) var backoff: Backoff

    public init(backoff: Backoff = Backoff()) {
        self.backoff = backoff
    }

    public var isConnected: Bool { phase == .connected }

    /// How long until the next attempt, while disconnected and one is to come after `now`.
    public func retryDelay(now: UInt64) -> UInt64? {
        if case .disconnected(let retryAt) = phase, retryAt > now { retryAt - now } else { nil }
    }

    /// The set-up was answered: listening.
    mutating func connected() {
        phase = .connected
        backoff.reset()
    }

    /// An attempt failed or the connection was lost: retried after the next backoff delay.
    mutating func disconnected(now: UInt64, delay: (inout Backoff) -> UInt64) {
        phase = .disconnected(retryAt: now + delay(&backoff))
    }

    /// Connected, the set-up sent: given up on `timeout` from now (`nil`: never).
    mutating func settingUp(now: UInt64, timeout: UInt64?) {
        phase = .settingUp(until: timeout.map { timeout in
            let (until, overflow) = now.addingReportingOverflow(timeout)
            return overflow ? .max : until
        })
    }

    /// When the set-up is given up on or the next attempt is due.
    var deadline: UInt64? {
        switch phase {
        case .connected: nil
        case .settingUp(let until): until
        case .disconnected(let retryAt): retryAt
        }
    }

    /// Whether the set-up's deadline has passed: then not again, since the attempt reports
    /// back at once (`.disconnected`).
    mutating func setUpExpired(now: UInt64) -> Bool {
        guard case .settingUp(let until?) = phase, until <= now else { return false }
        phase = .settingUp(until: nil)
        return true
    }

    /// Whether the next attempt is due: then not again until this one reports back.
    mutating func retryDue(now: UInt64) -> Bool {
        guard case .disconnected(let retryAt) = phase, retryAt <= now else { return false }
        phase = .disconnected(retryAt: .max)
        return true
    }
}
