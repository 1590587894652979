import Glibc
import RegistryCore
import RegistrySystem

extension TreeLock {
    /// Whether a daemon holds the lock of the tree at `treePath` now. Read from
    /// `/proc/locks`, never by trying the lock: even a brief shared lock could
    /// make a daemon starting at that moment fail to take its own.
    /// The lock file is only looked at (`lstat`), never opened: a FIFO or device planted
    /// under its name is not reached, and a daemon locks only a regular file.
    public static func isHeld(treePath: String) -> Bool {
        if case .held = holding(treePath: treePath) { return true }
        return false
    }

    /// Whether a daemon holds the tree's lock, and its pid when the kernel's table names one
    /// (a holder in another pid namespace shows as 0: no pid).
    public enum Holding: Equatable, Sendable {
        case none
        case held(pid: Int32?)
    }

    public static func holding(treePath: String) -> Holding {
        var info = stat()
        guard lstat(treePath + "/" + fileName, &info) == 0, EntryType(mode: info.st_mode) == .regular,
              let locks = try? TextFile.read("/proc/locks") else { return .none }
        for line in locks.split(separator: "\n") where heldLock(line, device: UInt64(info.st_dev), inode: UInt64(info.st_ino)) {
            let pid = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).first.flatMap { Int32($0) }
            return .held(pid: pid.flatMap { $0 > 0 ? $0 : nil })
        }
        return .none
    }

    /// Whether a `/proc/locks` line is a granted exclusive flock on the inode,
    /// e.g. `1: FLOCK  ADVISORY  WRITE 4321 00:2d:1234567 0 EOF` (device major
    /// and minor in hex); lines of waiting lockers have `->` and are not granted.
    static func heldLock(_ line: Substring, device: UInt64, inode: UInt64) -> Bool {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 6, fields[1] == "FLOCK", fields[3] == "WRITE" else { return false }
        let id = fields[5].split(separator: ":")
        guard id.count == 3, let major = UInt64(id[0], radix: 16), let minor = UInt64(id[1], radix: 16),
              let number = UInt64(id[2]) else { return false }
        // glibc's major()/minor() of st_dev.
        let deviceMajor = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let deviceMinor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        return number == inode && major == deviceMajor && minor == deviceMinor
    }
}
