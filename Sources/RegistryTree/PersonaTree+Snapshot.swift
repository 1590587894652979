import Glibc
import RegistryCore
import RegistrySystem

extension PersonaTree {
    /// One streaming pass over the tree: every root entry, and for each
    /// directory named like a slug its identity file (read, capped, parsed)
    /// and leftover temp files. Linear in the number of entries. Throws only
    /// when the root itself cannot be listed. `progress` is called after each entry.
    /// (For tests: the pipeline streams the pass, `forEachSnapshotItem`.)
    func snapshot(progress: () -> Void = {}) throws -> TreeSnapshot {
        var snapshot = TreeSnapshot()
        try forEachSnapshotItem(progress: progress) { item in
            switch item {
            case .slug(let name, let entry): snapshot.entries[name] = entry
            case .stray(let stray): snapshot.strays.append(stray)
            }
        }
        return snapshot
    }

    /// The same pass as `snapshot()`, handing each root entry to `body` as it
    /// is read instead of keeping them all (drift of a large tree). The
    /// registry's own entries (lock file, staging directories) go to `ownEntry`;
    /// each directory named like a slug goes to `directoryListed` before it is read.
    public func forEachSnapshotItem(progress: () -> Void = {}, ownEntry: (String) -> Void = { _ in },
                                    directoryListed: (String) -> Void = { _ in },
                                    _ body: (TreeSnapshotItem) -> Void) throws {
        try forEachRootEntry { entry in
            defer { progress() }
            if TreeSnapshot.isOwnEntry(entry.name) {
                ownEntry(entry.name)
                return
            }
            guard entry.nameIsUTF8, Slug.isTreeName(entry.name) else {
                body(.stray(StrayEntry(name: entry.name, type: entry.type)))
                return
            }
            guard entry.type == .directory else {
                body(.slug(entry.name, .notDirectory(entry.type)))
                return
            }
            directoryListed(entry.name)
            body(.slug(entry.name, inspectDirectory(entry.name)))
        }
    }

    /// The findings about one slug as the tree is now (after a repair: what it left);
    /// an entry that cannot be read is an unknown non-directory.
    public func findings(about slug: String, persona: Persona?) -> [Finding] {
        let entry: SlugEntry?
        do {
            entry = try inspect(slug)
        } catch {
            entry = .notDirectory(.unknown)
        }
        return DriftEngine.findings(slug: slug, persona: persona, entry: entry)
    }

    /// The root entry named `slug` (for a re-check of one dirty slug), `nil` if absent. A
    /// directory goes to `directoryListed` before it is read (a sweep's page watches it).
    public func inspect(_ slug: String, directoryListed: (String) -> Void = { _ in }) throws -> SlugEntry? {
        guard let type = try entryType(PersonaTree.component(slug)) else { return nil }
        guard type == .directory else { return .notDirectory(type) }
        directoryListed(slug)
        return inspectDirectory(slug)
    }

    private func inspectDirectory(_ slug: String) -> SlugEntry {
        let directory: FileDescriptor
        do {
            directory = try openPersonaDirectory(slug)
        } catch let error as SystemError {
            // Replaced by a link or a file since it was listed, or unreadable.
            if error.errno == .tooManySymbolicLinkLevels { return .notDirectory(.symlink) }
            // Not a directory any more: whatever it is now (a file), or unknown if gone again.
            if error.errno == .notDirectory { return .notDirectory(((try? entryType(slug)) ?? nil) ?? .unknown) }
            return .directory(PersonaDirectory(identity: .invalid(.unreadable(error.description))))
        } catch {
            return .directory(PersonaDirectory(identity: .invalid(.unreadable("\(error)"))))
        }
        var temps: [String] = []
        var seeds: [String: EntryType] = [:]
        do {
            try listEntries(of: directory, path: displayPath(slug)) { entry in
                if entry.type == .regular, TempFileName.isTempFile(entry.name) { temps.append(entry.name) }
                if SeedTemplates.seedFileNames.contains(entry.name) { seeds[entry.name] = entry.type }
            }
        } catch {
            return .directory(PersonaDirectory(identity: .invalid(.unreadable("\(error)"))))
        }
        var escaping: [String: String] = [:]
        for (name, type) in seeds where type == .symlink {
            if let target = LinkResolver(root: root).escapingTarget(ofLink: name, in: directory) { escaping[name] = target }
        }
        return .directory(PersonaDirectory(
            identity: IdentityState(files(of: directory, slug: slug).readIdentity()),
            tempFiles: temps.sorted(),
            missingSeeds: SeedTemplates.seedFileNames.filter { seeds[$0] == nil },
            escapingSeeds: EscapingSeed.inNameOrder(escaping)))
    }
}
