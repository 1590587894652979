import CSystemExtras
import Glibc
import RegistryCore
import RegistrySystem

extension TreeLock {
    /// Whether a daemon holds the lock of the tree at `treePath` now.
    public static func isHeld(treePath: String) -> Bool {
        if case .daemon = holding(treePath: treePath) { return true }
        return false
    }

    /// Who holds the tree's lock, with the pid when the kernel's table names one (a holder in
    /// another pid namespace shows none).
    public enum Holding: Equatable, Sendable {
        case none
        case daemon(pid: Int32?)
        /// A `reconcile`, for its run.
        case reconcile(pid: Int32?)
    }

    /// Asked without taking anything: even a brief shared `flock` could make a daemon starting
    /// at that moment fail to take its own. The holder's mark (`Holder`) says who it is, through
    /// `F_OFD_GETLK`; the kernel's table (`/proc/locks`) gives the pid, and is the answer where
    /// marks are not kept. The lock file is looked at (`lstat`) before it is opened, so a FIFO
    /// or device planted under its name is not reached.
    public static func holding(treePath: String) -> Holding {
        let path = treePath + "/" + fileName
        var info = stat()
        guard lstat(path, &info) == 0, EntryType(mode: info.st_mode) == .regular else { return .none }
        let pid = lockTablePID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        let shown = pid.flatMap { $0 > 0 ? $0 : nil }
        switch mark(path) {
        case 1: return .daemon(pid: shown)
        case 2: return .reconcile(pid: shown)
        default: return pid == nil ? .none : .daemon(pid: shown)
        }
    }

    /// The holder's mark on the file: 1 a daemon's, 2 a reconcile's, 0 none (or not kept here).
    static func mark(_ path: String) -> Int32 {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        let file = FileDescriptor(owning: fd)
        guard let info = try? file.status(path: path), EntryType(mode: info.st_mode) == .regular else { return 0 }
        return max(0, persona_registry_ofd_probe(file.rawValue))
    }

    /// The pid in the first granted exclusive flock on the inode in `/proc/locks` (0 when the
    /// holder is in another pid namespace), `nil` when there is none.
    static func lockTablePID(device: UInt64, inode: UInt64) -> Int32? {
        guard let locks = try? TextFile.read("/proc/locks") else { return nil }
        for line in locks.split(separator: "\n") where heldLock(line, device: device, inode: inode) {
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).first.flatMap { Int32($0) } ?? 0
        }
        return nil
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
