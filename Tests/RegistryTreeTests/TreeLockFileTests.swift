import Foundation
import Glibc
import Testing
import TestSupport
@testable import RegistryTree

/// The lock file is never written, and one that is not the tree's own regular file is refused.
@Suite struct TreeLockFileTests {
    func lock(_ temp: TemporaryTree) throws -> TreeLock {
        let tree = try PersonaTree(path: temp.tree, create: true)
        return try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: tree.path)
    }

    func refusal(_ temp: TemporaryTree) throws -> String? {
        do {
            _ = try lock(temp)
            return nil
        } catch let error as TreeLockError {
            return error.reason
        }
    }

    @Test func aFIFOOrADirectoryUnderItsNameIsRefusedWithoutBlocking() throws {
        let temp = try TemporaryTree(createTree: false)
        try FileManager.default.createDirectory(atPath: temp.tree, withIntermediateDirectories: true)
        try #require(mkfifo(temp.path(TreeLock.fileName), 0o644) == 0)
        #expect(try refusal(temp) == "it is a FIFO, not a regular file; remove it")
        try FileManager.default.removeItem(atPath: temp.path(TreeLock.fileName))
        try FileManager.default.createDirectory(atPath: temp.path(TreeLock.fileName), withIntermediateDirectories: false)
        #expect(try refusal(temp) == "it is a directory, not a regular file; remove it")
    }

    @Test func aHardLinkedLockFileIsRefusedAndLeftUnchanged() throws {
        let temp = try TemporaryTree(createTree: false)
        try FileManager.default.createDirectory(atPath: temp.tree, withIntermediateDirectories: true)
        let outside = (temp.tree as NSString).deletingLastPathComponent + "/outside"
        try "keep\n".write(toFile: outside, atomically: false, encoding: .utf8)
        try #require(link(outside, temp.path(TreeLock.fileName)) == 0)
        #expect(try refusal(temp) == "it has 2 hard links (a name outside the tree may share it); remove it")
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "keep\n")
        // Once the extra name is gone, the file is the tree's own again.
        try FileManager.default.removeItem(atPath: outside)
        _ = try lock(temp)
        #expect(temp.contents(TreeLock.fileName) == "keep\n", "nothing is written into the lock file")
    }
}
