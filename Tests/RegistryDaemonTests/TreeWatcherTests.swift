import Glibc
import Testing
@testable import RegistryTree
@testable import RegistryDaemon

/// TreeWatcher on real inotify and a real temporary tree.
@Suite struct TreeWatcherTests {
    final class Directory {
        let path: String
        let descriptor: Int32
        init() throws {
            var template = Array("/tmp/tree-watcher-test-XXXXXX".utf8CString)
            path = String(cString: try #require(mkdtemp(&template)))
            descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        deinit {
            close(descriptor)
            _ = system("rm -rf '\(path)'")
        }
    }

    @Test func eventsNameTheRootEntryAndNewPersonaDirectoriesCanBeWatched() throws {
        let tree = try Directory()
        let watcher = try TreeWatcher(rootDescriptor: tree.descriptor)
        try watcher.watchRoot(rootDescriptor: tree.descriptor)
        #expect(mkdir(tree.path + "/developer-con-1", 0o755) == 0)
        #expect(try watcher.events().contains(.directoryAppeared("developer-con-1")))
        #expect(watcher.watch("developer-con-1") == .watched)
        let fd = open(tree.path + "/developer-con-1/skill.md", O_CREAT | O_WRONLY, 0o644)
        close(fd)
        let inside = try watcher.events()
        #expect(!inside.isEmpty && inside.allSatisfy { $0 == .fileChanged(slug: "developer-con-1", name: "skill.md") })
        #expect(symlink("/tmp", tree.path + "/developer-eve-2") == 0)
        #expect(watcher.watch("developer-eve-2") == .notDirectory)
        #expect(watcher.watch("../escape") == .notDirectory)
    }

    /// A tree with `developer-con-1/`, the root and that directory watched, no events pending.
    static func watchingOnePersonaDirectory() throws -> (Directory, TreeWatcher) {
        let tree = try Directory()
        let watcher = try TreeWatcher(rootDescriptor: tree.descriptor)
        try watcher.watchRoot(rootDescriptor: tree.descriptor)
        #expect(mkdir(tree.path + "/developer-con-1", 0o755) == 0)
        #expect(watcher.watch("developer-con-1") == .watched)
        _ = try watcher.events()
        return (tree, watcher)
    }

    @Test func aPersonaDirectoryMovedAwayIsNoLongerWatchedAndANewOneOfThatNameIs() throws {
        let (tree, watcher) = try Self.watchingOnePersonaDirectory()
        #expect(rename(tree.path + "/developer-con-1", tree.path + "/developer-con-1.bak") == 0)
        let moved = try watcher.events()
        #expect(moved.contains(.entry("developer-con-1")))
        #expect(!moved.contains { if case .needsSweep = $0 { true } else { false } }, "\(moved)")
        // The old directory's events no longer count as the slug's; a new directory does.
        close(open(tree.path + "/developer-con-1.bak/notes.md", O_CREAT | O_WRONLY, 0o644))
        #expect(mkdir(tree.path + "/developer-con-1", 0o755) == 0)
        #expect(watcher.watch("developer-con-1") == .watched)
        close(open(tree.path + "/developer-con-1/skill.md", O_CREAT | O_WRONLY, 0o644))
        let after = try watcher.events()
        #expect(after.contains(.fileChanged(slug: "developer-con-1", name: "skill.md")))
        #expect(!after.contains(.fileChanged(slug: "developer-con-1", name: "notes.md")), "\(after)")
        #expect(!after.contains { if case .needsSweep = $0 { true } else { false } }, "\(after)")
    }

    @Test func thisProcessAtomicIdentityWriteIsNoChangeButAPersonsRenameIs() throws {
        let (tree, watcher) = try Self.watchingOnePersonaDirectory()
        let personaTree = try PersonaTree(path: tree.path, create: false)
        try personaTree.files(in: "developer-con-1").writeAtomically(Array("name: Con\n".utf8), name: PersonaTree.identityFileName)
        try personaTree.files(in: "developer-con-1").writeAtomically(Array("name: Conrad\n".utf8), name: PersonaTree.identityFileName)
        // The watcher reports every step; `OwnChanges` knows them for this process's own.
        var own = OwnChanges()
        #expect(try own.endStep(watcher.events(), after: nil) == [])
        // A person's editor writing a temp file and renaming it over the identity file.
        let fd = open(tree.path + "/developer-con-1/.identity.yaml.swp", O_CREAT | O_WRONLY, 0o644)
        close(fd)
        #expect(rename(tree.path + "/developer-con-1/.identity.yaml.swp", tree.path + "/developer-con-1/identity.yaml") == 0)
        #expect(try own.endStep(watcher.events(), after: nil).contains(.fileChanged(slug: "developer-con-1", name: "identity.yaml")))
    }

    @Test func overflowAsksForAFullSweep() throws {
        let tree = try Directory()
        let watcher = try TreeWatcher(rootDescriptor: tree.descriptor)
        try watcher.watchRoot(rootDescriptor: tree.descriptor)
        let limit = Int(try #require(readLimit("/proc/sys/fs/inotify/max_queued_events")))
        // Two events per file (create, close-write): enough to overflow the queue unread.
        for index in 0..<(limit / 2 + 100) {
            let fd = open(tree.path + "/f\(index)", O_CREAT | O_WRONLY, 0o644)
            close(fd)
        }
        let changes = try watcher.events()
        #expect(changes.contains(.needsSweep("the inotify queue overflowed")))
    }

    @Test func theRootMovedAwayIsReported() throws {
        let tree = try Directory()
        let watcher = try TreeWatcher(rootDescriptor: tree.descriptor)
        try watcher.watchRoot(rootDescriptor: tree.descriptor)
        #expect(rename(tree.path, tree.path + "-moved") == 0)
        defer { _ = rename(tree.path + "-moved", tree.path) }
        #expect(try watcher.events().contains(.rootGone))
    }

    private func readLimit(_ path: String) -> Int? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = read(fd, &bytes, bytes.count)
        return count > 0 ? Int(String(decoding: bytes[0..<count], as: UTF8.self).trimmedWhitespace()) : nil
    }

    @Test func theRootRemovedWhileHeldOpenShowsOnlyOnItsParentsWatch() throws {
        let parent = try Directory()
        let path = parent.path + "/personas"
        #expect(mkdir(path, 0o755) == 0)
        let root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(root) }
        let watcher = try TreeWatcher(rootDescriptor: root)
        try watcher.watchRoot(rootDescriptor: root)
        // The parent's other entries are none of its business.
        #expect(mkdir(parent.path + "/templates", 0o755) == 0)
        #expect(rmdir(parent.path + "/templates") == 0)
        #expect(rmdir(path) == 0)
        // The open root gets no IN_DELETE_SELF: without the parent's watch nothing is seen.
        #expect(!(try watcher.events()).contains(.rootGone))
        #expect(mkdir(path, 0o755) == 0)
        try watcher.watchParent(ofTree: path + "/")
        #expect(try watcher.events().isEmpty)
        #expect(mkdir(parent.path + "/templates", 0o755) == 0)
        #expect(rmdir(parent.path + "/templates") == 0)
        #expect(try watcher.events().isEmpty)
        #expect(rmdir(path) == 0)
        #expect(try watcher.events() == [.rootGone])
    }
}
