import Glibc
@testable import RegistrySystem
import Testing

@Suite("SystemError's one line")
struct SystemErrorTests {
    @Test("a call on a path names it; a call on none has no stray space before the colon")
    func description() {
        #expect(SystemError(errno: .noSuchFileOrDirectory, operation: "open", path: "/x").description == "open /x: No such file or directory")
        #expect(SystemError(errno: .tooManyOpenFiles, operation: "inotify_init1", path: "").description == "inotify_init1: Too many open files")
    }
}
