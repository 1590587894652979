import Foundation
import PersonaRegistry

/// A PostgreSQL cluster of a test's own (scripts/pg-throwaway.sh in a fresh
/// directory), for tests that restart the server: the shared test server is
/// never disturbed. Stopped and removed when the value goes away.
final class ThrowawayCluster: @unchecked Sendable {
    let directory: String
    let url: String

    struct Failure: Error, CustomStringConvertible { var description: String }

    init() throws {
        var template = Array("/tmp/persona-registry-cluster-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp failed") }
        directory = String(cString: made)
        // The server runs as postgres (the script's choice when root): it must reach the directory.
        chmod(directory, 0o755)
        let started = try ThrowawayCluster.script(["start"], directory: directory)
        guard started.status == 0, let line = started.stdout.split(separator: "\n").last(where: { $0.hasPrefix("postgresql://") }) else {
            throw Failure(description: "pg-throwaway.sh start failed: \(started.stderr)")
        }
        url = String(line)
    }

    deinit {
        _ = try? ThrowawayCluster.script(["stop"], directory: directory)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `pg_ctl restart -m fast`: every connection is dropped, the server comes back on the same port.
    func restart() throws {
        let result = try SpawnedCommand.run("/usr/sbin/runuser", [
            "-u", "postgres", "--", PostgresTools.path("pg_ctl"), "-D", directory + "/data",
            "-m", "fast", "-w", "-t", "60", "-l", directory + "/server.log", "restart",
        ], environment: ProcessInfo.processInfo.environment)
        guard result.status == 0 else { throw Failure(description: "pg_ctl restart failed: \(result.stderr)") }
    }

    private static func script(_ arguments: [String], directory: String) throws -> RunResult {
        var environment = ProcessInfo.processInfo.environment
        environment["PG_THROWAWAY_DIR"] = directory
        return try SpawnedCommand.run(Repository.root + "/scripts/pg-throwaway.sh", arguments, environment: environment)
    }
}
