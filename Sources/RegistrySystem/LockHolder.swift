import Glibc

/// Who holds a `flock` lock, as the kernel tells it in `/proc/locks`: the lock
/// file holds no pid (nothing is ever written into it, so a lock file hard-linked
/// to a file outside the tree cannot be used to write there), and the kernel's
/// table is the one record that cannot go stale. `lslocks` shows the same.
public enum LockHolder {
    /// The pid holding a `FLOCK` lock on the file with this device and inode, if any.
    /// Lines read like `1: FLOCK  ADVISORY  WRITE 4242 fe:00:16222497 0 EOF`, the
    /// device as hexadecimal `major:minor`; a waiting lock (`->`) is not a holder.
    public static func pid(inProcLocks text: String, device: (major: UInt32, minor: UInt32), inode: UInt64) -> Int32? {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK" else { continue }
            let file = fields[5].split(separator: ":")
            guard file.count == 3, UInt32(file[0], radix: 16) == device.major, UInt32(file[1], radix: 16) == device.minor,
                  UInt64(file[2]) == inode, let pid = Int32(fields[4]), pid > 0 else { continue }
            return pid
        }
        return nil
    }

    /// The pid holding a `flock` lock on the open file `fd`, from `/proc/locks`.
    package static func pid(of fd: Int32) -> Int32? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let source = open("/proc/locks", O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { return nil }
        guard let bytes = try? FileDescriptor(owning: source).readAll(limit: 16 << 20, path: "/proc/locks") else { return nil }
        // glibc's major()/minor() (macros Swift cannot call): the kernel's dev_t split.
        let dev = UInt64(info.st_dev)
        let device = (major: UInt32(truncatingIfNeeded: ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfff)),
                      minor: UInt32(truncatingIfNeeded: (dev & 0xff) | ((dev >> 12) & ~0xff)))
        return pid(inProcLocks: String(decoding: bytes, as: UTF8.self), device: device, inode: UInt64(info.st_ino))
    }
}
