import RegistryCore
import RegistryDatabase
import RegistrySystem

/// The daemon's one connection: opened, set up (a primary, its layout,
/// subscribed to `persona_registry`: `+SetUp`), and the queries it runs.
final class DatabaseLink {
    let connection: PostgresConnection
    /// The queries in the names of the layout this connection's database has (`prd` until
    /// the set-up has read it; nothing is asked before).
    var queries = PersonaQueries(.prd)
    /// The set-up's statements not sent yet (`+SetUp`).
    var setUpToSend: [SetUpStep]
    /// Every set-up statement was answered: the connection listens, queries may be sent.
    var isSetUp = false

    /// Connects. A signal arriving on `interrupt` (the daemon's signalfd) abandons the attempt,
    /// which is bounded by `connect_timeout` per host (`ConnectAttempt`); the set-up then goes
    /// through the loop (`sendSetUp`).
    init(url: String?, interrupt: Int32) throws(ConnectionError) {
        connection = try PostgresConnection(url: url, settings: DatabaseLink.settings, interrupt: interrupt)
        setUpToSend = SetUpStep.steps(timeoutMicroseconds: connection.connectTimeoutMicroseconds)
    }

    /// Keepalives and a TCP user timeout: see `ConnectionParameters.daemon`.
    static let settings = ConnectionParameters.daemon

    var socket: Int32 { connection.socket }
    var isConnected: Bool { connection.isConnected }

    /// Returns the payloads of our channel that libpq holds, after reading
    /// what the server sent when `read` (the socket was readable). Queries
    /// also pull notifications into libpq's queue without the socket staying
    /// readable, so the loop drains the queue after every step too.
    func receive(read: Bool) throws(ConnectionError) -> [String] {
        if read { try connection.consumeInput() }
        return connection.drainNotifications()
            .filter { $0.channel == RegistryNotification.channel }
            .map(\.payload)
    }

    /// What a statement was sent for: a step of the set-up, or one of the daemon's requests.
    enum Asked: Equatable {
        case setUp(SetUpStep)
        case request(DatabaseRequest)

        /// For log lines.
        var name: String {
            switch self {
            case .setUp(let step): step.name
            case .request(let request): request.name
            }
        }
    }

    /// The statement sent and not answered yet (one at a time: libpq runs one statement per connection).
    struct InFlight {
        var asked: Asked
        /// The statement's first result, kept until libpq says it has no more.
        var answer: Result<QueryResult, StatementError>?
    }

    private(set) var inFlight: InFlight?
    var isBusy: Bool { inFlight != nil }

    /// Sends `request`'s statement. Returns false when it needs none (nothing
    /// to look up: the answer is no rows, at once).
    func send(_ request: DatabaseRequest) throws(ConnectionError) -> Bool {
        guard let statement = request.statement(queries) else { return false }
        try send(statement, for: .request(request))
        return true
    }

    /// Sends `statement` without waiting; its answer comes through `advance`.
    func send(_ statement: Statement, for asked: Asked) throws(ConnectionError) {
        precondition(inFlight == nil, "one statement at a time")
        try connection.send(statement)
        inFlight = InFlight(asked: asked)
    }

    /// Reads what the server sent (the socket was readable). Returns what the
    /// statement in flight was sent for with its result once its answer is
    /// complete, `nil` while it is not. Throws when the connection is lost.
    func advance() throws(ConnectionError) -> (Asked, Result<QueryResult, StatementError>)? {
        guard inFlight != nil else { return nil }
        try connection.consumeInput()
        while !connection.isBusy {
            guard let result = connection.nextResult() else {
                guard let finished = inFlight else { return nil }
                inFlight = nil
                return (finished.asked, finished.answer ?? .failure(.connection(.lost("no result from the server"))))
            }
            if inFlight?.answer == nil { inFlight?.answer = result }
        }
        return nil
    }

    /// Asks the server to stop the statement in flight (on stop), from a child process
    /// (`DetachedCancel`); the link is dropped after. Returns the child's pid.
    func cancelDetached() throws(SystemError) -> Int32 {
        try DetachedCancel.send(on: connection, within: DaemonPacing.cancelSeconds)
    }
}
