import Foundation
import Glibc
import Testing
import TestSupport
@testable import RegistryTree

@Suite("whether a daemon holds a tree's lock")
struct TreeLockProbeTests {
    @Test("a flock held by another open file is seen in /proc/locks; none, or a released one, is not")
    func probe() throws {
        let temp = try TemporaryTree(createTree: false)
        try FileManager.default.createDirectory(atPath: temp.tree, withIntermediateDirectories: false)
        #expect(!TreeLock.isHeld(treePath: temp.tree))
        let tree = try PersonaTree(path: temp.tree, create: false)
        do {
            let lock = try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: temp.tree)
            #expect(TreeLock.isHeld(treePath: temp.tree))
            _ = lock
        }
        #expect(!TreeLock.isHeld(treePath: temp.tree))
    }

    @Test("the holder's mark tells a daemon from a reconcile; a reconcile's lock is not a serving daemon")
    func holderKinds() throws {
        let temp = try TemporaryTree()
        let tree = try PersonaTree(path: temp.tree, create: false)
        #expect(TreeLock.holding(treePath: temp.tree) == .none)
        do {
            let lock = try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: temp.tree, as: .daemon)
            #expect(TreeLock.holding(treePath: temp.tree) == .daemon(pid: getpid()))
            #expect(TreeLock.mark(temp.tree + "/" + TreeLock.fileName) == 1)
            // A second daemon is refused as one.
            #expect(throws: TreeLockError.self) {
                _ = try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: temp.tree)
            }
            _ = lock
        }
        do {
            let lock = try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: temp.tree, as: .reconcile)
            #expect(TreeLock.holding(treePath: temp.tree) == .reconcile(pid: getpid()))
            #expect(!TreeLock.isHeld(treePath: temp.tree))
            do {
                _ = try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: temp.tree)
                Issue.record("a daemon's lock was taken beside a reconcile's")
            } catch let error as TreeLockError {
                #expect(error.heldByReconcile && error.reason.hasPrefix("a persona-registry reconcile holds it"))
            }
            _ = lock
        }
        #expect(TreeLock.holding(treePath: temp.tree) == .none)
    }

    @Test("/proc/locks lines: only a granted exclusive FLOCK on the same device and inode counts")
    func lines() {
        let device = UInt64((0x2d << 8) | 0x01)  // major 0x2d, minor 0x01
        #expect(TreeLock.heldLock("1: FLOCK  ADVISORY  WRITE 4321 2d:01:77 0 EOF", device: device, inode: 77))
        #expect(!TreeLock.heldLock("1: FLOCK  ADVISORY  WRITE 4321 2d:01:78 0 EOF", device: device, inode: 77))
        #expect(!TreeLock.heldLock("1: FLOCK  ADVISORY  WRITE 4321 2d:02:77 0 EOF", device: device, inode: 77))
        #expect(!TreeLock.heldLock("1: FLOCK  ADVISORY  READ 4321 2d:01:77 0 EOF", device: device, inode: 77))
        #expect(!TreeLock.heldLock("1: POSIX  ADVISORY  WRITE 4321 2d:01:77 0 EOF", device: device, inode: 77))
        #expect(!TreeLock.heldLock("1: -> FLOCK  ADVISORY  WRITE 4322 2d:01:77 0 EOF", device: device, inode: 77))
    }
}
