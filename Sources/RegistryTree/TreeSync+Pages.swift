import RegistryCore

/// The daemon's sweep, read in pages of rows (`PagedSweep`): each page's entries brought in
/// step as a batch's are, then one pass over the root's listing for what no row claims. Only
/// a page's rows, findings and plan are held at once, not the whole table's.
extension TreeSync {
    /// A page of a sweep's rows: each row's entry brought in step under `policy`
    /// (`bringInStep`), each existing directory watched before it is read
    /// (`directoryListed`); flushed when the page wrote, so every sweep that writes flushes.
    public func sweepPage(_ personas: [Persona], policy: RepairPolicy, progress: () -> Void) throws -> SyncResult {
        let result = try bringInStep(personas.map(\.slug), personas: personas, policy: policy, listing: true, progress: progress)
        if result.wrote { try tree.flush() }
        return result
    }

    /// After a sweep's last page: one pass over the root's listing for the entries no row
    /// claims (`claimed`: the slugs of the rows the pages read and of those notifications
    /// applied meanwhile): orphan directories, stray entries, whatever is where a directory
    /// should be, and the registry's leftovers (a crashed writer's staging directory, temp
    /// files in an orphan directory whose writer is gone), as `sweep` reports and removes
    /// them. Each unclaimed directory is watched before it is read, as the pages' are.
    public func sweepUnclaimed(claimed: Set<String>, policy: RepairPolicy, progress: () -> Void) throws -> SyncResult {
        var staging: [String] = []
        var unclaimed: [String] = []
        var strays: [Finding] = []
        try tree.forEachRootEntry { entry in
            defer { progress() }
            if TreeSnapshot.isOwnEntry(entry.name) {
                if StagingName.writerPID(entry.name) != nil { staging.append(entry.name) }
            } else if !entry.nameIsUTF8 || !Slug.isTreeName(entry.name) {
                strays.append(DriftEngine.finding(stray: StrayEntry(name: entry.name, type: entry.type)))
            } else if !claimed.contains(entry.name) {
                unclaimed.append(entry.name)
            }
        }
        tree.newDirectories.removeLeftoverStaging(staging)
        var result = try bringInStep(unclaimed, personas: [], policy: policy, listing: true, progress: progress)
        result.found += strays
        result.remaining += strays
        if result.wrote { try tree.flush() }
        return result
    }
}
