import Foundation
import Glibc
import Testing
import TestSupport
import RegistryCore
@testable import RegistryTree

/// One streaming pass over the tree root, classifying every entry.
@Suite struct SnapshotTests {
    @Test func oneStreamingPassClassifiesEveryRootEntry() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let con = PersonaTreeTests.persona()
        _ = try tree.materialize(con, templates: PersonaTreeTests.templates, identity: .write)
        try temp.write("developer-con-1/.identity.yaml.tmp-4194305-2", "")
        try temp.write(".persona-registry.lock", "")
        try temp.write(".gitkeep", "")
        try temp.write("README", "x")
        try FileManager.default.createDirectory(atPath: temp.path("Not A Slug"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: temp.path("developer-ann-2"), withDestinationPath: "/tmp")
        let raw = Array((temp.tree + "/bad-").utf8) + [0xFF, 0]  // a name that is not UTF-8
        let fd = raw.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        #expect(fd >= 0)
        close(fd)
        let snapshot = try tree.snapshot()
        #expect(snapshot.entries.count == 2)
        #expect(snapshot.entries["developer-ann-2"] == .notDirectory(.symlink))
        guard case .directory(let directory)? = snapshot.entries["developer-con-1"] else {
            Issue.record("developer-con-1 must be a persona directory"); return
        }
        #expect(directory.tempFiles == [".identity.yaml.tmp-4194305-2"])
        #expect(directory.identity == IdentityState(.contents(IdentityEncoder.encode(con))))
        #expect(snapshot.strays.sorted { $0.name < $1.name }.map(\.type) == [.directory, .regular, .regular])
        #expect(snapshot.strays.contains { $0.name == "bad-\u{FFFD}" })
        #expect(try tree.inspect("developer-con-1") == snapshot.entries["developer-con-1"])
        #expect(try tree.inspect("developer-zed-3") == nil)
    }
}
