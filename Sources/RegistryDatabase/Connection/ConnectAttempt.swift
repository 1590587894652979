import CLibPQ
import Glibc
import RegistrySystem

/// One connection attempt: `PQconnectStartParams` and `PQconnectPoll` driven
/// by `poll(2)`, so that the attempt has a deadline of its own (libpq's
/// `connect_timeout`, which it does not enforce for this interface), can be
/// abandoned when a signal arrives, and reports the server's SQLSTATE
/// (`AttemptFailure`). It owns the libpq connection until it hands it over,
/// connected, and finishes it (`PQfinish`) otherwise.
///
/// The deadline is per host, as libpq's blocking connect applies it ("This
/// timeout applies separately to each host name or IP address", libpq 15): it
/// restarts whenever libpq moves to another host, and a host that lets it pass
/// (one that drops packets) is left for the next one in the list, by a new
/// attempt at the hosts after it (`ConnectionHostList`). A list of N hosts
/// therefore waits at most N × `connect_timeout`.
struct ConnectAttempt: ~Copyable {
    /// How an attempt ends when it does not fail.
    enum Outcome {
        /// Connected: the connection, now the caller's to finish.
        case connected(OpaquePointer)
        /// The current host's deadline passed: the attempt at the hosts after it.
        case timedOut(next: ConnectionParameters)
    }

    private let handle: OpaquePointer
    /// Set when `handle` is handed over, so it is not finished here.
    private var handedOver = false
    private let hosts: ConnectionHostList
    /// `connect_timeout`, per host (`ConnectionParameters.connectTimeoutMicroseconds`); `nil` for none.
    private let timeout: UInt64?
    /// The host libpq is connecting to, its place in `hosts` and its deadline.
    private var host: HostAndPort
    private var hostIndex: Int
    private var deadline: UInt64?
    /// What `PQconnectPoll` last asked for; the start is as if it had asked to
    /// write (libpq's documented beginning).
    private var polling = PGRES_POLLING_WRITING

    /// Connects with `parameters`, host after host as the type's comment says.
    /// When `interrupt` (a descriptor) becomes readable meanwhile, the attempt
    /// is abandoned and `.interrupted` thrown.
    static func connect(_ parameters: ConnectionParameters, interrupt: Int32) throws(ConnectionError) -> OpaquePointer {
        var parameters = parameters
        while true {
            switch try ConnectAttempt(parameters).finish(interrupt: interrupt) {
            case .connected(let handle): return handle
            case .timedOut(let next): parameters = next
            }
        }
    }

    /// Starts an attempt (`PQconnectStartParams`).
    private init(_ parameters: ConnectionParameters) throws(ConnectionError) {
        let started = withCStrings(parameters.keywords) { keywords in
            withCStrings(parameters.values) { values in
                PQconnectStartParams(keywords, values, parameters.expandsDatabaseName ? 1 : 0)
            }
        }
        guard let started else { throw .notStarted }
        PQsetErrorVerbosity(started, PQERRORS_VERBOSE)
        handle = started
        hosts = ConnectionHostList(ConnectionParameters(inEffectOn: started))
        timeout = hosts.parameters.connectTimeoutMicroseconds
        host = HostAndPort(started)
        hostIndex = hosts.index(host: host.name, port: host.port, from: 0)
        deadline = timeout.map { MonotonicClock.microseconds + $0 }
    }

    deinit {
        if !handedOver { PQfinish(handle) }
    }

    /// Waits until the attempt is connected, refused (thrown), interrupted
    /// (thrown) or past the current host's deadline.
    private consuming func finish(interrupt: Int32) throws(ConnectionError) -> Outcome {
        while true {
            if polling == PGRES_POLLING_OK, PQstatus(handle) == CONNECTION_OK {
                PQsetErrorVerbosity(handle, PQERRORS_DEFAULT)
                handedOver = true
                return .connected(handle)
            }
            if polling == PGRES_POLLING_FAILED || PQstatus(handle) == CONNECTION_BAD {
                throw AttemptFailure.error(of: handle)
            }
            let now = MonotonicClock.microseconds
            let moved = HostAndPort(handle)
            if moved != host {
                host = moved
                hostIndex = hosts.index(host: host.name, port: host.port, from: hostIndex + 1)
                deadline = timeout.map { now + $0 }
            }
            var waitMilliseconds: Int32?
            if let deadline {
                guard now < deadline else {
                    if let next = hosts.after(hostIndex) { return .timedOut(next: next) }
                    throw .cannotConnect(reason: "timeout expired", code: nil)
                }
                waitMilliseconds = Int32(clamping: (deadline - now + 999) / 1_000)
            }
            let events = Int16(polling == PGRES_POLLING_READING ? POLLIN : POLLOUT)
            // The socket can change between calls (the next host or address): read it each time.
            let ready: [Poller.Readiness]
            do {
                ready = try Poller.wait([(PQsocket(handle), events), (interrupt, Int16(POLLIN))],
                                        timeoutMilliseconds: waitMilliseconds)
            } catch {
                throw .waitFailed(error)
            }
            if ready[1].readable { throw .interrupted }
            if ready[0].readable || ready[0].writable || ready[0].failed { polling = PQconnectPoll(handle) }
        }
    }

    /// The host libpq is connecting to now (`PQhost`, `PQport`).
    private struct HostAndPort: Equatable {
        var name: String
        var port: String

        init(_ handle: OpaquePointer) {
            name = PQhost(handle).map { String(cString: $0) } ?? ""
            port = PQport(handle).map { String(cString: $0) } ?? ""
        }
    }
}
