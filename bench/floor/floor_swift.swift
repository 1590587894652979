// The memory floor of a Swift daemon on libpq: the smallest program the idle
// figures can be read against. It links the Swift runtime statically (as
// `make build` does for persona-registry), connects, LISTENs, sends READY=1
// to $NOTIFY_SOCKET and waits in poll(2), consuming notifications, and does
// nothing else: no argument parser, no Foundation, no tree. Used by scripts/bench.
//
//     floor-swift DATABASE_URL
import Glibc

@_silgen_name("PQconnectdb") func PQconnectdb(_ conninfo: UnsafePointer<CChar>) -> OpaquePointer?
@_silgen_name("PQstatus") func PQstatus(_ conn: OpaquePointer?) -> Int32
@_silgen_name("PQexec") func PQexec(_ conn: OpaquePointer?, _ query: UnsafePointer<CChar>) -> OpaquePointer?
@_silgen_name("PQresultStatus") func PQresultStatus(_ result: OpaquePointer?) -> Int32
@_silgen_name("PQclear") func PQclear(_ result: OpaquePointer?)
@_silgen_name("PQsocket") func PQsocket(_ conn: OpaquePointer?) -> Int32
@_silgen_name("PQconsumeInput") func PQconsumeInput(_ conn: OpaquePointer?) -> Int32
@_silgen_name("PQnotifies") func PQnotifies(_ conn: OpaquePointer?) -> UnsafeMutableRawPointer?
@_silgen_name("PQfreemem") func PQfreemem(_ pointer: UnsafeMutableRawPointer?)

let connectionOK: Int32 = 0, commandOK: Int32 = 1

func fail(_ message: String) -> Never {
    fputs("floor-swift: \(message)\n", stderr)
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else { fail("usage: floor-swift DATABASE_URL") }
let connection = PQconnectdb(arguments[1])
guard PQstatus(connection) == connectionOK else { fail("cannot connect") }
let listen = PQexec(connection, "LISTEN persona_registry")
guard PQresultStatus(listen) == commandOK else { fail("LISTEN failed") }
PQclear(listen)

if let path = getenv("NOTIFY_SOCKET").map({ String(cString: $0) }), !path.isEmpty {
    let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    var bytes = Array(path.utf8)
    if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes.prefix($0.count - 1)) }
    let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
    let sent = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, "READY=1", 7, 0, $0, length) }
    }
    if sent < 0 { fail("cannot notify") }
    close(fd)
}

var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
while true {
    if poll(&descriptor, 1, -1) < 0 {
        if errno == EINTR { continue }
        fail("poll failed")
    }
    guard PQconsumeInput(connection) == 1 else { fail("connection lost") }
    while let note = PQnotifies(connection) { PQfreemem(note) }
}
