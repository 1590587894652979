import RegistryCore
import Testing

@Suite("a long step's progress lines: at most one per interval")
struct ProgressPacerTests {
    @Test("nothing before the first interval, then one per interval however often it is asked")
    func paced() {
        var pacer = ProgressPacer(start: 1_000, interval: 5_000)
        let answers = [1_000, 5_999, 6_000, 6_001, 10_999, 11_000, 100_000, 100_001].map { pacer.due(now: UInt64($0)) }
        // A stall gives one line when it ends, not one per missed interval.
        #expect(answers == [false, false, true, false, false, true, true, false])
        #expect(ProgressPacer(start: 0).interval == 5_000_000)
    }
}
