import Foundation

/// `persona-registry serve` running as a subprocess on a test's database and
/// tree. Its stderr goes to a file the test reads while it runs. Killed
/// (SIGKILL) if still running when the value goes away.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let logPath: String

    /// Starts `serve` with a short debounce; `arguments` and `environment` add to the defaults.
    init(database: TestDatabase, tree: TempTree, arguments: [String] = [], environment: [String: String] = [:],
         databaseURL: String? = nil) throws {
        logPath = tree.base + "/serve-\(UInt32.random(in: 0...UInt32.max)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Repository.binary)
        process.arguments = ["serve", "--database-url", databaseURL ?? database.url, "--data-dir", tree.tree,
                             "--templates-dir", tree.templates, "--debounce-ms", "20"] + arguments
        process.environment = BinaryRunner.childEnvironment(adding: environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
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

    /// Waits until the log contains `text`.
    @discardableResult
    func waitForLog(_ text: String, timeout: Double = 20) -> Bool {
        waitUntil(timeout: timeout) { log.contains(text) || !process.isRunning && log.contains(text) }
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status once the process has ended, `nil` if it is still running at the deadline.
    func waitForExit(timeout: Double = 20) -> Int32? {
        guard waitUntil(timeout: timeout, { !process.isRunning }) else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL, and wait for it to be gone.
    func killHard() {
        signal(SIGKILL)
        process.waitUntilExit()
    }
}
