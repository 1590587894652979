/// What the daemon counts for its metrics since it started: monotonic counters and the
/// histogram of notification-to-directory latency. Values only; `PrometheusText` writes them.
public struct DaemonCounters: Sendable, Equatable {
    public var directoriesCreated = 0
    /// Every repair made: a directory created, an identity file written, missing seed files created.
    public var repairs = 0
    /// Payloads received on the channel, ours or not.
    public var notifications = 0
    /// Payloads that were not ours or not understood.
    public var junkNotifications = 0
    /// Full sweeps finished (failed ones are not counted).
    public var sweeps = 0
    /// Connections made after the first (each after a loss or a failed attempt).
    public var reconnects = 0
    /// Whether the daemon holds a connection that answered its set-up.
    public var databaseUp = false
    /// From a notification's arrival to its persona's directory made whole.
    public var latency = Histogram(bounds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])

    public init() {}

    /// A cumulative histogram of seconds, as Prometheus has them (`le` bounds, `+Inf` is `count`).
    public struct Histogram: Sendable, Equatable {
        public let bounds: [Double]
        /// Observations at or below each bound (cumulative).
        public private(set) var buckets: [Int]
        public private(set) var count = 0
        public private(set) var sum = 0.0

        public init(bounds: [Double]) {
            self.bounds = bounds
            buckets = Array(repeating: 0, count: bounds.count)
        }

        public mutating func observe(_ seconds: Double, times: Int = 1) {
            guard times > 0 else { return }
            for index in bounds.indices where seconds <= bounds[index] { buckets[index] += times }
            count += times
            sum += seconds * Double(times)
        }
    }
}
