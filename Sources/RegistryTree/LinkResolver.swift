import Glibc
import RegistryCore
import RegistrySystem

/// Resolves a symbolic link inside the tree without following it, to tell
/// whether it leads out of the tree (an escaping seed file).
struct LinkResolver: Sendable {
    /// The tree's root: where `..` stops and absolute targets must start.
    let root: FileDescriptor

    /// The most symbolic links one resolution goes through (the kernel's own limit).
    static let linkHopLimit = 40

    /// The target of the symbolic link `name` in a persona directory when it
    /// leads out of the tree, `nil` when it stays inside. The target is resolved
    /// here one component at a time (as bytes: a name need not be UTF-8), each
    /// looked at with `fstatat(AT_SYMLINK_NOFOLLOW)` relative to a descriptor of
    /// the directory reached so far, and links met on the way are read, never
    /// followed: nothing outside the tree is ever looked at. It escapes when a
    /// `..` climbs above the tree root, or an absolute target does not start
    /// with the root's own path (compared component by component as written, so
    /// an absolute link reaching the tree through another path counts as
    /// leaving it). A dangling link, a loop, or one that stops at something
    /// unreadable inside the tree does not escape: whoever follows it stays inside.
    func escapingTarget(ofLink name: String, in directory: FileDescriptor) -> String? {
        guard let target = readLink(Array(name.utf8), in: directory) else { return nil }
        let shown = String(decoding: target, as: UTF8.self)
        // The directories reached, innermost last; the root at the bottom.
        var stack: [FileDescriptor] = [root, directory]
        var pending: [ArraySlice<UInt8>] = []
        guard restart(from: target, stack: &stack, pending: &pending) else { return shown }
        var hops = 1
        while !pending.isEmpty {
            let component = Array(pending.removeFirst())
            if component == [UInt8(ascii: ".")] { continue }
            if component == [UInt8(ascii: "."), UInt8(ascii: ".")] {
                if stack.count == 1 { return shown }  // above the root
                stack.removeLast()
                continue
            }
            let current = stack[stack.count - 1]
            var info = stat()
            guard Self.withCString(component, { fstatat(current.rawValue, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                return nil
            }
            switch EntryType(mode: info.st_mode) {
            case .symlink:
                hops += 1
                guard hops <= Self.linkHopLimit, let next = readLink(component, in: current) else { return nil }
                guard restart(from: next, stack: &stack, pending: &pending) else { return shown }
            case .directory:
                let fd = Self.withCString(component) {
                    openat(current.rawValue, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
                guard fd >= 0 else { return nil }
                stack.append(FileDescriptor(owning: fd))
            default:
                // A file: the end of the path, or (with components left) not a directory.
                return nil
            }
        }
        return nil
    }

    /// Puts a link's `target` in front of what is left to resolve. A relative
    /// target continues from the link's directory (the stack as it is); an
    /// absolute one from the root, when it starts with the root's path.
    /// `false` when an absolute target lies outside the tree.
    private func restart(from target: [UInt8], stack: inout [FileDescriptor], pending: inout [ArraySlice<UInt8>]) -> Bool {
        var components = target.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        if target.first == UInt8(ascii: "/") {
            guard let rootPath = livePath(), components.count >= rootPath.count,
                  zip(components, rootPath).allSatisfy({ Array($0) == Array($1) }) else { return false }
            components.removeFirst(rootPath.count)
            stack.removeSubrange(1...)
        }
        pending = components + pending
        return true
    }

    /// The root's absolute path as the kernel knows it now (it may have been
    /// moved since it was opened), as components; `nil` when unknown.
    private func livePath() -> [ArraySlice<UInt8>]? {
        let link = Array(("/proc/self/fd/" + String(root.rawValue)).utf8)
        guard let path = Self.readTarget({ buffer in Self.withCString(link) { readlink($0, buffer.baseAddress!, buffer.count) } }),
              path.first == UInt8(ascii: "/"), !path.reversed().starts(with: " (deleted)".utf8.reversed()) else { return nil }
        return path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    }

    /// The target of the symbolic link `name` in `directory`, `nil` if it cannot be read.
    private func readLink(_ name: [UInt8], in directory: FileDescriptor) -> [UInt8]? {
        Self.readTarget { buffer in
            Self.withCString(name) { readlinkat(directory.rawValue, $0, buffer.baseAddress!, buffer.count) }
        }
    }

    private static func readTarget(_ call: (UnsafeMutableBufferPointer<CChar>) -> Int) -> [UInt8]? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { call($0) }
        guard count > 0, count < buffer.count else { return nil }
        return buffer[0..<count].map { UInt8(bitPattern: $0) }
    }

    /// A NUL-terminated copy of a name's bytes for a system call.
    private static func withCString<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}
