import Foundation
import Glibc
@testable import RegistrySystem
import Testing

/// Whole files written in one step (`AtomicReplace`): replaced, or created only where nothing is.
@Suite struct AtomicReplaceTests {
    static func directory() throws -> (String, FileDescriptor) {
        let path = FileManager.default.temporaryDirectory.path + "/atomic-replace-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return (path, FileDescriptor(owning: open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)))
    }

    @Test func createWritesTheFileWholeWhereNothingIs() throws {
        let (path, directory) = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try AtomicReplace.create("identity.yaml", in: directory.rawValue, temp: ".t1", bytes: Array("new\n".utf8), display: ".t1"))
        #expect(try String(contentsOfFile: path + "/identity.yaml", encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["identity.yaml"])
    }

    @Test func createReplacesNothingAFileALinkOrADirectory() throws {
        let (path, directory) = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "a person's\n".write(toFile: path + "/file", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path + "/link", withDestinationPath: "/etc/passwd")
        try FileManager.default.createDirectory(atPath: path + "/dir", withIntermediateDirectories: false)
        for name in ["file", "link", "dir"] {
            #expect(try !AtomicReplace.create(name, in: directory.rawValue, temp: ".t-" + name, bytes: Array("x".utf8), display: name))
        }
        #expect(try String(contentsOfFile: path + "/file", encoding: .utf8) == "a person's\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path + "/link") == "/etc/passwd")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted() == ["dir", "file", "link"])
    }

    @Test func replaceReplacesAndLeavesNoTempFile() throws {
        let (path, directory) = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "old\n".write(toFile: path + "/status", atomically: false, encoding: .utf8)
        try AtomicReplace.replace("status", in: directory.rawValue, temp: "status.tmp", bytes: Array("new\n".utf8),
                                  clearingTemp: true, display: "status.tmp")
        #expect(try String(contentsOfFile: path + "/status", encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["status"])
    }
}
