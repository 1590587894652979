import Foundation
import Testing
import RegistryDaemon
import TestSupport

/// `persona-registry serve` running as a subprocess on a test's database and
/// tree. Its stderr goes to a file the test reads while it runs. Killed
/// (SIGKILL) if still running when the value goes away.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let logPath: String

    /// Starts `serve` with a short debounce; `arguments` and `environment` add to the defaults.
    convenience init(database: TestDatabase, tree: TemporaryTree, arguments: [String] = [], environment: [String: String] = [:],
                     databaseURL: String? = nil) throws {
        try self.init(url: databaseURL ?? database.url, tree: tree, arguments: arguments, environment: environment)
    }

    /// Starts `serve` on `url`, a database the test did not make with `TestDatabase` (a cluster's,
    /// a replica's, several hosts'), as `init(database:tree:)` does.
    convenience init(url: String, tree: TemporaryTree, arguments: [String] = [], environment: [String: String] = [:]) throws {
        try self.init(arguments: ["serve", "--database-url", url, "--data-dir", tree.tree,
                                  "--templates-dir", tree.templates, "--debounce-ms", "20"] + arguments,
                      environment: environment, logDirectory: tree.base)
    }

    /// Starts `executable` with exactly `arguments` (in `workingDirectory`), its log in `logDirectory`.
    init(executable: String = Repository.binary, arguments: [String], environment: [String: String] = [:],
         workingDirectory: String? = nil, logDirectory: String) throws {
        logPath = logDirectory + "/serve-\(UInt32.random(in: 0...UInt32.max)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        process.environment = BinaryRunner.childEnvironment(adding: environment)
        process.standardInput = FileHandle.nullDevice
        // One open file description for both streams: one shared offset, so
        // stdout and stderr lines never overwrite each other.
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Everything the daemon has logged so far.
    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// The log lines containing `text`.
    func logLines(containing text: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains(text) }
    }

    /// The lines of `event` (its `event=` field), and with `field` (`kind=orphan_directory`)
    /// when given: what the daemon did, by name, whatever the wording of the line.
    func lines(_ event: DaemonEvent, with field: String? = nil) -> [Substring] {
        log.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ")
            return fields.contains(Substring(event.field)) && (field.map { fields.contains(Substring($0)) } ?? true)
        }
    }

    /// Waits until the daemon has logged `event` (with `field`, when given).
    @discardableResult
    func waitFor(_ event: DaemonEvent, with field: String? = nil, timeout: Double = 30,
                 sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        waitUntilLogged("\(event.field)\(field.map { " " + $0 } ?? "")", timeout: timeout, sourceLocation: sourceLocation) {
            !lines(event, with: field).isEmpty
        }
    }

    /// Waits until the log contains `text` (a message the daemon passes on, such as an error's).
    @discardableResult
    func waitForLog(_ text: String, timeout: Double = 30,
                    sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        waitUntilLogged(text, timeout: timeout, sourceLocation: sourceLocation) { log.contains(text) }
    }

    /// Waits until `logged` holds. Returns false at once (recording an issue with the exit
    /// status) when the daemon has exited without logging `what`, rather than waiting out the deadline.
    private func waitUntilLogged(_ what: String, timeout: Double, sourceLocation: SourceLocation, _ logged: () -> Bool) -> Bool {
        var exited = false
        let found = waitUntil(timeout: timeout) {
            if logged() { return true }
            exited = !process.isRunning
            return exited
        }
        guard found, exited else { return found }
        // The log may have been completed between the two reads.
        if logged() { return true }
        process.waitUntilExit()
        Issue.record("the daemon exited (status \(process.terminationStatus)) before logging \"\(what)\"", sourceLocation: sourceLocation)
        return false
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status once the process has ended, `nil` if it is still running at the deadline.
    func waitForExit(timeout: Double = 30) -> Int32? {
        guard waitUntil(timeout: timeout, { !process.isRunning }) else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL if it is still running (never to a pid that may be another process's by now), and wait for it to be gone.
    func killHard() {
        guard process.isRunning else { return }
        signal(SIGKILL)
        process.waitUntilExit()
    }
}
