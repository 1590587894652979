import Foundation
import RegistryDatabase

/// A PostgreSQL cluster of a test's own (scripts/pg-throwaway.sh in a fresh
/// directory), for tests that restart the server: the shared test server is
/// never disturbed. Stopped and removed when the value goes away.
final class ThrowawayCluster: @unchecked Sendable {
    let directory: String
    let url: String
    /// Server options added to pg-throwaway.sh's (PG_THROWAWAY_OPTIONS).
    let options: String

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// `options` are further server options, e.g. `-c wal_level=logical`.
    init(options: String = "") throws {
        self.options = options
        // scripts/test names a directory it cleans up after the run, whatever happens to the tests.
        let parent = ProcessInfo.processInfo.environment["PERSONA_REGISTRY_TEST_CLUSTERS"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((parent + "/persona-registry-cluster-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp failed") }
        directory = String(cString: made)
        // The server runs as postgres (the script's choice when root): it must reach the directory.
        chmod(directory, 0o755)
        let started = try ThrowawayCluster.script(["start"], directory: directory, options: options)
        guard started.status == 0, let line = started.stdout.split(separator: "\n").last(where: { $0.hasPrefix("postgresql://") }) else {
            throw Failure(description: "pg-throwaway.sh start failed: \(started.stderr)")
        }
        url = String(line)
    }

    deinit {
        // Stops the standby too, if one was made.
        _ = try? ThrowawayCluster.script(["stop"], directory: directory)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `persona-registry migrate up` on the cluster's database, then `sql` (the test's rows).
    func migrate(seeding sql: String = "") throws {
        let migrated = try BinaryRunner.run(["migrate", "up", "--database-url", url])
        guard migrated.status == 0 else { throw Failure(description: "migrate up failed: \(migrated.stderr)") }
        if !sql.isEmpty { try PostgresConnection(url: url).execute(sql) }
    }

    /// `pg_ctl restart -m fast`: every connection is dropped, the server comes back on the same port.
    func restart() throws {
        let result = try SpawnedCommand.run("/usr/sbin/runuser", [
            "-u", "postgres", "--", PostgresTools.path("pg_ctl"), "-D", directory + "/data",
            "-m", "fast", "-w", "-t", "60", "-l", directory + "/server.log", "restart",
        ], environment: ProcessInfo.processInfo.environment)
        guard result.status == 0 else { throw Failure(description: "pg_ctl restart failed: \(result.stderr)") }
    }

    /// `pg_ctl stop -m fast`: the server is down until `start()`.
    func stop() throws {
        let stopped = try asPostgres("pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "-t", "60", "stop"])
        guard stopped.status == 0 else { throw Failure(description: "pg_ctl stop failed: \(stopped.stderr)") }
    }

    /// Starts the stopped server again on the port of `url` (with pg-throwaway.sh's settings and `options`).
    func start() throws {
        let started = try asPostgres("pg_ctl", [
            "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60",
            "-o", "-c listen_addresses=127.0.0.1 -p \(port) -c unix_socket_directories='' -c max_connections=200 -c fsync=off \(options)",
            "start",
        ])
        guard started.status == 0 else { throw Failure(description: "pg_ctl start failed: \(started.stderr)") }
    }

    /// The port of `url`.
    var port: String { Self.port(of: url) }

    /// A hot standby of this cluster (pg_basebackup -R), running on a port of
    /// its own until the cluster goes away; returns its URL.
    func startStandby() throws -> String {
        let port = try ThrowawayCluster.freePort()
        let backup = try asPostgres("pg_basebackup", ["-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
                                                      "-D", directory + "/standby", "-R", "-X", "stream", "--checkpoint=fast"])
        guard backup.status == 0 else { throw Failure(description: "pg_basebackup failed: \(backup.stderr)") }
        let started = try asPostgres("pg_ctl", [
            "-D", directory + "/standby", "-l", directory + "/standby.log", "-w", "-t", "60",
            "-o", "-c listen_addresses=127.0.0.1 -p \(port) -c unix_socket_directories='' -c max_connections=200", "start",
        ])
        guard started.status == 0 else { throw Failure(description: "standby start failed: \(started.stderr)") }
        return "postgresql://postgres@127.0.0.1:\(port)/persona_registry"
    }

    /// `pg_ctl promote` of the standby made by `startStandby()`: it becomes a primary.
    func promoteStandby() throws {
        let result = try asPostgres("pg_ctl", ["-D", directory + "/standby", "-w", "-t", "60", "promote"])
        guard result.status == 0 else { throw Failure(description: "pg_ctl promote failed: \(result.stderr)") }
    }

    /// The port of a URL made here.
    static func port(of url: String) -> String {
        String(url.split(separator: ":").last!.split(separator: "/").first!)
    }

    private func asPostgres(_ program: String, _ arguments: [String]) throws -> RunResult {
        try SpawnedCommand.run("/usr/sbin/runuser", ["-u", "postgres", "--", PostgresTools.path(program)] + arguments,
                               environment: ProcessInfo.processInfo.environment)
    }

    /// A TCP port nothing listens on now (the kernel's choice).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func script(_ arguments: [String], directory: String, options: String = "") throws -> RunResult {
        var environment = ProcessInfo.processInfo.environment
        environment["PG_THROWAWAY_DIR"] = directory
        environment["PG_THROWAWAY_OPTIONS"] = options
        return try SpawnedCommand.run(Repository.root + "/scripts/pg-throwaway.sh", arguments, environment: environment)
    }
}
