import Foundation
import Testing
import TestSupport

/// The daemon's log lines go to standard error, which may be a pipe whose reader goes away
/// (a log shipper restarted, `serve 2>&1 | head`): a line that cannot be written is dropped
/// (`StandardStreams`), and the tree is still served.
@Suite("serve: standard error gone")
struct DaemonLogStreamTests {
    @Test("a closed pipe on standard error costs the log lines, not the daemon (SIGPIPE at its default, as a shell leaves it)")
    func closedStandardErrorPipe() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        try database.insertRole("developer", personas: "Con")
        let process = Process()
        // `env --default-signal=PIPE`: the disposition a shell or a supervisor hands on, whatever the test runner's.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal=PIPE", Repository.binary, "serve", "--database-url", database.url,
                             "--data-dir", tree.tree, "--templates-dir", tree.templates, "--debounce-ms", "20"]
        process.environment = BinaryRunner.childEnvironment(adding: [:])
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        #expect(waitUntil { tree.exists("developer-con-1/identity.yaml") })
        // The reader goes: the next line written is refused (EPIPE, or SIGPIPE where not ignored).
        try pipe.fileHandleForReading.close()
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Later', 1)")
        #expect(waitUntil { tree.exists("developer-later-2/identity.yaml") })
        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Last', 1)")
        #expect(waitUntil { tree.exists("developer-last-3/identity.yaml") })
        #expect(process.isRunning, "the daemon ended: status \(process.terminationStatus), \(process.terminationReason == .uncaughtSignal ? "signal" : "exit")")
    }
}
