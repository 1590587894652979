import Logging
import RegistryCore
@testable import RegistryDaemon
import Testing

/// What the status file and the metrics say of sweeps (`StatusPublisher`).
@Suite struct StatusPublisherTests {
    static func publisher() -> StatusPublisher {
        StatusPublisher(tree: "/nonexistent", metricsFile: nil, logger: Logger(label: "test"))
    }

    @Test func aFailedSweepIsNotCountedAsFinished() {
        var publisher = Self.publisher()
        publisher.sweepStarted(.check, now: 1_000)
        publisher.sweepEnded(personas: nil, now: 3_000)
        #expect(publisher.status.sweeps == 0 && publisher.counters.sweeps == 0)
        #expect(publisher.status.lastSweep?.failed == true)

        publisher.sweepStarted(.repairSweep, now: 4_000)
        publisher.sweepEnded(personas: 7, now: 9_000)
        #expect(publisher.status.sweeps == 1 && publisher.counters.sweeps == 1)
        #expect(publisher.status.lastSweep?.failed == false && publisher.status.lastSweep?.personas == 7)
        #expect(publisher.status.lastSweep?.policy == "repair" && publisher.status.lastSweep?.milliseconds == 5)
    }

    @Test func aSweepEndedWithoutStartingChangesNothing() {
        var publisher = Self.publisher()
        publisher.sweepEnded(personas: 3, now: 1_000)
        #expect(publisher.status.sweeps == 0 && publisher.status.lastSweep == nil)
    }
}
