import CSystemExtras
import Glibc
import RegistryCore
import RegistrySystem

/// The tree `data/personas/`, opened once. Every later operation is relative
/// to the root descriptor (`mkdirat`, `openat` with `O_NOFOLLOW`, `fstatat`
/// with `AT_SYMLINK_NOFOLLOW`, `renameat`), and a slug is re-validated before
/// it becomes a path component, so nothing outside the tree is ever reached
/// through a name or a symbolic link inside it.
///
/// The root itself is the operator's choice and may be reached through a
/// symbolic link (a deployment may link `data/personas` elsewhere).
public final class PersonaTree: Sendable {
    public static let identityFileName = "identity.yaml"

    /// The path the tree was opened with (for messages only).
    public let path: String
    let root: FileDescriptor
    /// The open root's device and inode, which an open descriptor keeps: read once, since
    /// `isNamed` runs before every step.
    private let rootIdentity: FileIdentity?
    /// The names of this process's temp files and staging directories.
    let names: TempNames
    /// The staging directory the daemon makes ahead of the next new persona (`SpareStaging`).
    let spare: SpareStaging
    /// A burst's new directories staged ahead of their renames (`StagedAhead`).
    let ahead = StagedAhead()

    /// Opens the tree at `path`. With `create`, the directory is created first
    /// (its parent must exist); without it a missing tree is an error.
    public convenience init(path: String, create: Bool) throws {
        try self.init(path: path, make: create ? { try PersonaTree.makeTreeDirectory($0) } : nil)
    }

    /// Makes the tree directory again where it was moved or removed, and opens it: only the
    /// directory itself, and a missing parent is the system's error as it is (the daemon
    /// logs it and tries again later).
    /// It keeps `previous`'s names: the staging directories this process left are its own still.
    public static func remade(at path: String, after previous: PersonaTree) throws -> PersonaTree {
        try PersonaTree(path: path, names: previous.names) { path in
            if case .failure(let error) = systemCall("mkdir", path, { mkdir(path, 0o755) }), error.errno != .fileExists { throw error }
        }
    }

    private init(path: String, names: TempNames = TempNames(), make: ((String) throws -> Void)?) throws {
        self.path = path
        self.names = names
        spare = SpareStaging(names: names)
        try make?(path)
        let fd = try retryOnEINTR("cannot open the tree", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        root = FileDescriptor(owning: fd)
        rootIdentity = root.identity
    }

    /// Whether nothing exists at `path` (a tree not created yet).
    public static func isMissing(_ path: String) throws -> Bool {
        var info = stat()
        switch systemCall("lstat", path, { lstat(path, &info) }) {
        case .success: return false
        case .failure(let error) where error.errno == .noSuchFileOrDirectory: return true
        case .failure(let error): throw error
        }
    }

    /// Whether `path` names the open root (the same file): false once the root was moved
    /// or removed, or `path` names another directory since.
    public func isNamed(by path: String) -> Bool {
        guard let named = FileIdentity(path: path) else { return false }
        // Read again on a mismatch: a file system may renumber a directory (overlayfs copy-up).
        return named == rootIdentity || named == root.identity
    }

    /// The root descriptor, e.g. for an inotify watch or `flock` on a lock file.
    public var rootDescriptor: Int32 { root.rawValue }

    /// Streams the entries of the tree root.
    public func forEachRootEntry(_ body: (DirectoryEntry) throws -> Void) throws {
        try listEntries(of: root, path: path, body)
    }

    /// What the root entry `name` is (never following a link), `nil` if absent.
    public func entryType(_ name: String) throws -> EntryType? {
        try root.entryType(of: name, path: displayPath(name))
    }

    /// Opens the directory of persona `slug`; fails (`ELOOP`/`ENOTDIR`) if it is a symbolic link or not a directory.
    public func openPersonaDirectory(_ slug: String) throws -> FileDescriptor {
        let component = try PersonaTree.component(slug)
        let fd = try retryOnEINTR("open", displayPath(slug)) {
            openat(root.rawValue, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        return FileDescriptor(owning: fd)
    }

    /// The files of persona directory `slug`, opened (see `openPersonaDirectory`).
    func files(in slug: String) throws -> TreeFiles {
        files(of: try openPersonaDirectory(slug), slug: slug)
    }

    /// The files of persona directory `slug`, open as `directory`.
    func files(of directory: FileDescriptor, slug: String) -> TreeFiles {
        TreeFiles(directory: directory, slug: slug, treePath: path, names: names)
    }

    /// Where new persona directories are made whole, and staging leftovers removed.
    var newDirectories: NewDirectory { NewDirectory(root: root, treePath: path, names: names, spare: spare, ahead: ahead) }

    /// Whether `prepareSpareStaging` would make a directory (none is ready, and the last
    /// attempt did not fail since a new directory was made).
    public var wantsSpareStaging: Bool { spare.isWanted }

    /// Makes an empty staging directory ahead of the next new persona, if one is wanted
    /// (`SpareStaging`): the daemon's, between steps. Failures are left to the next new
    /// directory to meet and report.
    public func prepareSpareStaging() {
        spare.prepare(in: root)
    }

    /// Removes the spare staging directory if it is there and empty (at stop).
    public func discardSpareStaging() {
        spare.discard(in: root)
    }

    /// Creates the directory of persona `slug`; `false` if a directory was already there.
    @discardableResult
    public func makePersonaDirectory(_ slug: String) throws -> Bool {
        let component = try PersonaTree.component(slug)
        switch systemCall("mkdirat", displayPath(slug), { mkdirat(root.rawValue, component, 0o755) }) {
        case .success:
            return true
        case .failure(let error) where error.errno == .fileExists:
            guard try entryType(component) == .directory else { throw error }
            return false
        case .failure(let error):
            throw error
        }
    }

    /// Flushes everything written to the tree's file system: one `syncfs(2)`
    /// per batch of writes instead of an fsync per file.
    public func flush() throws {
        try retryOnEINTR("syncfs", path) { persona_registry_syncfs(root.rawValue) }
    }

    /// `path/slug/name` for messages.
    public func displayPath(_ components: String...) -> String {
        ([path] + components).joined(separator: "/")
    }

    /// A slug, re-validated before it becomes a path component.
    static func component(_ slug: String) throws -> String {
        guard Slug.isTreeName(slug) else {
            throw TreeError.invalidSlug(slug)
        }
        return slug
    }

    /// `mkdir -p`: the only path-walking operation, used once for the root.
    /// Creates the tree directory itself, never a chain of parents: a mistyped
    /// `--data-dir /typo/deep/personas` is an error, not new directories.
    static func makeTreeDirectory(_ path: String) throws {
        switch systemCall("mkdir", path, { mkdir(path, 0o755) }) {
        case .success: return
        case .failure(let error) where error.errno == .fileExists: return
        case .failure(let error) where error.errno == .noSuchFileOrDirectory: throw missingParent(path)
        case .failure(let error): throw error
        }
    }

    /// Refuses, for a dry run, a missing tree `path` that a real run could not create: its
    /// parent must be a directory. The refusal says that a dry run creates nothing.
    public static func checkCreatable(_ path: String) throws {
        var info = stat()
        let parent = parentPath(path)
        guard stat(parent, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw TreeError.treeParentMissingForDryRun(tree: path, parent: parent)
        }
    }

    private static func missingParent(_ path: String) -> TreeError {
        .treeParentMissing(tree: path, parent: parentPath(path))
    }

    private static func parentPath(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
