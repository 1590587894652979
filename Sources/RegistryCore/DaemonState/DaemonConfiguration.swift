/// What `persona-registry serve` runs with; re-read on SIGHUP.
public struct DaemonConfiguration: Sendable, Equatable {
    /// URL or conninfo; `nil` for libpq's `PG*` variables.
    public var databaseURL: String?
    /// The tree (`data/personas`), absolute.
    public var treePath: String
    /// The seed templates directory overriding the built-in set; nil for the built-in set.
    public var templatesPath: String?
    /// Time between periodic sweeps (the safety net), in seconds.
    public var sweepIntervalSeconds: Int
    /// How long tree events settle before their entries are re-checked, in milliseconds.
    public var debounceMilliseconds: Int
    /// The least time between two sweeps owed to notifications that are not ours
    /// (and between two warnings about them), in seconds: anyone who can connect can
    /// send them, so they never cost more than one sweep per interval.
    public var junkSweepIntervalSeconds: Int
    /// Where the metrics go (Prometheus text format, for node_exporter's textfile collector);
    /// `nil`: none. Fixed at start, like the tree.
    public var metricsFile: String?

    /// The defaults of `serve`'s options (its `--help` shows them): written here only.
    public enum Defaults {
        public static let sweepIntervalSeconds = 600
        public static let debounceMilliseconds = 100
        public static let junkSweepIntervalSeconds = 60
    }

    public init(databaseURL: String?, treePath: String, templatesPath: String?,
                sweepIntervalSeconds: Int = Defaults.sweepIntervalSeconds,
                debounceMilliseconds: Int = Defaults.debounceMilliseconds,
                junkSweepIntervalSeconds: Int = Defaults.junkSweepIntervalSeconds,
                metricsFile: String? = nil) {
        self.metricsFile = metricsFile
        self.databaseURL = databaseURL
        self.treePath = treePath
        self.templatesPath = templatesPath
        self.sweepIntervalSeconds = sweepIntervalSeconds
        self.debounceMilliseconds = debounceMilliseconds
        self.junkSweepIntervalSeconds = junkSweepIntervalSeconds
    }

    /// The templates for log lines: the override directory, or "built-in".
    package var templatesDescription: String { templatesPath ?? "built-in" }

    package func stateSettings(watchdogMicroseconds: UInt64?) -> DaemonState.Settings {
        DaemonState.Settings(sweepIntervalMicroseconds: UInt64(max(sweepIntervalSeconds, 1)) * 1_000_000,
                             debounceMicroseconds: UInt64(max(debounceMilliseconds, 0)) * 1_000,
                             watchdogMicroseconds: watchdogMicroseconds,
                             junkSweepMicroseconds: UInt64(max(junkSweepIntervalSeconds, 1)) * 1_000_000)
    }
}
