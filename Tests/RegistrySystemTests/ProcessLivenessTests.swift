import Glibc
@testable import RegistrySystem
import Testing

@Suite struct ProcessLivenessTests {
    @Test("only a persona-registry serve is taken for a daemon by its command line")
    func isServe() {
        #expect(!ProcessLiveness.isServe(getpid()), "the test runner is not a daemon")
        #expect(!ProcessLiveness.isServe(-1) && !ProcessLiveness.isServe(0))
        #expect(!ProcessLiveness.isServe(1), "init")
    }
}
