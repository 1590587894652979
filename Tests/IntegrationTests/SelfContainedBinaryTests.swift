import Foundation
import Testing
import TestSupport
import RegistryDatabase
import RegistryTree

/// The release binary is one file: copied alone into an empty directory and
/// run from another, it migrates, serves and reconciles trees anywhere.
@Suite("the release binary on its own")
struct SelfContainedBinaryTests {
    static func emptyDirectory(in base: String, _ name: String) throws -> String {
        let path = base + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    @Test("copied alone and run from an empty directory: migrate up, role and persona add, serve, reconcile, status, down")
    func fullFlow() throws {
        let release = try Repository.releaseBinary()
        let scratch = try TemporaryTree(createTree: false)
        let binary = try Self.emptyDirectory(in: scratch.base, "bin") + "/persona-registry"
        // Copied by cp, not in this process: a file open for writing here would be inherited by
        // the children other tests fork meanwhile, and running it would then fail with ETXTBSY.
        let copied = try SpawnedCommand.run("/bin/cp", [release, binary], environment: [:])
        try #require(copied.status == 0, "\(copied.stdout)")
        let work = try Self.emptyDirectory(in: scratch.base, "work")
        let database = try TestDatabase(migrated: false)
        let environment = ["DATABASE_URL": database.url]
        func run(_ arguments: String...) throws -> RunResult {
            try BinaryRunner.run(arguments, environment: environment, workingDirectory: work, executable: binary)
        }

        let up = try run("migrate", "up")
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout.contains("Applied 0001_role_persona.sql"))
        #expect(try run("role", "add", "developer").status == 0)
        let served = try Self.emptyDirectory(in: scratch.base, "srv") + "/personas"
        let add = try run("persona", "add", "--role", "developer", "--name", "Con", "--data-dir", served)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("No daemon serves \(served)"), "\(add.stdout)")

        // serve makes the tree (its parent exists) and the persona's files from the built-in templates.
        let daemon = try DaemonProcess(executable: binary, arguments: ["serve", "--data-dir", served],
                                       environment: environment, workingDirectory: work, logDirectory: scratch.base)
        let persona = try #require(try PersonaQueries(.prd).withSlug("developer-con-1", on: database.connect()))
        let expected = try SeedTemplates(directory: Repository.templates).render(for: persona)
        #expect(waitUntil { FileManager.default.fileExists(atPath: served + "/developer-con-1/identity.yaml") }, "\(daemon.log)")
        for (name, text) in expected {
            #expect(try String(contentsOfFile: served + "/developer-con-1/" + name, encoding: .utf8) == text, "\(name)")
        }
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0, "\(daemon.log)")

        let other = try Self.emptyDirectory(in: scratch.base, "elsewhere") + "/personas"
        let reconcile = try run("reconcile", "--data-dir", other)
        #expect(reconcile.status == 0, "\(reconcile.stdout)\(reconcile.stderr)")
        for (name, text) in expected {
            #expect(try String(contentsOfFile: other + "/developer-con-1/" + name, encoding: .utf8) == text, "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: other + "/developer-con-1/identity.yaml"))

        #expect(try run("migrate", "status").status == 0)
        // Down reverts one file a time: as many as there are, then nothing is left (--drop-data:
        // the tables hold the rows added above).
        let count = try FileManager.default.contentsOfDirectory(atPath: Repository.migrations).filter { $0.hasSuffix(".sql") }.count
        for _ in 0..<count {
            let down = try run("migrate", "down", "--drop-data")
            #expect(down.status == 0 && down.stdout.hasPrefix("Reverted "), "\(down.stdout)\(down.stderr)")
        }
        #expect(try database.query("SELECT to_regclass('persona') IS NULL AND to_regclass('role') IS NULL").scalar == "t")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty, "nothing is written to the working directory")
    }
}
