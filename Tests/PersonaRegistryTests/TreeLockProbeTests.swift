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
