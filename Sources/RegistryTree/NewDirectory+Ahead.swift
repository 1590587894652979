import Glibc
import RegistryCore
import RegistrySystem

/// A burst's new directories staged ahead (`StagedAhead`), the writes on two threads.
extension NewDirectory {
    /// Makes the directories of `personas` (rows presumed missing, whose slugs the tree can
    /// hold) whole under staging names when there are enough (`StagedAhead.smallestRun`; else
    /// nothing is staged and `createWhole` writes each as before): half of them on a second
    /// thread when this process may run on more than one processor, all on this one where it
    /// may not (the same steps in the same order, so one code path on every host). A directory
    /// that cannot be made or written is removed and not staged: its own `createWhole` then
    /// meets the error and reports it.
    func stageAhead(_ personas: [Persona], templates: SeedTemplates) {
        guard personas.count >= StagedAhead.smallestRun else { return }
        let staged: [String: StagedAhead.Directory]
        if HelperThread.processors > 1 {
            let half = personas.count / 2
            let (mine, theirs) = HelperThread.run({ stage(personas[..<half], templates: templates) },
                                                  alongside: { stage(personas[half...], templates: templates) })
            staged = mine.merging(theirs) { first, second in
                discard(second)
                return first
            }
        } else {
            staged = stage(personas[...], templates: templates)
        }
        for displaced in ahead.put(staged) { discard(displaced) }
    }

    /// Removes what the step did not take, checked as a take is: one found changed is given
    /// up and kept with what is in it; one unchanged is removed as a staging directory of
    /// ours (only the files it wrote, and the directory only if that left it empty).
    func discardStagedAhead() {
        for directory in ahead.takeAll() { discard(directory) }
    }

    /// One staged directory not used: removed if unchanged, else kept (`isUnchanged`). A slug
    /// given twice gets one directory; the other goes here (found when it is put, at no cost
    /// otherwise: slugs are unique in the tables, so it is never expected).
    private func discard(_ directory: StagedAhead.Directory) {
        if isUnchanged(directory) { removeStaging(directory.name, files: directory.files) }
    }

    /// The staged directory of `slug` from `persona` if there is one, checked: the same directory
    /// still, nothing added, removed or renamed in it since its last write. One found changed is
    /// given up and kept with what is in it (as a spare is). Returns its name and files.
    func takeStaged(_ slug: String, persona: Persona) -> (name: String, files: [String], seeds: [String])? {
        guard let directory = ahead.take(slug, persona: persona), isUnchanged(directory) else { return nil }
        // Staged only when every file was written: the seed files, then the identity file.
        return (directory.name, directory.files, Array(directory.files.dropLast()))
    }

    /// Whether `directory` is as its stager left it; if not, it is given up and kept
    /// (`TempNames.keepStaging`) with what is in it.
    private func isUnchanged(_ directory: StagedAhead.Directory) -> Bool {
        guard FileStamp(of: directory.name, in: root.rawValue) == directory.stamp else {
            names.keepStaging(directory.name)
            return false
        }
        return true
    }

    private func stage(_ personas: ArraySlice<Persona>, templates: SeedTemplates) -> [String: StagedAhead.Directory] {
        var staged: [String: StagedAhead.Directory] = [:]
        staged.reserveCapacity(personas.count)
        for persona in personas {
            let files = templates.files(for: persona) + [(PersonaTree.identityFileName, IdentityEncoder.encode(persona))]
            // A failure has removed what it made (`newStaging`, `write`).
            guard let (name, directory) = try? newStaging(),
                  let written = try? write(files, into: directory, staging: name, slug: persona.slug) else { continue }
            guard let stamp = FileStamp(directory) else {
                removeStaging(name, files: written)
                continue
            }
            let made = StagedAhead.Directory(name: name, persona: persona, files: written, stamp: stamp)
            if let displaced = staged.updateValue(made, forKey: persona.slug) { discard(displaced) }
        }
        return staged
    }
}
