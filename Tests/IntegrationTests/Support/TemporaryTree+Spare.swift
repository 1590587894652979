import RegistryCore
import TestSupport

extension TemporaryTree {
    /// The staging directories of process `pid` in the root: a serving daemon keeps one,
    /// empty, for its next new persona (`SpareStaging`).
    func stagingDirectories(of pid: Int32) throws -> [String] {
        try names().filter { StagingName.writerPID($0) == pid }
    }

    /// `entries()` without the spare staging directory of the daemon serving the tree.
    func entries(servedBy daemon: DaemonProcess) throws -> [String] {
        try entries().filter { StagingName.writerPID($0) != daemon.pid }
    }
}
