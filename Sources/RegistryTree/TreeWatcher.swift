import CSystemExtras
import Glibc
import RegistryCore
import RegistrySystem

/// inotify on the tree root and on each persona directory. Paths go through
/// `/proc/self/fd/<root>` so a watch is always on the open tree, never on
/// whatever its path names later, and `IN_DONT_FOLLOW|IN_ONLYDIR` refuse a
/// symlink or file where a persona directory should be.
public final class TreeWatcher {
    /// What one inotify event says happened in the tree.
    public enum Event: Equatable, Sendable {
        /// Something happened at this root entry (a slug or any other name).
        case entry(String)
        /// A directory appeared at the root under this name (created or moved
        /// in): the daemon's own doing if it created that directory in the
        /// current step, else a change like `entry`.
        case directoryAppeared(String)
        /// The entry `name` inside the persona directory `slug` was created,
        /// written, changed or removed: the daemon's own doing if it wrote or
        /// removed that file in the current step, else a change of `slug`.
        case fileChanged(slug: String, name: String)
        /// The entry `name` inside the persona directory `slug` was renamed, away from
        /// `name` (`away`) or to it; the two halves of one rename share `cookie`. Either
        /// half of the daemon's own atomic identity write, or a change like `fileChanged`.
        case fileRenamed(slug: String, name: String, cookie: UInt32, away: Bool)
        /// The queue overflowed or a watch is unknown: only a full sweep can tell.
        case needsSweep(String)
        /// The tree root itself was moved or removed (or its parent was).
        case rootGone
    }

    let inotify: Inotify
    private var rootDescriptor: Int32 {
        didSet { rootPath = TreeWatcher.path(of: rootDescriptor) }
    }
    /// `/proc/self/fd/<root>/`, the prefix of every watched path.
    private var rootPath: String
    /// Watch descriptor -> the slot of its root entry name ("" for the root itself), and back:
    /// a watch per persona for as long as the daemon runs (as `String`s, 13 MiB at 100,000).
    private var watches: [Int32: UInt32] = [:]
    private var names = PackedStringSet()
    private var watchOfSlot: [Int32] = []
    /// Watches this process removed; their events still queued are dropped until IN_IGNORED.
    private var retired: Set<Int32> = []
    /// The watch on the tree's parent and the tree's name in it: while this process holds
    /// the root open, its `rmdir` sends no IN_DELETE_SELF, only the parent's IN_DELETE.
    private var parentWatch: Int32?
    private var rootName = ""

    public var rawValue: Int32 { inotify.rawValue }
    public var count: Int { watches.count }

    public init(rootDescriptor: Int32) throws {
        inotify = try Inotify()
        self.rootDescriptor = rootDescriptor
        rootPath = TreeWatcher.path(of: rootDescriptor)
    }

    private static func path(of descriptor: Int32) -> String {
        "/proc/self/fd/" + String(descriptor) + "/"
    }

    /// Watches the tree root (before it is first listed). Throws when impossible.
    public func watchRoot(rootDescriptor: Int32) throws {
        if let slot = names.remove("") {
            inotify.removeWatch(watchOfSlot[Int(slot)])
            watches[watchOfSlot[Int(slot)]] = nil
        }
        self.rootDescriptor = rootDescriptor
        let watch = try inotify.addWatch(rootPath + ".")
        record(watch, "")
    }

    /// `watch` is now on the root entry `name`.
    private func record(_ watch: Int32, _ name: String) {
        let slot = names.insert(name).slot
        watches[watch] = slot
        if Int(slot) < watchOfSlot.count { watchOfSlot[Int(slot)] = watch } else { watchOfSlot.append(watch) }
    }

    /// Watches the parent of the tree at `treePath` for the tree's removal or move.
    public func watchParent(ofTree treePath: String) throws {
        var path = treePath
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        guard let slash = path.lastIndex(of: "/") else { return }
        rootName = String(path[path.index(after: slash)...])
        let parent = slash == path.startIndex ? "/" : String(path[..<slash])
        if let old = parentWatch { inotify.removeWatch(old) }
        parentWatch = try inotify.addParentWatch(parent)
    }

    public enum WatchResult: Equatable, Sendable {
        case watched
        /// Not a directory (a symlink, a file): reported by the drift check, never followed.
        case notDirectory
        /// The user's inotify watch limit is reached.
        case outOfWatches
        case failed(String)
    }

    /// Watches the persona directory `slug` (before it is scanned), found in
    /// the root as `name` (a staging name just before it is renamed to `slug`).
    @discardableResult
    public func watch(_ slug: String, at name: String? = nil) -> WatchResult {
        guard Slug.isTreeName(slug) else { return .notDirectory }
        if names.slot(of: slug) != nil { return .watched }
        let name = name ?? slug
        guard name == slug || StagingName.writerPID(name) != nil else { return .notDirectory }
        do {
            let watch = try inotify.addWatch(rootPath + name)
            // The same directory already watched under another name: that name is no longer watched.
            if let previous = watches[watch] { names.remove(names[previous]) }
            record(watch, slug)
            return .watched
        } catch {
            switch error.errno {
            case .noSpace:
                return .outOfWatches
            case .notDirectory, .tooManySymbolicLinkLevels, .noSuchFileOrDirectory:
                return .notDirectory
            default:
                return .failed(error.message)
            }
        }
    }

    /// Stops watching persona directory `name`; its events still queued are dropped.
    private func unwatch(_ name: String) {
        guard !name.isEmpty, let slot = names.remove(name) else { return }
        let watch = watchOfSlot[Int(slot)]
        watches[watch] = nil
        retired.insert(watch)
        inotify.removeWatch(watch)
    }

    /// Reads every queued event and says what changed.
    public func events() throws -> [Event] {
        var events: [Event] = []
        for event in try inotify.readEvents() {
            if event.isOverflow {
                events.append(.needsSweep("the inotify queue overflowed"))
                continue
            }
            if event.watch == parentWatch {
                if event.isIgnored { parentWatch = nil }
                if event.isSelfGone || (event.name == rootName && (event.has(IN_DELETE) || event.has(IN_MOVED_FROM))) {
                    events.append(.rootGone)
                }
                continue
            }
            guard let slot = watches[event.watch] else {
                if retired.contains(event.watch) {
                    if event.isIgnored { retired.remove(event.watch) }
                } else if !event.isIgnored {
                    events.append(.needsSweep("an event came for an unknown watch"))
                }
                continue
            }
            let name = names[slot]
            if event.isIgnored {
                watches[event.watch] = nil
                names.remove(name)
                events.append(name.isEmpty ? .rootGone : .entry(name))
                continue
            }
            if name.isEmpty {
                if event.isSelfGone {
                    events.append(.rootGone)
                } else if OwnEntryName.isOwn(event.name) {
                    continue
                } else if event.isDirectory, event.has(IN_CREATE) || event.has(IN_MOVED_TO) {
                    events.append(.directoryAppeared(event.name))
                } else {
                    // A persona directory moved away: its watch goes with it, so that a new
                    // directory of that name is watched and the old one's events no longer count.
                    if event.has(IN_MOVED_FROM) { unwatch(event.name) }
                    events.append(.entry(event.name))
                }
            } else if let change = personaDirectoryEvent(event, slug: name) {
                events.append(change)
            }
        }
        return events
    }

    /// An event inside the persona directory `slug` (the steps of the daemon's own atomic
    /// identity write among them: `OwnEvents` tells them apart).
    private func personaDirectoryEvent(_ event: InotifyEvent, slug: String) -> Event? {
        // A persona directory moved or renamed shows on the root watch as well
        // (IN_MOVED_FROM/TO of its name); its own IN_MOVE_SELF adds nothing, and one
        // comes for every new directory the daemon renames from its staging name.
        if event.has(IN_MOVE_SELF) { return nil }
        if event.name.isEmpty { return .entry(slug) }
        if event.has(IN_MOVED_FROM) || event.has(IN_MOVED_TO) {
            return .fileRenamed(slug: slug, name: event.name, cookie: event.cookie, away: event.has(IN_MOVED_FROM))
        }
        return .fileChanged(slug: slug, name: event.name)
    }
}
