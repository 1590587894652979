import Foundation

/// A datagram socket in the abstract namespace standing in for systemd's
/// `NOTIFY_SOCKET`: collects every sd_notify message a daemon sends.
final class NotifySocketListener: @unchecked Sendable {
    /// The value for `NOTIFY_SOCKET`, `@persona-registry-test-...`.
    let name: String
    private let fd: Int32
    private var received: [String] = []

    init() throws {
        name = "@persona-registry-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        bytes[0] = 0
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in bytes.enumerated() { path[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard status == 0 else {
            close(fd)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "bind \(name): errno \(errno)"])
        }
    }

    deinit { close(fd) }

    /// Every message received so far, oldest first.
    var messages: [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 { break }
            received.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
        return received
    }

    /// Waits for a message satisfying `matches`; returns it, or nil at the deadline.
    func waitFor(timeout: Double = 20, _ matches: (String) -> Bool) -> String? {
        var found: String?
        waitUntil(timeout: timeout) {
            found = messages.first(where: matches)
            return found != nil
        }
        return found
    }

    /// Whether one message holds the line `assignment` (e.g. `READY=1`).
    static func has(_ message: String, _ assignment: String) -> Bool {
        message.split(separator: "\n").contains { $0 == assignment }
    }
}
