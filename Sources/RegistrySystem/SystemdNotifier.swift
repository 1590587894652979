import Glibc

/// The sd_notify protocol written by hand: datagrams of `KEY=value` lines to
/// the unix socket named by `NOTIFY_SOCKET` (a path, or `@name` for the
/// abstract namespace). Without `NOTIFY_SOCKET` every send does nothing.
public final class SystemdNotifier {
    private let descriptor: FileDescriptor?
    private var address = sockaddr_un()
    private var addressLength = socklen_t(0)
    /// Half of `WATCHDOG_USEC` (when set for this process): how often to send `WATCHDOG=1`.
    public let watchdogIntervalMicroseconds: UInt64?

    public init(environment: [String: String]) {
        watchdogIntervalMicroseconds = SystemdNotifier.watchdogInterval(environment)
        guard let socketName = environment["NOTIFY_SOCKET"], !socketName.isEmpty,
              let (address, length) = SystemdNotifier.address(socketName) else {
            descriptor = nil
            return
        }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        descriptor = fd >= 0 ? FileDescriptor(owning: fd) : nil
        self.address = address
        self.addressLength = length
    }

    /// Whether a notify socket was given.
    public var isEnabled: Bool { descriptor != nil }

    /// Sends one datagram, e.g. `["READY=1", "STATUS=..."]`. Failures are
    /// returned, not thrown: the daemon logs them and carries on.
    @discardableResult
    public func send(_ assignments: [String]) -> SystemError? {
        guard let descriptor else { return nil }
        let message = assignments.joined(separator: "\n")
        let sent = message.withCString { text in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    retryingSend(descriptor.rawValue, text, strlen(text), socketAddress, addressLength)
                }
            }
        }
        return sent
    }

    private func retryingSend(_ fd: Int32, _ text: UnsafePointer<CChar>, _ count: Int,
                              _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> SystemError? {
        do {
            try retryOnEINTR("sendto", "NOTIFY_SOCKET") { sendto(fd, text, count, Int32(MSG_NOSIGNAL), address, length) }
            return nil
        } catch {
            return error
        }
    }

    /// The socket address for a `NOTIFY_SOCKET` value; `nil` when unusable.
    package static func address(_ name: String) -> (sockaddr_un, socklen_t)? {
        var bytes = Array(name.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        guard abstract || bytes.first == UInt8(ascii: "/") else { return nil }
        if abstract { bytes[0] = 0 }
        var address = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity || (abstract && bytes.count <= capacity) else { return nil }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in bytes.enumerated() { path[index] = byte }
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
        // A path is NUL-terminated; an abstract name is exactly its bytes.
        let length = pathOffset + bytes.count + (abstract ? 0 : 1)
        return (address, socklen_t(length))
    }

    /// Half of `WATCHDOG_USEC` when the watchdog is meant for this process.
    package static func watchdogInterval(_ environment: [String: String]) -> UInt64? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], let owner = Int32(pid), owner != getpid() { return nil }
        return max(usec / 2, 1)
    }
}
