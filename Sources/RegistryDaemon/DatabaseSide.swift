import Logging
import RegistryCore
import RegistryDatabase

/// The daemon's side of PostgreSQL: the link while connected, the queries
/// queued behind the one in flight, and why connecting fails. Until the first
/// connection succeeds, a configuration mistake (a URL libpq cannot parse,
/// credentials or a database the server refuses, a standby) ends the daemon with
/// one line (`ConnectFailure` sorts them); anything else (the server not up yet, the network) is retried with
/// the same backoff as a lost connection (`DaemonState` keeps the time).
final class DatabaseSide {
    /// The connection, being set up or LISTENing (`isListening`); `nil` while there is none.
    private(set) var link: DatabaseLink? {
        // Queued queries go with the connection: the reconnect's repairing sweep covers them.
        didSet { if link == nil { queued = [] } }
    }
    /// Queries asked for while another was in flight.
    var queued: [DatabaseRequest] = []
    /// A connection has succeeded once: from then on every connection failure is retried.
    private var everConnected = false
    /// How many attempts failed before the current one (for the `connected` line).
    private var failedAttempts = 0
    /// Why the last connection attempt failed (logged when it changes, shown in STATUS=).
    private(set) var problem: String?
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    enum Attempt: Equatable {
        /// Connected; a set-up statement is in flight, its answer read through `readable`.
        case settingUp
        /// The set-up was answered: listening.
        case connected
        /// A signal arrived during the attempt: the loop handles it next.
        case interrupted
        /// Retried later; `changed`: the first failure, or one unlike the last.
        case failed(changed: Bool)
    }

    /// Connects and sends the set-up's first statement; a signal on `interrupt` (the daemon's
    /// signalfd) abandons the connection attempt. `failedAttempts`: how many failed before this one.
    func connect(url: String?, interrupt: Int32, failedAttempts: Int) throws -> Attempt {
        self.failedAttempts = failedAttempts
        do {
            let link = try DatabaseLink(url: url, interrupt: interrupt)
            self.link = link
            try link.sendSetUp()
            return .settingUp
        } catch .interrupted {
            link = nil
            return .interrupted
        } catch {
            return try failed(.connection(error))
        }
    }

    /// The set-up statement in flight was answered (or failed, the connection with it): the
    /// next one is sent, or the attempt is done, connected or failed.
    func setUpAnswered(_ step: SetUpStep, _ result: Result<QueryResult, StatementError>) throws -> Attempt {
        guard let link else { return .failed(changed: false) }
        switch result {
        case .failure(let error):
            return try failed(ConnectFailure(error))
        case .success(let answer):
            let complete: Bool
            do { complete = try link.setUpAnswered(step, answer) } catch { return try failed(.standby(error)) }
            guard complete else {
                do { try link.sendSetUp() } catch { return try failed(.connection(error)) }
                return .settingUp
            }
        }
        var metadata: Logger.Metadata = ["channel": "\(RegistryNotification.channel)", "layout": "\(layout)"]
        if failedAttempts > 0 { metadata["failed_attempts"] = "\(failedAttempts)" }
        logger.log(.connected, "connected to PostgreSQL and listening", metadata)
        everConnected = true
        problem = nil
        return .connected
    }

    /// The set-up was not answered by `DaemonState`'s deadline: the attempt failed.
    func setUpTimedOut() throws -> Attempt {
        guard let link else { return .failed(changed: false) }
        return try failed(.connection(link.setUpNotAnswered()))
    }

    /// The attempt failed: the connection is dropped. Until one has succeeded, a configuration
    /// mistake ends the daemon (thrown); anything else is retried.
    private func failed(_ failure: ConnectFailure) throws -> Attempt {
        link = nil
        if !everConnected, failure.isConfigurationMistake { throw FatalCause.cannotConnect(failure.line) }
        let problem = failure.problem
        defer { self.problem = problem }
        return .failed(changed: problem != self.problem)
    }

    /// The connection failed under a query or a read: dropped, retried with backoff.
    func lost(_ error: some Error) {
        link = nil
        problem = nil
        logger.log(.connectionLost, "lost the connection to PostgreSQL; the tree stays watched", ["error": "\(error)"])
    }

    var isBusy: Bool { link?.isBusy == true }
    /// Connected and set up: notifications are heard, queries may be sent.
    var isListening: Bool { link?.isSetUp == true }
    /// How long the set-up of the connection just made may take (`nil`: no limit).
    var setUpTimeoutMicroseconds: UInt64? { link?.connection.connectTimeoutMicroseconds }
    /// The layout of the database connected to (`prd` while not connected).
    var layout: Layout { link?.queries.tables.layout ?? .prd }
    var socket: Int32 { link?.socket ?? -1 }

    /// Whether the query in flight is a notification batch's (its writes are not flushed until answered).
    var awaitingBatchRows: Bool {
        if case .request(.batch) = link?.inFlight?.asked { true } else { false }
    }

    /// A connection attempt failed (`problem` says why): one warning when the attempts start
    /// failing or fail differently (`changed`), not one per attempt; `delay`: until the next.
    func logFailedAttempt(changed: Bool, attempts: Int, delay: UInt64?) {
        var metadata: Logger.Metadata = ["error": "\(problem ?? "")", "attempt": "\(attempts)"]
        if let delay { metadata["delay_ms"] = "\(delay / 1_000)" }
        if changed {
            logger.log(.connectFailed, "cannot connect to PostgreSQL; reconnecting later with backoff, the tree stays watched", metadata)
        } else {
            logger.log(.connectStillFailing, "cannot connect to PostgreSQL; reconnecting later", metadata)
        }
    }
}
