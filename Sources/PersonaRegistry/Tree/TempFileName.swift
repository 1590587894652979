/// Names of the temp files of atomic writes: `.identity.yaml.tmp-<pid>-<n>`,
/// recognisable as the registry's own.
public enum TempFileName {
    static let prefix = ".identity.yaml.tmp-"

    static func make(pid: Int32, counter: Int) -> String {
        prefix + String(pid) + "-" + String(counter)
    }

    /// The writer's process id if `name` is one of our temp file names.
    public static func writerPID(_ name: String) -> Int32? {
        guard name.hasPrefix(prefix) else { return nil }
        let parts = name.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let pid = Int32(parts[0]), Int(parts[1]) != nil else { return nil }
        return pid
    }

    public static func isTempFile(_ name: String) -> Bool { writerPID(name) != nil }
}
