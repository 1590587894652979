import Glibc
import Testing
@testable import RegistrySystem

@Suite struct SystemdNotifierTests {
    /// A datagram socket bound at `name` (a path, or `@abstract`).
    final class Listener {
        let fd: Int32
        init(_ name: String) throws {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var (address, length) = try #require(SystemdNotifier.address(name))
            let status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            try #require(status == 0, "bind \(name): errno \(errno)")
        }
        deinit { close(fd) }
        func receive() throws -> String {
            let readiness = try Poller.wait([fd], timeoutMilliseconds: 5_000)
            try #require(readiness[0].readable)
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &buffer, buffer.count, 0)
            return String(decoding: buffer[0..<max(count, 0)], as: UTF8.self)
        }
    }

    @Test func sendsToAnAbstractSocket() throws {
        let name = "@persona-registry-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let listener = try Listener(name)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name])
        #expect(notifier.isEnabled)
        #expect(notifier.send(["READY=1", "STATUS=3 personas"]) == nil)
        #expect(try listener.receive() == "READY=1\nSTATUS=3 personas")
    }

    @Test func sendsToAPathSocket() throws {
        let path = "/tmp/persona-registry-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        let listener = try Listener(path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(notifier.send(["STOPPING=1"]) == nil)
        #expect(try listener.receive() == "STOPPING=1")
    }

    @Test func withoutNotifySocketNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(notifier.send(["READY=1"]) == nil)
        #expect(SystemdNotifier.address("relative/path") == nil)
    }

    @Test func watchdogIntervalIsHalfOfWatchdogUsecForThisProcess() {
        #expect(SystemdNotifier.watchdogInterval(["WATCHDOG_USEC": "2000000"]) == 1_000_000)
        #expect(SystemdNotifier.watchdogInterval(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "\(getpid())"]) == 1_000_000)
        #expect(SystemdNotifier.watchdogInterval(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"]) == nil)
        #expect(SystemdNotifier.watchdogInterval(["WATCHDOG_USEC": "0"]) == nil)
        #expect(SystemdNotifier.watchdogInterval([:]) == nil)
    }
}
