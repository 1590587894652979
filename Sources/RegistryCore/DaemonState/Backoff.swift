/// When to try again after a failure (a reconnect, a failed repair's retry, the tree's
/// re-making): exponential in the number of failed attempts, capped, with "equal
/// jitter" (half fixed, half random) so that many daemons do not retry in step.
public struct Backoff: Sendable, Equatable {
    /// The first delay's upper bound, in microseconds.
    public var initialMicroseconds: UInt64
    /// No delay exceeds this.
    public var capMicroseconds: UInt64
    /// Failed attempts since the last success.
    public private(set) var attempts: Int = 0

    public init(initialMicroseconds: UInt64 = 250_000, capMicroseconds: UInt64 = 30_000_000) {
        self.initialMicroseconds = initialMicroseconds
        self.capMicroseconds = max(capMicroseconds, initialMicroseconds)
    }

    /// The delay before the next attempt; counts one more failed attempt.
    public mutating func nextDelay<G: RandomNumberGenerator>(using generator: inout G) -> UInt64 {
        let exponent = min(attempts, 40)
        attempts += 1
        let (scaled, overflow) = initialMicroseconds.multipliedReportingOverflow(by: UInt64(1) << UInt64(exponent))
        let ceiling = overflow ? capMicroseconds : min(scaled, capMicroseconds)
        let half = ceiling / 2
        return half + UInt64.random(in: 0...(ceiling - half), using: &generator)
    }

    public mutating func nextDelay() -> UInt64 {
        var generator = SystemRandomNumberGenerator()
        return nextDelay(using: &generator)
    }

    /// A connection succeeded: start again from the shortest delay.
    public mutating func reset() {
        attempts = 0
    }
}
