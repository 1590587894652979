import Logging
import RegistryCore
import RegistryDatabase

/// The daemon's side of PostgreSQL: the link while connected, the queries
/// queued behind the one in flight, and why connecting fails. Until the first
/// connection succeeds, a configuration mistake (a URL libpq cannot parse,
/// credentials or a database the server refuses, a standby) ends the daemon with
/// one line; anything else (the server not up yet, the network) is retried with
/// the same backoff as a lost connection (`DaemonState` keeps the time).
final class DatabaseSide {
    /// The connection, LISTENing; `nil` while there is none.
    private(set) var link: DatabaseLink? {
        // Queued queries go with the connection: the reconnect's repairing sweep covers them.
        didSet { if link == nil { queued = [] } }
    }
    /// Queries asked for while another was in flight.
    var queued: [DatabaseRequest] = []
    /// A connection has succeeded once: from then on every connection failure is retried.
    private var everConnected = false
    /// Why the last connection attempt failed (logged when it changes, shown in STATUS=).
    private(set) var problem: String?
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    enum Attempt: Equatable {
        case connected
        /// A signal arrived during the attempt: the loop handles it next.
        case interrupted
        /// Retried later; `changed`: the first failure, or one unlike the last.
        case failed(changed: Bool)
    }

    /// Connects, refuses a standby and LISTENs; a signal on `interrupt` (the daemon's
    /// signalfd) abandons the attempt. `failedAttempts`: how many failed before this one.
    func connect(url: String?, interrupt: Int32, failedAttempts: Int) throws -> Attempt {
        do {
            link = try DatabaseLink(url: url, interrupt: interrupt)
        } catch is PostgresConnection.ConnectInterrupted {
            link = nil
            return .interrupted
        } catch {
            link = nil
            if !everConnected, DatabaseSide.isConfigurationMistake(error) {
                throw Daemon.StartupError(description: DatabaseSide.describe(error))
            }
            let problem = String(DatabaseSide.describe(error).trimmingPrefix("cannot connect to PostgreSQL: "))
            defer { self.problem = problem }
            return .failed(changed: problem != self.problem)
        }
        var metadata: Logger.Metadata = ["channel": "\(RegistryNotification.channel)", "layout": "\(layout)"]
        if failedAttempts > 0 { metadata["failed_attempts"] = "\(failedAttempts)" }
        logger.log(.connected, "connected to PostgreSQL and listening", metadata)
        everConnected = true
        problem = nil
        return .connected
    }

    /// Errors that retrying cannot cure: the URL, the credentials, the database name, a standby.
    static func isConfigurationMistake(_ error: Error) -> Bool {
        switch error {
        case is InvalidConnectionString, is DatabaseLink.StandbyRefused:
            return true
        case let error as PostgresError:
            return error.code.errorClass == "28" || error.code == .invalidCatalogName
        default:
            return false
        }
    }

    static func describe(_ error: Error) -> String {
        (error as? PostgresError)?.message ?? (error as? ConnectionError)?.message ?? "\(error)"
    }

    /// The connection failed under a query or a read: dropped, retried with backoff.
    func lost(_ error: Error) {
        link = nil
        problem = nil
        logger.log(.connectionLost, "lost the connection to PostgreSQL; the tree stays watched", ["error": "\(error)"])
    }

    /// Whether `error` means the connection is gone (rather than one statement failing).
    func isConnectionLoss(_ error: Error) -> Bool {
        guard let link, link.isConnected else { return true }
        // libpq's own failure, or the server's connection-exception class (08).
        return error is ConnectionError || (error as? PostgresError)?.code.errorClass == "08"
    }

    var isBusy: Bool { link?.isBusy == true }
    /// The layout of the database connected to (`prd` while not connected).
    var layout: Layout { link?.queries.tables.layout ?? .prd }
    var socket: Int32 { link?.socket ?? -1 }

    /// Whether the query in flight is a notification batch's (its writes are not flushed until answered).
    var awaitingBatchRows: Bool {
        if case .batch = link?.inFlight?.request { true } else { false }
    }
}
