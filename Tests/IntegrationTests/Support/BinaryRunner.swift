import Foundation

/// What a run of the built binary printed and how it exited.
struct RunResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `persona-registry` as a subprocess.
enum BinaryRunner {
    /// Runs to completion with `arguments`. The child's environment is this
    /// process's, without DATABASE_URL/PG*/PERSONA_* (so a test states what it
    /// uses), plus `environment`.
    static func run(_ arguments: [String], environment: [String: String] = [:],
                    workingDirectory: String? = nil, executable: String = Repository.binary) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = childEnvironment(adding: environment)
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes to the end before waiting so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus,
                         stdout: String(decoding: outputData, as: UTF8.self),
                         stderr: String(decoding: errorData, as: UTF8.self))
    }

    static func childEnvironment(adding extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !(key == "DATABASE_URL" || key.hasPrefix("PG") || key.hasPrefix("PERSONA_") || key == "NOTIFY_SOCKET"
              || key == "WATCHDOG_USEC" || key == "JOURNAL_STREAM")
        }
        environment.merge(extra) { _, new in new }
        return environment
    }
}
