import Glibc

/// A signal number, with the ones the daemon is sent named, so that its callers need
/// not import Glibc (after swift-system's way with `Errno`: an open struct of constants).
package struct Signal: RawRepresentable, Hashable, Sendable {
    package let rawValue: Int32
    package init(rawValue: Int32) { self.rawValue = rawValue }

    package static let terminate = Signal(rawValue: SIGTERM)
    package static let interrupt = Signal(rawValue: SIGINT)
    package static let hangUp = Signal(rawValue: SIGHUP)

    /// `SIGTERM`, `SIGINT`, `SIGHUP`, else `signal <n>`: for log lines.
    package var name: String {
        switch self {
        case .terminate: "SIGTERM"
        case .interrupt: "SIGINT"
        case .hangUp: "SIGHUP"
        default: "signal \(rawValue)"
        }
    }
}

/// This process.
package enum CurrentProcess {
    /// Its pid (`getpid`: not cached by glibc, so read once by those who keep it).
    package static var id: Int32 { getpid() }

    /// Ignores `SIGPIPE`, whose default action ends the process: a write to a pipe whose
    /// reader has gone (standard error's, when a log shipper restarts) then fails with
    /// `EPIPE` instead, and the daemon drops the line and goes on (`StandardStreams`).
    package static func ignoreBrokenPipes() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Sets `name` in this process's environment unless it is set (libpq reads `PG*` there).
    package static func setDefault(_ name: String, _ value: String) {
        _ = setenv(name, value, 0)
    }
}
