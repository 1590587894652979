import Foundation
import Testing
import TestSupport

/// Arguments and settings from the operator: a control character in a path never
/// reaches the terminal raw, and bytes that are not UTF-8 are refused, never
/// repaired into another name or path.
@Suite("command-line input: escaped in error lines, UTF-8 only")
struct CommandLineInputTests {
    @Test("an ESC in --data-dir is escaped in the error line")
    func escapedPath() throws {
        let database = try TestDatabase()
        let run = try BinaryRunner.run(["drift", "--data-dir", "/nonexistent/\u{1b}[31mtree\u{202e}"],
                                       environment: ["DATABASE_URL": database.url])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(!run.stderr.contains("\u{1b}") && !run.stderr.contains("\u{202e}"), "\(run.stderr)")
        #expect(run.stderr.contains("/nonexistent/\\u001b[31mtree\\u202e"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }

    @Test("a name that is not UTF-8 is a usage error and nothing is inserted")
    func nonUTF8Name() throws {
        let database = try TestDatabase()
        // The shell makes the byte 0xFF: Foundation's Process passes only valid strings.
        let run = try SpawnedCommand.run("/bin/sh", ["-c", "exec \"$0\" role add \"$(printf 'dev\\377')\"", Repository.binary],
                                         environment: ["DATABASE_URL": database.url, "PATH": "/usr/bin:/bin"])
        #expect(run.status == 64, "\(run.stdout)")
        #expect(run.stdout.contains("argument 3 is not valid UTF-8"), "\(run.stdout)")
        #expect(try database.query("SELECT count(*) FROM role").scalar == "0")
    }

    @Test("a PERSONA_DATA_DIR that is not UTF-8 is refused; no other directory is made in its place")
    func nonUTF8Environment() throws {
        let database = try TestDatabase()
        let tree = try TemporaryTree(createTree: false)
        let before = try FileManager.default.contentsOfDirectory(atPath: tree.data)
        let run = try SpawnedCommand.run("/bin/sh", [
            "-c", "PERSONA_DATA_DIR=\"$1/$(printf 'personas\\377')\" exec \"$0\" reconcile", Repository.binary, tree.data,
        ], environment: ["DATABASE_URL": database.url, "PATH": "/usr/bin:/bin"])
        #expect(run.status == 64, "\(run.stdout)")
        #expect(run.stdout.contains("$PERSONA_DATA_DIR is not valid UTF-8"), "\(run.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.data) == before)
    }

    @Test("an empty --data-dir is a usage error, not the working directory as the tree")
    func emptyDataDir() throws {
        let database = try TestDatabase()
        try database.insertRole("developer", personas: "Con")
        let workingDirectory = try TemporaryTree(createTree: false)
        for command in [["reconcile"], ["drift"], ["persona", "add", "--role", "developer", "--name", "Ann"]] {
            let run = try BinaryRunner.run(command + ["--data-dir", ""], environment: ["DATABASE_URL": database.url],
                                           workingDirectory: workingDirectory.base)
            #expect(run.status == 64, "\(command): \(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("--data-dir must not be empty"), "\(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: workingDirectory.base) == ["data"])
        #expect(try database.query("SELECT count(*) FROM persona").scalar == "1")
    }
}
