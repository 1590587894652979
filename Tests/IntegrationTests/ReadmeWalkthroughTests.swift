import Foundation
import Testing
import TestSupport

/// The README's walkthrough, read from README.md (so the two cannot drift
/// apart) and run line by line in a checkout-shaped directory, against a
/// daemon started as scripts/run starts it.
@Suite("the README walkthrough")
struct ReadmeWalkthroughTests {
    static let marker = "<!-- walkthrough:"

    /// The indented code block that follows the marker comment, unindented.
    static func walkthrough(marker: String = marker) throws -> [String] {
        let readme = try String(contentsOfFile: Repository.root + "/README.md", encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix(marker) }, "README.md has no \(marker) comment")
        var commands: [String] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("    ") {
                commands.append(String(line.dropFirst(4)))
            } else if !commands.isEmpty {
                break
            } else if !line.isEmpty {
                Issue.record("the walkthrough's code block must follow its marker: \(line)")
                break
            }
        }
        return commands
    }

    /// `binary=...` of scripts/run, relative to the checkout: the path the walkthrough must name.
    static func binaryScriptsRunBuilds() throws -> String {
        let script = try String(contentsOfFile: Repository.root + "/scripts/run", encoding: .utf8)
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("binary=$PWD/") }, "scripts/run sets no binary=$PWD/...")
        #expect(script.contains("\"$binary\" migrate up\n") && script.contains("\n\"$binary\" serve \"$@\"\n"),
                "scripts/run no longer runs migrate up then serve: update this test's start-up")
        return String(line.dropFirst("binary=$PWD/".count))
    }

    @Test("its commands work, in order, and show the new personas' directories")
    func walkthroughWorks() throws {
        let commands = try Self.walkthrough()
        let binary = try Self.binaryScriptsRunBuilds()
        try #require(commands.count >= 4, "\(commands)")
        for command in commands where command.contains("persona-registry ") {
            #expect(command.hasPrefix(binary + " "), "the walkthrough runs a binary scripts/run does not build: \(command)")
        }

        // A checkout-shaped directory: data/personas, scripts/pg-throwaway.sh, the binary at the
        // path scripts/run builds, and .pg/run, the cluster scripts/run starts.
        let checkout = try TemporaryTree()
        let files = FileManager.default
        let cluster = try ThrowawayCluster()
        try files.createDirectory(atPath: checkout.base + "/scripts", withIntermediateDirectories: false)
        try files.createSymbolicLink(atPath: checkout.base + "/scripts/pg-throwaway.sh",
                                     withDestinationPath: Repository.root + "/scripts/pg-throwaway.sh")
        try files.createDirectory(atPath: checkout.base + "/.pg", withIntermediateDirectories: false)
        try files.createSymbolicLink(atPath: checkout.base + "/.pg/run", withDestinationPath: cluster.directory)
        let binaryPath = checkout.base + "/" + binary
        try files.createDirectory(atPath: (binaryPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try files.createSymbolicLink(atPath: binaryPath, withDestinationPath: Repository.binary)

        // As scripts/run: migrate up, then serve with no arguments, from the checkout.
        let environment = ["DATABASE_URL": cluster.url]
        let up = try BinaryRunner.run(["migrate", "up"], environment: environment, workingDirectory: checkout.base)
        try #require(up.status == 0, "\(up.stderr)")
        let daemon = try DaemonProcess(arguments: ["serve"], environment: environment, workingDirectory: checkout.base,
                                       logDirectory: checkout.base)
        try #require(daemon.waitFor(.sweepFinished), "\(daemon.log)")

        // The second terminal: its own environment, the lines as written.
        let script = "set -euo pipefail\n" + commands.joined(separator: "\n") + "\n"
        let run = try BinaryRunner.run(["-c", script], workingDirectory: checkout.base, executable: "/bin/bash")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)\n\(daemon.log)")
        #expect(run.stdout.contains("Directory: "), "\(run.stdout)")
        for name in ["experience.md", "identity.yaml", "skill.md"] {
            #expect(run.stdout.split(separator: "\n").contains(Substring(name)), "ls shows \(name): \(run.stdout)")
        }
        #expect(run.stdout.contains("name: Robbo"), "\(run.stdout)")
    }
}
