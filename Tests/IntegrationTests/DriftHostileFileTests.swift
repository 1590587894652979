import Foundation
import Testing
import TestSupport

/// Hostile identity files and a symlinked persona directory under drift and reconcile.
@Suite("drift and reconcile on hostile files, run as a subprocess")
struct DriftHostileFileTests: DriftFixture {
    let database: TestDatabase
    let tree: TemporaryTree

    @Test("hostile identity files are findings: no hang, no crash, nothing read outside the tree")
    func hostileFiles() throws {
        try addPersonas(["Laughs", "Big", "Fifo", "Link", "Binary", "Dir", "Outside"])
        #expect(try cli("reconcile").status == 0)
        let laughs = (0..<9).map { level in
            "l\(level + 1): &l\(level + 1) [" + Array(repeating: level == 0 ? "\"lol\"" : "*l\(level)", count: 9).joined(separator: ",") + "]"
        }.joined(separator: "\n") + "\n"
        try tree.write("developer-laughs-1/identity.yaml", laughs)
        let big = open(tree.path("developer-big-2/identity.yaml"), O_WRONLY | O_TRUNC)
        #expect(ftruncate(big, 100 * 1024 * 1024) == 0)
        close(big)
        try FileManager.default.removeItem(atPath: tree.path("developer-fifo-3/identity.yaml"))
        #expect(mkfifo(tree.path("developer-fifo-3/identity.yaml"), 0o644) == 0)
        try FileManager.default.removeItem(atPath: tree.path("developer-link-4/identity.yaml"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("developer-link-4/identity.yaml"), withDestinationPath: "/etc/passwd")
        try Data([0x69, 0x64, 0x3A, 0x20, 0xC3, 0x28, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: tree.path("developer-binary-5/identity.yaml")))
        try FileManager.default.removeItem(atPath: tree.path("developer-dir-6/identity.yaml"))
        try mkdir("developer-dir-6/identity.yaml")
        let outside = tree.base + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: tree.path("developer-outside-7"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("developer-outside-7"), withDestinationPath: outside)
        let passwd = try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd"))

        let drift = try cli("drift", "--format", "porcelain")
        #expect(drift.status == 2, "\(drift.stderr)")
        #expect(drift.stdout == """
            invalid_identity\tdeveloper-big-2\t\t\t\tlarger than the 256 KiB cap (104857600 bytes)
            invalid_identity\tdeveloper-binary-5\t\t\t\tnot valid UTF-8 (byte 4)
            invalid_identity\tdeveloper-dir-6\t\t\t\tidentity.yaml is a directory, not a regular file
            invalid_identity\tdeveloper-fifo-3\t\t\t\tidentity.yaml is a FIFO, not a regular file
            invalid_identity\tdeveloper-laughs-1\t\t\t\tanchors are not allowed
            invalid_identity\tdeveloper-link-4\t\t\t\tidentity.yaml is a symbolic link, not a regular file
            unexpected_entry\tdeveloper-outside-7\t\t\t\tsymbolic link where the persona's directory should be

            """)
        #expect(!drift.stdout.contains("root:"), "nothing of /etc/passwd is read")

        let reconcile = try cli("reconcile", "--format", "porcelain")
        #expect(reconcile.status == 2)
        #expect(reconcile.stdout.contains("finding\tinvalid_identity\tdeveloper-fifo-3"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: tree.path("developer-link-4/identity.yaml")) == "/etc/passwd")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd")) == passwd)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing written through a symlinked directory")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: tree.path("developer-dir-6/identity.yaml"), isDirectory: &isDirectory) && isDirectory.boolValue)
        // The regular invalid files were replaced, their bytes kept beside them.
        for slug in ["developer-laughs-1", "developer-big-2", "developer-binary-5"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: tree.path(slug))
            #expect(names.contains { $0.hasPrefix("identity.yaml.rejected-") }, "\(slug): \(names)")
            #expect(try tree.read(slug + "/identity.yaml").hasPrefix("# Managed by persona-registry"))
        }
        let remaining = try cli("drift", "--format", "porcelain")
        #expect(remaining.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[1]) }
                == ["developer-dir-6", "developer-fifo-3", "developer-link-4", "developer-outside-7"])
    }
}
