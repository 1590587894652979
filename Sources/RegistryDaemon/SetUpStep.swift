import RegistryCore
import RegistryDatabase

/// The statements that set a new connection up, in order. Each is sent when the one before
/// is answered, through the loop as every query is (`DatabaseLink.Asked.setUp`), so signals,
/// the tree and the watchdog are served while a server that accepted the connection does not
/// answer; `DaemonState` gives up on them at `connect_timeout` (`.settingUp`).
enum SetUpStep: Sendable, Equatable {
    /// The server stops a set-up statement a second after the daemon gives up on it (and says
    /// why in its own words): an abandoned backend waiting on a lock would otherwise stay, one
    /// more per attempt.
    case limit(milliseconds: UInt64)
    /// A standby is refused (`pg_is_in_recovery()`): the daemon needs a primary.
    case standbyCheck
    /// Which layout the database has (`Tables.detection`).
    case layout
    /// Before anything is read, so nothing that changes during the following sweep is missed.
    case listen
    /// The limit lifted again: the daemon's own queries may wait on a lock (reported as slow).
    case unlimit

    /// The set-up of a connection whose `connect_timeout` is `timeout` (`nil`: no limit, and
    /// then none for the server either).
    static func steps(timeoutMicroseconds timeout: UInt64?) -> [SetUpStep] {
        let steps: [SetUpStep] = [.standbyCheck, .layout, .listen]
        guard let timeout else { return steps }
        return [.limit(milliseconds: timeout / 1_000 + 1_000)] + steps + [.unlimit]
    }

    var statement: Statement {
        switch self {
        case .limit(let milliseconds): Statement("SET statement_timeout = \(milliseconds)")
        case .standbyCheck: Statement("SELECT pg_is_in_recovery()")
        case .layout: Tables.detection
        case .listen: Statement("LISTEN \(RegistryNotification.channel)")
        case .unlimit: Statement("RESET statement_timeout")
        }
    }

    /// For log lines.
    var name: String {
        switch self {
        case .limit: "set-up (statement timeout)"
        case .standbyCheck: "set-up (standby check)"
        case .layout: "set-up (layout)"
        case .listen: "set-up (listen)"
        case .unlimit: "set-up (statement timeout reset)"
        }
    }
}
