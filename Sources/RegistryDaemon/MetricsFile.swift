import Logging
import RegistryCore
import RegistrySystem

/// `--metrics-file`: the daemon's metrics for node_exporter's textfile collector, in
/// Prometheus' text format (`PrometheusText`), replaced atomically in its own directory
/// (`TextFile.replace`) when they change, at most once per `interval`, and at the stop.
/// Idle, nothing changes and nothing is written.
struct MetricsFile {
    static let interval: UInt64 = 5_000_000

    let path: String
    let logger: Logger
    private var written: (status: ServiceStatus, counters: DaemonCounters)?
    private var writtenAt: UInt64?
    private var warning = FailureWarning()

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    func dueAt(_ status: ServiceStatus, _ counters: DaemonCounters) -> UInt64? {
        if let written, written.status == status, written.counters == counters { return nil }
        return writtenAt.map { $0 + Self.interval } ?? 0
    }

    mutating func writeIfDue(_ status: ServiceStatus, _ counters: DaemonCounters, now: UInt64) {
        guard let due = dueAt(status, counters), due <= now else { return }
        write(status, counters, now: now)
    }

    mutating func write(_ status: ServiceStatus, _ counters: DaemonCounters, now: UInt64) {
        written = (status, counters)
        writtenAt = now
        warning.run({ try TextFile.replace(path, with: PrometheusText.render(status: status, counters: counters)) }) { [path, logger] error in
            logger.log(.metricsUnwritable, "cannot write the metrics file; retried when the metrics change",
                       ["file": "\(path)", "error": "\(error)"])
        }
    }
}
