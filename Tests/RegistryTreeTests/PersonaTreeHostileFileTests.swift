import Foundation
import Glibc
import Testing
import TestSupport
import RegistryCore
import RegistrySystem
@testable import RegistryTree

/// Links, non-regular and oversized files, and slugs that are not names: never followed, opened or made a path.
@Suite struct PersonaTreeHostileFileTests: PersonaTreeFixture {
    @Test func nonRegularIdentityFilesAreNeverOpenedOrReplaced() throws {
        let (temp, tree) = try PersonaTree.withConDirectory()
        #expect(mkfifo(temp.path("developer-con-1/identity.yaml"), 0o644) == 0)
        #expect(try tree.files(in: "developer-con-1").readIdentity() == .notRegularFile(.fifo))
        // Not even reconcile plans anything for it: reported only.
        let fifo = try TreeSync(tree: tree, templates: Self.templates).sweep(personas: [Self.persona()], policy: .reconcile)
        #expect(fifo.repairs.map(\.action) == [.writeSeedFiles(Self.persona(), names: ["experience.md", "skill.md"])])
        #expect(fifo.remaining.map(\.detail) == ["identity.yaml is a FIFO, not a regular file"])
        try FileManager.default.removeItem(atPath: temp.path("developer-con-1/identity.yaml"))
        try FileManager.default.createSymbolicLink(atPath: temp.path("developer-con-1/identity.yaml"), withDestinationPath: "/etc/passwd")
        #expect(try tree.files(in: "developer-con-1").readIdentity() == .notRegularFile(.symlink))
        _ = try TreeSync(tree: tree, templates: Self.templates).sweep(personas: [Self.persona()], policy: .reconcile)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: temp.path("developer-con-1/identity.yaml")) == "/etc/passwd")
        try FileManager.default.removeItem(atPath: temp.path("developer-con-1/identity.yaml"))
        try FileManager.default.createDirectory(atPath: temp.path("developer-con-1/identity.yaml"), withIntermediateDirectories: false)
        #expect(try tree.files(in: "developer-con-1").readIdentity() == .notRegularFile(.directory))
    }

    @Test func aSymlinkedPersonaDirectoryIsNotFollowed() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let outside = temp.tree + "-outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createSymbolicLink(atPath: temp.path("developer-con-1"), withDestinationPath: outside)
        #expect(throws: (any Error).self) { try tree.materialize(Self.persona(), templates: Self.templates, identity: .write) }
        #expect(throws: SystemError.self) { try tree.files(in: "developer-con-1").readIdentity() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == [])
    }

    @Test func invalidSlugsNeverBecomePaths() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        for slug in ["..", "../x", "a/b", "", "A", "x-", String(repeating: "a", count: 201)] {
            #expect(throws: TreeError.self) { try tree.makePersonaDirectory(slug) }
        }
    }

    @Test func oversizedIdentityIsNotRead() throws {
        let (temp, tree) = try PersonaTree.withConDirectory()
        let fd = open(temp.path("developer-con-1/identity.yaml"), O_CREAT | O_WRONLY, 0o644)
        #expect(ftruncate(fd, 100 * 1024 * 1024) == 0)
        close(fd)
        #expect(try tree.files(in: "developer-con-1").readIdentity() == .tooLarge(size: 100 * 1024 * 1024))
    }
}
