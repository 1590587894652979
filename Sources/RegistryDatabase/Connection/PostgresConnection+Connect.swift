import CLibPQ
import Glibc
import RegistrySystem

/// The connection attempt: `PQconnectStartParams` and `PQconnectPoll` driven
/// by `poll(2)`, so that the attempt has a deadline of its own (libpq's
/// `connect_timeout`, which it does not enforce for this interface), can be
/// abandoned when a signal arrives, and reports the server's SQLSTATE.
///
/// The deadline is per host, as libpq's blocking connect applies it ("This
/// timeout applies separately to each host name or IP address", libpq 15): it
/// restarts whenever libpq moves to another host, and a host that lets it pass
/// (one that drops packets) is left for the next one in the list, by a new
/// attempt at the hosts after it (`ConnectionHostList`). A list of N hosts
/// therefore waits at most N × `connect_timeout`.
extension PostgresConnection {
    /// The attempt was abandoned because the interrupt descriptor became readable.
    public struct ConnectInterrupted: Error, Sendable, CustomStringConvertible {
        public var description: String { "the connection attempt was interrupted" }
    }

    static func connect(keywords: [String], values: [String], interrupt: Int32) throws -> OpaquePointer {
        var attempt = (keywords: keywords, values: values)
        // The caller's `dbname` may be a URL; a later host's attempt carries libpq's parsed settings.
        var expandDatabaseName: Int32 = 1
        while true {
            let started = withCStrings(attempt.keywords) { keywordPointers in
                withCStrings(attempt.values) { valuePointers in
                    PQconnectStartParams(keywordPointers, valuePointers, expandDatabaseName)
                }
            }
            guard let handle = started else {
                throw ConnectionError.cannotConnect("libpq could not allocate a connection")
            }
            // libpq keeps the SQLSTATE of a refused connection to itself; the verbose
            // message carries it ("FATAL:  28P01: password authentication failed ...").
            PQsetErrorVerbosity(handle, PQERRORS_VERBOSE)
            let next: (keywords: [String], values: [String])?
            do {
                next = try waitUntilConnected(handle, interrupt: interrupt)
            } catch {
                PQfinish(handle)
                throw error
            }
            guard let next else {
                PQsetErrorVerbosity(handle, PQERRORS_DEFAULT)
                return handle
            }
            PQfinish(handle)
            attempt = next
            expandDatabaseName = 0
        }
    }

    /// Returns `nil` once connected, or the attempt at the hosts after one whose deadline passed.
    private static func waitUntilConnected(_ handle: OpaquePointer, interrupt: Int32) throws
        -> (keywords: [String], values: [String])? {
        let hosts = ConnectionHostList(handle)
        let timeout = connectTimeoutMicroseconds(hosts)
        var host = currentHost(handle)
        var hostIndex = hosts.index(host: host.name, port: host.port, from: 0)
        var deadline = timeout.map { MonotonicClock.microseconds + $0 }
        // As if PQconnectPoll had returned PGRES_POLLING_WRITING (libpq's documented start).
        var polling = PGRES_POLLING_WRITING
        while true {
            if polling == PGRES_POLLING_OK, PQstatus(handle) == CONNECTION_OK { return nil }
            if polling == PGRES_POLLING_FAILED || PQstatus(handle) == CONNECTION_BAD { throw refusal(handle) }
            let now = MonotonicClock.microseconds
            let moved = currentHost(handle)
            if moved != host {
                host = moved
                hostIndex = hosts.index(host: host.name, port: host.port, from: hostIndex + 1)
                deadline = timeout.map { now + $0 }
            }
            var waitMilliseconds: Int32?
            if let deadline {
                guard now < deadline else {
                    if let next = hosts.after(hostIndex) { return next }
                    throw ConnectionError.cannotConnect("cannot connect to PostgreSQL: timeout expired")
                }
                waitMilliseconds = Int32(clamping: (deadline - now + 999) / 1_000)
            }
            let events = Int16(polling == PGRES_POLLING_READING ? POLLIN : POLLOUT)
            // The socket can change between calls (the next host or address): read it each time.
            let ready = try Poller.wait([(PQsocket(handle), events), (interrupt, Int16(POLLIN))],
                                        timeoutMilliseconds: waitMilliseconds)
            if ready[1].readable { throw ConnectInterrupted() }
            if ready[0].readable || ready[0].writable || ready[0].failed { polling = PQconnectPoll(handle) }
        }
    }

    /// The host libpq is connecting to now (`PQhost`, `PQport`).
    private static func currentHost(_ handle: OpaquePointer) -> HostAndPort {
        HostAndPort(name: PQhost(handle).map { String(cString: $0) } ?? "",
                    port: PQport(handle).map { String(cString: $0) } ?? "")
    }

    private struct HostAndPort: Equatable {
        var name: String
        var port: String
    }

    /// libpq's `connect_timeout` as it applies it: none when 0 or unset, at least 2 s.
    private static func connectTimeoutMicroseconds(_ hosts: ConnectionHostList) -> UInt64? {
        guard let value = hosts.settings.first(where: { $0.keyword == "connect_timeout" })?.value,
              let seconds = Int(value), seconds > 0 else { return nil }
        return UInt64(max(seconds, 2)) * 1_000_000
    }

    /// The failed attempt as an error: a `PostgresError` with the server's SQLSTATE
    /// when it refused the connection (the last one, when several hosts were tried),
    /// else a `ConnectionError`; the message is the line that says why, without the code.
    static func refusal(_ handle: OpaquePointer) -> any Error {
        let text = PQerrorMessage(handle).map { String(cString: $0) } ?? ""
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.hasPrefix("LOCATION:") && !$0.trimmedWhitespace().isEmpty }
        var code: PostgresError.Code?
        var message = lines.first ?? "unknown libpq error"
        for line in lines {
            if let (sqlstate, stripped) = withoutSQLSTATE(line) {
                code = PostgresError.Code(raw: sqlstate)
                message = stripped
            }
        }
        let why = "cannot connect to PostgreSQL: " + message.trimmedWhitespace()
        guard let code else { return ConnectionError.cannotConnect(why) }
        return PostgresError(code: code, message: why)
    }

    /// Finds `:  XXXXX: ` (a severity, then a five-character SQLSTATE) in a
    /// verbose libpq message; returns the code and the line without it.
    static func withoutSQLSTATE(_ line: String) -> (String, String)? {
        let characters = Array(line)
        guard characters.count >= 10 else { return nil }
        for start in 0...(characters.count - 10) {
            guard characters[start] == ":", characters[start + 1] == " ", characters[start + 2] == " " else { continue }
            let code = characters[(start + 3)..<(start + 8)]
            guard code.allSatisfy({ ("0"..."9").contains($0) || ("A"..."Z").contains($0) }),
                  characters[start + 8] == ":", characters[start + 9] == " " else { continue }
            return (String(code), String(characters[..<(start + 3)]) + String(characters[(start + 10)...]))
        }
        return nil
    }
}
