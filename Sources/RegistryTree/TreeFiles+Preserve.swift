import Glibc
import RegistryCore
import RegistrySystem

/// Keeping an identity file's bytes under another name before it is replaced.
extension TreeFiles {
    /// Links the current identity file as `identity.yaml.rejected-<UTC yyyymmddThhmmssZ>`
    /// (`-2`, `-3`, ... if that name is taken) and returns the name.
    func preserveRejectedIdentity() throws -> String {
        let base = PersonaTree.identityFileName + ".rejected-" + Self.utcStamp()
        var name = base
        var attempt = 1
        while true {
            do {
                try preserveIdentity(as: name)
                return name
            } catch let error as SystemError {
                guard error.errno == .fileExists, attempt < 100 else { throw error }
                attempt += 1
                name = base + "-" + String(attempt)
            }
        }
    }

    /// The current UTC time as `yyyymmddThhmmssZ`.
    static func utcStamp() -> String {
        UTCTime.now(separated: false)
    }

    /// Keeps the current (regular) identity file's bytes as `newName` by a
    /// hard link (nothing copied, nothing followed), or by a copy where the
    /// file system has no hard links. An existing `newName` is never
    /// replaced (`EEXIST`).
    func preserveIdentity(as newName: String) throws {
        let display = display(newName)
        switch systemCall("linkat", display, {
            linkat(directory.rawValue, PersonaTree.identityFileName, directory.rawValue, newName, 0)
        }) {
        case .success:
            return
        case .failure(let error) where [.notPermitted, .improperLink, .notSupported, .tooManyLinks].contains(error.errno):
            try copyIdentity(to: newName, display: display)
        case .failure(let error):
            throw error
        }
    }

    /// Copies the regular identity file to a new name (`O_EXCL`), streaming.
    func copyIdentity(to newName: String, display: String) throws {
        let source = self.display(PersonaTree.identityFileName)
        let input = FileDescriptor(owning: try retryOnEINTR("openat", source) {
            openat(directory.rawValue, PersonaTree.identityFileName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        })
        guard EntryType(mode: try input.status(path: source).st_mode) == .regular else {
            throw TreeError.noLongerRegularFile(source)
        }
        guard let output = try openNew(newName, display: display) else {
            throw SystemError(errno: .fileExists, operation: "openat", path: display)
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                try retryOnEINTR("read", source) { read(input.rawValue, buffer.baseAddress, buffer.count) }
            }
            if count == 0 { return }
            try output.writeAll(Array(chunk[0..<count]), path: display)
        }
    }
}
