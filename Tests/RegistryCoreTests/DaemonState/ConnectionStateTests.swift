@testable import RegistryCore
import Testing

/// `ConnectionState` alone: its deadlines, each acted on once.
@Suite struct ConnectionStateTests {
    @Test func aRetryIsDueOnceUntilTheAttemptReportsBack() {
        var connection = ConnectionState()
        connection.disconnected(now: 10, delay: { _ in 1_000 })
        #expect(connection.deadline == 1_010)
        let early = connection.retryDue(now: 1_009), due = connection.retryDue(now: 1_010), again = connection.retryDue(now: 2_000)
        #expect(!early && due && !again)
    }

    @Test func theSetUpIsAbandonedOnceAtItsDeadlineAndNeverWithoutOne() {
        var connection = ConnectionState()
        connection.settingUp(now: 100, timeout: 50)
        #expect(connection.deadline == 150)
        let due = connection.setUpExpired(now: 150), again = connection.setUpExpired(now: 200)
        #expect(due && !again && connection.deadline == nil)
        connection.settingUp(now: 0, timeout: nil)
        let never = connection.setUpExpired(now: .max)
        #expect(!never)
    }

    @Test func connectingResetsTheBackoff() {
        var connection = ConnectionState()
        connection.disconnected(now: 0, delay: { $0.nextDelay() })
        #expect(connection.backoff.attempts == 1)
        connection.connected()
        #expect(connection.isConnected && connection.backoff.attempts == 0 && connection.deadline == nil)
    }
}

/// `Watchdog` and `SlowQuery` alone.
@Suite struct WatchdogAndSlowQueryTests {
    @Test func theWatchdogIsDueEveryIntervalFromWhenItWasLastSent() {
        var watchdog = Watchdog()
        watchdog.started(now: 0, interval: 5)
        let early = watchdog.due(now: 4, interval: 5), due = watchdog.due(now: 7, interval: 5)
        #expect(!early && due && watchdog.at == 12)
        var none = Watchdog()
        none.started(now: 0, interval: nil)
        let never = none.due(now: .max, interval: nil)
        #expect(!never && none.at == nil)
    }

    @Test func aSlowQueryIsReportedOnceAndItsAnswerSaysHowLongItWaited() {
        var query = SlowQuery()
        query.sent(now: 100)
        #expect(query.deadline(limit: 50) == 150)
        let waited = query.expired(now: 160, limit: 50), again = query.expired(now: 170, limit: 50)
        #expect(waited == 60 && again == nil && query.deadline(limit: 50) == nil)
        let answered = query.answered(now: 200)
        #expect(answered == 100 && query.sentAt == nil)
        query.sent(now: 300)
        let quick = query.answered(now: 310)
        #expect(quick == nil)
    }
}
