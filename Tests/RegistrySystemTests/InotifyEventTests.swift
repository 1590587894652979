import CSystemExtras
import Glibc
import Testing
@testable import RegistrySystem

@Suite struct InotifyTests {
    @Test func parsesPackedEventsWithPaddedNames() {
        var bytes: [UInt8] = []
        func append(_ watch: Int32, _ mask: Int32, _ name: String, padTo length: Int) {
            withUnsafeBytes(of: watch.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: UInt32(bitPattern: mask).littleEndian) { bytes += $0 }
            withUnsafeBytes(of: UInt32(0)) { bytes += $0 }
            withUnsafeBytes(of: UInt32(length).littleEndian) { bytes += $0 }
            var name = Array(name.utf8)
            name += [UInt8](repeating: 0, count: length - name.count)
            bytes += name
        }
        append(1, IN_CREATE | IN_ISDIR, "developer-con-1", padTo: 16)
        append(2, IN_DELETE_SELF, "", padTo: 0)
        // A name that fills its length exactly (no NUL), and one padded well beyond it.
        append(3, IN_MOVED_TO, "abcd", padTo: 4)
        append(4, IN_CREATE, "skill.md", padTo: 32)
        let events = bytes.withUnsafeBytes { InotifyEvent.parse($0) }
        #expect(events.count == 4)
        #expect(events[0].watch == 1 && events[0].name == "developer-con-1" && events[0].isDirectory)
        #expect(events[1].watch == 2 && events[1].name.isEmpty && events[1].isSelfGone)
        #expect(events[2].watch == 3 && events[2].name == "abcd")
        #expect(events[3].watch == 4 && events[3].name == "skill.md")
    }

    @Test func realWatchReportsANewDirectoryAndRefusesSymlinks() throws {
        var template = Array("/tmp/inotify-test-XXXXXX".utf8CString)
        let path = String(cString: try #require(mkdtemp(&template)))
        let inotify = try Inotify()
        let watch = try inotify.addWatch(path)
        #expect(mkdir(path + "/developer-con-1", 0o755) == 0)
        let readiness = try Poller.wait([inotify.rawValue], timeoutMilliseconds: 5_000)
        #expect(readiness[0].readable)
        let events = try inotify.readEvents()
        #expect(events.contains { $0.watch == watch && $0.name == "developer-con-1" && $0.has(IN_CREATE) && $0.isDirectory })
        #expect(symlink("/tmp", path + "/link") == 0)
        #expect(throws: SystemError.self) { _ = try inotify.addWatch(path + "/link") }
        unlink(path + "/link")
        rmdir(path + "/developer-con-1")
        rmdir(path)
    }

    /// One read takes what fits in its 64 KB; a queue longer than that is read on until it is
    /// empty, and a queue that fits is read once (no EAGAIN read after it).
    @Test func aQueueLongerThanOneReadIsReadWhole() throws {
        var template = Array("/tmp/inotify-test-XXXXXX".utf8CString)
        let path = String(cString: try #require(mkdtemp(&template)))
        let inotify = try Inotify()
        _ = try inotify.addWatch(path)
        let name = String(repeating: "n", count: 200)  // 16 + 208 bytes an event: 2,000 are 448 KB
        for index in 0..<2_000 { #expect(mkdir(path + "/\(name)-\(index)", 0o755) == 0) }
        #expect(try inotify.readEvents().filter { $0.has(IN_CREATE) }.count == 2_000)
        #expect(try inotify.readEvents().isEmpty)
        #expect(mkdir(path + "/one", 0o755) == 0)
        #expect(try inotify.readEvents().map(\.name) == ["one"])
        for index in 0..<2_000 { rmdir(path + "/\(name)-\(index)") }
        rmdir(path + "/one")
        rmdir(path)
    }

    @Test func timerFiresAtItsDeadline() throws {
        let timer = try TimerDescriptor()
        try timer.arm(atMicroseconds: MonotonicClock.microseconds + 1_000)
        let readiness = try Poller.wait([timer.rawValue], timeoutMilliseconds: 5_000)
        #expect(readiness[0].readable)
        timer.acknowledge()
        try timer.arm(atMicroseconds: nil)
        #expect(try Poller.wait([timer.rawValue], timeoutMilliseconds: 0)[0].readable == false)
    }
}
