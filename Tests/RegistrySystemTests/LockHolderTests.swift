import Glibc
import Testing
import TestSupport
@testable import RegistrySystem
@testable import RegistryTree

@Suite struct LockHolderTests {
    static let table = """
        1: POSIX  ADVISORY  WRITE 700 fe:00:42 0 EOF
        2: FLOCK  ADVISORY  WRITE 4242 fe:00:16222497 0 EOF
        2: -> FLOCK  ADVISORY  WRITE 5151 fe:00:16222497 0 EOF
        3: FLOCK  ADVISORY  WRITE 999 103:02:16222497 0 EOF
        4: OFDLCK ADVISORY  READ  -1 fe:00:7 0 EOF

        """

    @Test func findsTheFlockHolderOfOneFileByDeviceAndInode() {
        #expect(LockHolder.pid(inProcLocks: Self.table, device: (0xfe, 0), inode: 16_222_497) == 4242)
        #expect(LockHolder.pid(inProcLocks: Self.table, device: (0x103, 2), inode: 16_222_497) == 999)
        #expect(LockHolder.pid(inProcLocks: Self.table, device: (0xfe, 0), inode: 42) == nil, "a POSIX lock is not ours")
        #expect(LockHolder.pid(inProcLocks: Self.table, device: (0xfe, 0), inode: 7) == nil)
        #expect(LockHolder.pid(inProcLocks: "garbage\n\n1: FLOCK\n", device: (0, 0), inode: 0) == nil)
    }

    @Test func readsThisProcessesOwnLockFromTheKernel() throws {
        let temp = try TemporaryTree(createTree: false)
        let tree = try PersonaTree(path: temp.tree, create: true)
        let lock = try TreeLock(rootDescriptor: tree.rootDescriptor, treePath: tree.path)
        #expect(LockHolder.pid(of: lock.descriptor.rawValue) == getpid())
        #expect(temp.contents(TreeLock.fileName) == "", "nothing is written into the lock file")
    }
}
