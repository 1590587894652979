/// Names of the hidden directories a new persona directory is built in before
/// it is renamed to its slug: `.persona-registry-new-<pid>-<n>` in the tree
/// root. The `.persona-registry` prefix keeps them out of drift findings and
/// out of the daemon's inotify changes, like the tree's lock file.
public enum StagingName {
    public static let prefix = OwnEntryName.stagingPrefix

    package static func make(pid: Int32, counter: Int) -> String {
        prefix + String(pid) + "-" + String(counter)
    }

    /// The writer's process id if `name` is a staging directory name.
    public static func writerPID(_ name: String) -> Int32? {
        TempFileName.writerPID(name, prefix: prefix)
    }
}
