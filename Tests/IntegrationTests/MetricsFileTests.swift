import Foundation
import Testing
import TestSupport

/// `serve --metrics-file`: Prometheus' text format that `promtool check metrics` accepts,
/// written atomically, whose counters move as personas are inserted, written last at the stop.
@Suite("serve: the metrics file")
struct MetricsFileTests: DaemonFixture {
    /// `promtool check metrics` on `text`: its exit status and what it said. Required: CI installs it
    /// (the Debian package prometheus, scripts/test), so a missing promtool fails the test.
    static func promtool(_ text: String) throws -> (Int32, String) {
        let path = "/usr/bin/promtool"
        try #require(FileManager.default.isExecutableFile(atPath: path), "promtool is missing: apt-get install prometheus")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, said)
    }

    /// The value of the sample `name` (with its labels, as written) in `text`.
    static func value(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("promtool accepts the file; directories, notifications and latency counted; final write at SIGTERM")
    func metricsMove() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let metrics = tree.base + "/persona-registry.prom"
        try database.insertRole("developer", personas: "Con")
        let daemon = try Self.started(database, tree, arguments: ["--metrics-file", metrics])
        defer { daemon.killHard() }
        var text = ""
        #expect(waitUntil(timeout: 10) {
            text = (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""
            return Self.value("persona_registry_sweeps_total", in: text) == 1
        }, "\(text)\n\(daemon.log)")
        let (status, said) = try Self.promtool(text)
        #expect(status == 0, "promtool: \(said)\n\(text)")
        #expect(Self.value("persona_registry_database_up", in: text) == 1)
        #expect(Self.value(#"persona_registry_personas{status="active"}"#, in: text) == 1)
        #expect(Self.value(#"persona_registry_findings{kind="orphan_directory"}"#, in: text) == 0)
        #expect(Self.value("persona_registry_directories_created_total", in: text) == 1, "the sweep made Con's")

        try database.execute("INSERT INTO persona (name, role_id) VALUES ('Ann', 1), ('Bob', 1); SELECT pg_notify('persona_registry', 'junk')")
        #expect(waitUntil(timeout: 15) {
            text = (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""
            return Self.value("persona_registry_directories_created_total", in: text) == 3
                && Self.value("persona_registry_junk_notifications_total", in: text) == 1
        }, "\(text)\n\(daemon.log)")
        #expect(Self.value("persona_registry_notifications_total", in: text).map { $0 >= 3 } == true, "\(text)")
        #expect(Self.value("persona_registry_notification_latency_seconds_count", in: text) == 2, "\(text)")
        #expect(Self.value(#"persona_registry_notification_latency_seconds_bucket{le="+Inf"}"#, in: text) == 2)
        #expect(Self.value(#"persona_registry_personas{status="active"}"#, in: text) == 3)
        #expect(try Self.promtool(text).0 == 0)
        // Only the file itself is in its directory afterwards: the temp file was renamed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.base).filter { $0.hasPrefix("persona-registry.prom") }
                == ["persona-registry.prom"])

        // At the stop the file is written whatever the interval says: a directory made after the
        // last write, which the next one (an interval later) would be the first to count, is counted.
        var made = 3
        var before = ""
        repeat {  // again if a write already counted it (a machine too slow for the interval)
            made += 1
            try database.query("INSERT INTO persona (name, role_id) VALUES ($1, 1)", ["Late\(made)"])
            #expect(waitUntil { tree.exists("developer-late\(made)-\(made)/identity.yaml") }, "\(daemon.log)")
            before = try String(contentsOfFile: metrics, encoding: .utf8)
        } while Self.value("persona_registry_directories_created_total", in: before) == Double(made) && made < 6
        try #require(Self.value("persona_registry_directories_created_total", in: before) == Double(made - 1),
                     "only the final write may count the last directory:\n\(before)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0, "\(daemon.log)")
        let last = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(Self.value("persona_registry_directories_created_total", in: last) == Double(made), "no final write at the stop:\n\(last)")
        #expect(try Self.promtool(last).0 == 0)
    }

    @Test("the metrics file is readable by everyone (node_exporter's user) under the unit's UMask=0027")
    func readableUnderUmask() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree()
        let metrics = tree.base + "/persona-registry.prom"
        let daemon = try DaemonProcess(executable: "/bin/sh", arguments: [
            "-c", #"umask 027; exec "$0" "$@""#, Repository.binary, "serve", "--database-url", database.url,
            "--data-dir", tree.tree, "--templates-dir", tree.templates, "--metrics-file", metrics,
        ], logDirectory: tree.base)
        defer { daemon.killHard() }
        #expect(waitUntil(timeout: 10) { FileManager.default.fileExists(atPath: metrics) }, "\(daemon.log)")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: metrics)[.posixPermissions] as? Int)
        #expect(mode == 0o644)
        // The tree's own files keep the umask.
        #expect(waitUntil(timeout: 10) { tree.exists(".persona-registry.status") })
        let statusMode = try #require(try FileManager.default.attributesOfItem(atPath: tree.path(".persona-registry.status"))[.posixPermissions] as? Int)
        #expect(statusMode == 0o640)
    }

    @Test("a metrics file that is not *.prom, or in no directory, is refused at start in one line")
    func refusedPaths() throws {
        let tree = try TemporaryTree()
        let wrongName = try BinaryRunner.run(["serve", "--data-dir", tree.tree, "--metrics-file", tree.base + "/metrics.txt"])
        #expect(wrongName.status == 64 && wrongName.stderr.contains("must name a file ending in .prom"), "\(wrongName.stderr)")
        let noDirectory = try BinaryRunner.run(["serve", "--data-dir", tree.tree], environment: ["PERSONA_METRICS_FILE": tree.base + "/none/x.prom"])
        #expect(noDirectory.status == 64 && noDirectory.stderr.contains("no directory \(tree.base)/none"), "\(noDirectory.stderr)")
    }
}
