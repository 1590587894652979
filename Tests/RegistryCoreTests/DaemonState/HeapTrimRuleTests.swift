import RegistryCore
import Testing

@Suite("when the daemon trims its heap: past the count, and only with no query in flight")
struct HeapTrimRuleTests {
    @Test("a sweep's pages in flight hold the trim back until the last answer is in")
    func waitsForTheLastAnswer() {
        let threshold = DaemonPacing.heapTrimAfterPersonas
        // Mid-sweep: past the count, but the next page is in flight; its rows are freed later.
        #expect(!DaemonPacing.trimsHeap(handledSinceTrim: 5 * threshold, queryInFlight: true))
        #expect(DaemonPacing.trimsHeap(handledSinceTrim: 5 * threshold, queryInFlight: false))
        #expect(DaemonPacing.trimsHeap(handledSinceTrim: threshold, queryInFlight: false))
        // Single inserts trim once per threshold, not before every wait.
        #expect(!DaemonPacing.trimsHeap(handledSinceTrim: threshold - 1, queryInFlight: false))
    }
}
