import Glibc

/// `poll(2)` over a fixed set of descriptors.
package struct Poller {
    package struct Readiness {
        package var readable: Bool
        package var writable: Bool
        /// POLLERR, POLLHUP or POLLNVAL: the peer went away or the descriptor is bad.
        package var failed: Bool
    }

    /// Waits until at least one descriptor is readable (or failed), or the
    /// timeout passes (`nil`: forever). A negative descriptor is ignored.
    /// Returns one readiness per descriptor, in order.
    package static func wait(_ descriptors: [Int32], timeoutMilliseconds: Int32? = nil) throws(SystemError) -> [Readiness] {
        try wait(descriptors.map { ($0, Int16(POLLIN)) }, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Waits for the given events (`POLLIN`, `POLLOUT`) on each descriptor.
    package static func wait(_ requests: [(descriptor: Int32, events: Int16)], timeoutMilliseconds: Int32?) throws(SystemError) -> [Readiness] {
        var entries = requests.map { pollfd(fd: $0.descriptor, events: $0.events, revents: 0) }
        let count = entries.count
        _ = try entries.withUnsafeMutableBufferPointer { (buffer) throws(SystemError) in
            try retryOnEINTR("poll", "") { poll(buffer.baseAddress, nfds_t(count), timeoutMilliseconds ?? -1) }
        }
        return entries.map { entry in
            Readiness(readable: entry.revents & Int16(POLLIN) != 0,
                      writable: entry.revents & Int16(POLLOUT) != 0,
                      failed: entry.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0)
        }
    }
}
