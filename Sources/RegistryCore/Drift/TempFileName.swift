/// Names of the temp files of atomic writes: `.identity.yaml.tmp-<pid>-<n>`,
/// recognisable as the registry's own.
public enum TempFileName {
    static let prefix = ".identity.yaml.tmp-"

    package static func make(pid: Int32, counter: Int) -> String {
        prefix + String(pid) + "-" + String(counter)
    }

    /// The writer's process id if `name` is one of our temp file names
    /// (`<prefix><digits>-<digits>`). Read byte by byte: it runs for every
    /// inotify event inside a persona directory.
    public static func writerPID(_ name: String) -> Int32? {
        writerPID(name, prefix: prefix)
    }

    /// `<prefix><pid>-<counter>` -> pid, for the temp file and the staging directory names.
    static func writerPID(_ name: String, prefix: String) -> Int32? {
        guard name.hasPrefix(prefix) else { return nil }
        var pid: Int32 = 0
        var pidDigits = 0
        var counterDigits = 0
        var inCounter = false
        for byte in name.utf8.dropFirst(prefix.utf8.count) {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inCounter {
                    counterDigits += 1
                    if counterDigits > 18 { return nil }
                } else {
                    let (times, overflowTimes) = pid.multipliedReportingOverflow(by: 10)
                    let (sum, overflowSum) = times.addingReportingOverflow(Int32(byte - UInt8(ascii: "0")))
                    if overflowTimes || overflowSum { return nil }
                    pid = sum
                    pidDigits += 1
                }
            case UInt8(ascii: "-") where !inCounter:
                inCounter = true
            default:
                return nil
            }
        }
        return pidDigits > 0 && counterDigits > 0 ? pid : nil
    }

    public static func isTempFile(_ name: String) -> Bool { writerPID(name) != nil }
}
