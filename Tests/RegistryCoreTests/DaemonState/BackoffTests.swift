import Testing
@testable import RegistryCore

/// A deterministic generator for the tests (xorshift).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

@Suite struct ReconnectBackoffTests {
    @Test func delaysGrowExponentiallyWithinJitterBoundsAndStayCapped() {
        var backoff = Backoff(initialMicroseconds: 100_000, capMicroseconds: 3_000_000)
        var generator = SeededGenerator(state: 42)
        var ceilings: [UInt64] = []
        for attempt in 0..<12 {
            let ceiling = min(100_000 * (UInt64(1) << UInt64(attempt)), 3_000_000)
            let delay = backoff.nextDelay(using: &generator)
            #expect(delay >= ceiling / 2 && delay <= ceiling, "attempt \(attempt): \(delay) not in [\(ceiling / 2), \(ceiling)]")
            ceilings.append(ceiling)
        }
        #expect(backoff.attempts == 12)
        #expect(ceilings.last == 3_000_000)
    }

    @Test func jitterSpreadsDelays() {
        var generator = SeededGenerator(state: 7)
        var seen = Set<UInt64>()
        for _ in 0..<20 {
            var backoff = Backoff(initialMicroseconds: 1_000_000, capMicroseconds: 1_000_000)
            seen.insert(backoff.nextDelay(using: &generator))
        }
        #expect(seen.count > 10)
    }

    @Test func resetStartsOver() {
        var backoff = Backoff(initialMicroseconds: 1_000, capMicroseconds: 1_000_000)
        for _ in 0..<10 { _ = backoff.nextDelay() }
        backoff.reset()
        #expect(backoff.attempts == 0)
        #expect(backoff.nextDelay() <= 1_000)
    }

    @Test func hugeAttemptCountsDoNotOverflow() {
        var backoff = Backoff(initialMicroseconds: 250_000, capMicroseconds: 30_000_000)
        for _ in 0..<200 { #expect(backoff.nextDelay() <= 30_000_000) }
    }
}
