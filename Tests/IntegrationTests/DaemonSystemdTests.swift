import Foundation
import Testing
import TestSupport

/// The sd_notify protocol as systemd sees it, on a socket the test listens on.
@Suite("serve: systemd notifications and signals")
struct DaemonSystemdTests: DaemonFixture {
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    @Test("READY and STATUS after the first sweep, WATCHDOG at half of WATCHDOG_USEC, RELOADING+MONOTONIC_USEC then READY on HUP, STOPPING on TERM")
    func notifyProtocol() throws {
        let database = try TestDatabase()
        try database.insertRole("pm", personas: "Gavin")
        let tree = try TemporaryTree()
        let (listener, daemon, ready) = try Self.startedNotifying(database, tree, environment: ["WATCHDOG_USEC": "400000"])
        #expect(ready.contains("STATUS=1 personas (1 active), 0 findings, listening"), "\(ready)")
        #expect(tree.exists("pm-gavin-1/identity.yaml"))

        #expect(waitUntil { listener.messages.filter { NotifySocketListener.has($0, "WATCHDOG=1") }.count >= 3 },
                "\(listener.messages)")

        let before = Self.monotonicMicroseconds()
        let seen = listener.messages.count
        daemon.signal(SIGHUP)
        #expect(waitUntil { listener.messages.dropFirst(seen).contains { NotifySocketListener.has($0, "READY=1") } },
                "\(listener.messages)")
        let afterHUP = Array(listener.messages.dropFirst(seen))
        let reloading = try #require(afterHUP.firstIndex { NotifySocketListener.has($0, "RELOADING=1") }, "\(afterHUP)")
        let readyAgain = try #require(afterHUP.firstIndex { NotifySocketListener.has($0, "READY=1") })
        #expect(reloading < readyAgain)
        let stamp = afterHUP[reloading].split(separator: "\n").first { $0.hasPrefix("MONOTONIC_USEC=") }
        let usec = try #require(stamp.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) }, "\(afterHUP[reloading])")
        #expect(usec >= before && usec <= Self.monotonicMicroseconds(), "MONOTONIC_USEC \(usec) is not CLOCK_MONOTONIC now")

        let stopAt = Date()
        daemon.signal(SIGTERM)
        let status = daemon.waitForExit()
        print("serve exited \(Date().timeIntervalSince(stopAt)) s after SIGTERM")
        #expect(status == 0, "\(daemon.log)")
        #expect(listener.messages.contains { NotifySocketListener.has($0, "STOPPING=1") }, "\(listener.messages)")
    }

    @Test("SIGTERM and SIGINT stop with status 0 and STOPPING=1; no temp file is left")
    func terminateIsClean() throws {
        for signal in [SIGTERM, SIGINT] {
            let database = try TestDatabase()
            let tree = try TemporaryTree()
            let (listener, daemon, _) = try Self.startedNotifying(database, tree)
            try database.insertRole("dev", personasNamed: "n", count: 200)
            #expect(waitUntil { tree.exists("dev-n1-1") })
            let stopAt = Date()
            daemon.signal(signal)
            let status = daemon.waitForExit()
            print("serve exited \(Date().timeIntervalSince(stopAt)) s after signal \(signal)")
            #expect(status == 0, "\(daemon.log)")
            #expect(listener.messages.contains { NotifySocketListener.has($0, "STOPPING=1") })
            for entry in try tree.entries() where !entry.hasPrefix(".") {
                let names = try FileManager.default.contentsOfDirectory(atPath: tree.path(entry))
                #expect(!names.contains { $0.hasPrefix(".identity.yaml.tmp-") }, "\(entry): \(names)")
            }
        }
    }
}

@Suite("serve: SIGHUP re-reads the configuration")
struct DaemonReloadTests: DaemonFixture {
    @Test("after SIGHUP new personas are seeded from the templates as they are now; existing seed files stay")
    func reloadRereadsTemplates() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let daemon = try Self.started(database, tree)
        try database.insertRole("dev", personas: "first")
        #expect(waitUntil { tree.exists("dev-first-1/skill.md") }, "\(daemon.log)")
        let firstSkill = try tree.read("dev-first-1/skill.md")
        try "# {{name}} ({{slug}}): new template\n".write(toFile: tree.templates + "/skill.md", atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(daemon.waitFor(.reloaded), "\(daemon.log)")
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('second', 1)")
        #expect(waitUntil { tree.exists("dev-second-2/identity.yaml") }, "\(daemon.log)")
        #expect(try tree.read("dev-second-2/skill.md") == "# second (dev-second-2): new template\n")
        #expect(try tree.read("dev-first-1/skill.md") == firstSkill)
    }
}
