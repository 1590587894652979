import CSystemExtras
import Glibc
import RegistryCore
import RegistrySystem

/// Called with a persona's slug and the name its new directory has in the
/// tree's root right now: a hidden staging name (`StagingName`) just before it
/// is renamed to the slug, or the slug itself where it was made in place.
/// The daemon watches the directory then (a watch follows a rename).
public typealias DirectoryCreated = (_ slug: String, _ currentName: String) -> Void

/// A persona directory made whole under a staging name and renamed into
/// place, and the staging directories a crashed writer left behind.
/// Works in the tree's root (`PersonaTree.newDirectories`).
struct NewDirectory: Sendable {
    let root: FileDescriptor
    /// The tree's path, for messages.
    let treePath: String
    let names: TempNames
    /// The staging directory made ahead of the next new persona, if any.
    let spare: SpareStaging
    /// A burst's new directories made whole ahead of their renames (`stageAhead`).
    let ahead: StagedAhead

    /// `tree/name...` for messages.
    private func display(_ components: String...) -> String { ([treePath] + components).joined(separator: "/") }

    /// Makes a new persona directory whole before anyone can see it: built under a
    /// staging name with its seed files and identity file written straight into it,
    /// then renamed to `slug` with `RENAME_NOREPLACE`. A reader of the tree never
    /// meets a persona directory without its identity file, or half a file; and it
    /// costs the file system one rename instead of a temp file and a rename per file.
    /// Returns the seed files written, or `nil` (nothing left behind) when an entry
    /// named `slug` appeared meanwhile or the file system cannot rename without
    /// replacing: the caller then works in place. A directory staged ahead for `persona`
    /// (`stageAhead`) is renamed as it is, with nothing written again.
    /// `identity` and `seeds` are asked for only if written here.
    func createWhole(slug: String, persona: Persona, identity: () -> [UInt8], seeds: () -> [(name: String, bytes: [UInt8])],
                     directoryCreated: DirectoryCreated) throws -> [String]? {
        if let staged = takeStaged(slug, persona: persona) {
            return try rename(staged.name, to: slug, written: staged.files, seeds: staged.seeds, directoryCreated: directoryCreated)
        }
        let (staging, directory) = try spareOrNewStaging()
        let seeds = seeds()
        let written = try write(seeds + [(PersonaTree.identityFileName, identity())], into: directory, staging: staging, slug: slug)
        return try rename(staging, to: slug, written: written, seeds: seeds.map(\.name), directoryCreated: directoryCreated)
    }

    /// `files` written into the staging directory `staging`, open as `directory` (`slug`'s, for
    /// messages): the names written, in order. On a failure what was written and the directory
    /// are removed (`removeStaging`) and the error is thrown.
    func write(_ files: [(name: String, bytes: [UInt8])], into directory: FileDescriptor, staging: String,
               slug: String) throws -> [String] {
        var written: [String] = []
        do {
            for file in files {
                try writeNewFile(file.name, bytes: file.bytes, in: directory, display: display(slug, file.name)) {
                    written.append(file.name)
                }
            }
            return written
        } catch {
            removeStaging(staging, files: written)
            throw error
        }
    }

    /// The staging directory `staging`, whole, watched (`directoryCreated`) and renamed to `slug`
    /// without replacing anything; removed if that is refused (`nil`) or fails.
    private func rename(_ staging: String, to slug: String, written: [String], seeds: [String],
                        directoryCreated: DirectoryCreated) throws -> [String]? {
        do {
            directoryCreated(slug, staging)
            switch systemCall("rename", display(slug), {
                persona_registry_renameat_noreplace(root.rawValue, staging, root.rawValue, slug)
            }) {
            case .success:
                return seeds
            case .failure(let error) where [.fileExists, .invalidArgument, .noFunction].contains(error.errno):
                removeStaging(staging, files: written)
                return nil
            case .failure(let error):
                throw error
            }
        } catch {
            removeStaging(staging, files: written)
            throw error
        }
    }

    /// The spare staging directory made ahead (`SpareStaging`), else a new one, named and open.
    private func spareOrNewStaging() throws -> (String, FileDescriptor) {
        if let spare = spare.take(in: root) { return (spare.name, spare.descriptor) }
        let made = try newStaging()
        spare.madeWithout()
        return made
    }

    /// A new, empty staging directory (never the spare), named and open; removed if it
    /// cannot be opened.
    func newStaging() throws -> (String, FileDescriptor) {
        let staging = try names.makeStagingDirectory(in: root, display: { display($0) })
        do {
            let fd = try retryOnEINTR("open", display(staging)) {
                openat(root.rawValue, staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            return (staging, FileDescriptor(owning: fd))
        } catch {
            removeStaging(staging, files: [])
            throw error
        }
    }

    /// Creates `name` (`O_EXCL`, never following a link) and writes all of `bytes`; `created`
    /// is called once the file is ours, before writing (a failed write leaves part of a file
    /// to remove). A file of that name already there is not ours: never recorded, never removed.
    private func writeNewFile(_ name: String, bytes: [UInt8], in directory: FileDescriptor,
                              display: @autoclosure () -> String, created: () -> Void) throws {
        let fd = try retryOnEINTR("openat", display()) {
            openat(directory.rawValue, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }
        created()
        try FileDescriptor(owning: fd).writeAll(bytes, path: display())
    }

    /// Removes a staging directory of ours: the files named (only if they are
    /// regular files), then the directory if that left it empty. `true` if gone; if not,
    /// it is kept (`TempNames.keepStaging`): what else is in it may be a person's.
    @discardableResult
    func removeStaging(_ staging: String, files: [String]) -> Bool {
        let fd = openat(root.rawValue, staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd >= 0 {
            let directory = FileDescriptor(owning: fd)
            for name in files where (try? directory.entryType(of: name, path: name)) == .regular {
                _ = unlinkat(directory.rawValue, name, 0)
            }
        }
        guard unlinkat(root.rawValue, staging, AT_REMOVEDIR) == 0 else {
            names.keepStaging(staging)
            return false
        }
        return true
    }

    /// Removes the staging directories left in the root by writers that are gone
    /// (a crash between `mkdirat` and the rename, or with a spare made), when they hold
    /// nothing but the regular files such a writer makes. Never a live writer's, never one
    /// holding anything else (a person's file is never deleted). With this process's pid, only
    /// one it did not make (an earlier process's with the same pid): never the spare, never
    /// one it kept (`TempNames.isLeftoverStaging`), never one staged ahead now (`StagedAhead`).
    /// Returns the names removed.
    @discardableResult
    func removeLeftoverStaging(_ staging: [String]) -> [String] {
        let ours = Set(SeedTemplates.seedFileNames + [PersonaTree.identityFileName])
        return staging.filter { name in
            guard names.isLeftoverStaging(name, spare: spare.readyName), !ahead.isStaged(name) else { return false }
            let fd = openat(root.rawValue, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return false }
            var files: [String] = []
            var onlyOurs = true
            do {
                try listEntries(of: FileDescriptor(owning: fd), path: display(name)) { entry in
                    if entry.type == .regular, ours.contains(entry.name) { files.append(entry.name) } else { onlyOurs = false }
                }
            } catch {
                return false
            }
            return onlyOurs && removeStaging(name, files: files)
        }
    }
}
