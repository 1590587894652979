/// The daemon's metrics in Prometheus' text exposition format (version 0.0.4), which
/// node_exporter's textfile collector reads: `# HELP` and `# TYPE` before each family,
/// counters ending in `_total`. Label values are the registry's own fixed names (statuses,
/// `Finding.Kind`'s raw values: lower-case letters and `_`), so none needs the format's escaping.
public enum PrometheusText {
    public static func render(status: ServiceStatus, counters: DaemonCounters) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += name + sample.labels + " " + sample.value + "\n" }
        }
        func one(_ name: String, _ type: String, _ help: String, _ value: Int) {
            family(name, type, help, [("", String(value))])
        }
        family("persona_registry_personas", "gauge", "Personas known to the daemon, by status.", [
            ("{status=\"active\"}", String(status.activePersonas)),
            ("{status=\"archived\"}", String(status.personas - status.activePersonas)),
        ])
        family("persona_registry_findings", "gauge", "Open findings (drift the daemon reports), by kind.",
               Finding.Kind.allCases.map { ("{kind=\"\($0.rawValue)\"}", String(status.findings[$0] ?? 0)) })
        one("persona_registry_failing_entries", "gauge", "Entries that could not be brought in step (retried with backoff).",
            status.failingEntries)
        one("persona_registry_directories_created_total", "counter", "Persona directories created.", counters.directoriesCreated)
        one("persona_registry_repairs_total", "counter",
            "Repairs made: directories created, identity files written, missing seed files created.", counters.repairs)
        one("persona_registry_notifications_total", "counter", "Notifications received on the channel.", counters.notifications)
        one("persona_registry_junk_notifications_total", "counter",
            "Notifications that were not the registry's own or not understood.", counters.junkNotifications)
        one("persona_registry_sweeps_total", "counter", "Full sweeps finished.", counters.sweeps)
        family("persona_registry_last_sweep_seconds", "gauge", "How long the last full sweep took.",
               [("", status.lastSweep.map { decimal(Double($0.milliseconds) / 1_000) } ?? "0")])
        one("persona_registry_database_up", "gauge", "1 while the daemon is connected to PostgreSQL, else 0.",
            counters.databaseUp ? 1 : 0)
        one("persona_registry_reconnects_total", "counter", "Connections to PostgreSQL made after the first.", counters.reconnects)
        let latency = counters.latency
        let name = "persona_registry_notification_latency_seconds"
        out += "# HELP \(name) From a notification's arrival to its persona's directory made whole.\n# TYPE \(name) histogram\n"
        for (bound, count) in zip(latency.bounds, latency.buckets) {
            out += "\(name)_bucket{le=\"\(decimal(bound))\"} \(count)\n"
        }
        out += "\(name)_bucket{le=\"+Inf\"} \(latency.count)\n\(name)_sum \(decimal(latency.sum))\n\(name)_count \(latency.count)\n"
        return out
    }

    /// A number as Prometheus reads it: `0.0005`, `1`, `2.5` (no exponent for the values here).
    static func decimal(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format6: value)
        while text.hasSuffix("0") { text.removeLast() }
        // 1.9999999 rounds to "2.000000": the point goes too, never a bare "2.".
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

extension String {
    /// `value` with six decimals, without Foundation.
    fileprivate init(format6 value: Double) {
        let scaled = (abs(value) * 1_000_000).rounded()
        let whole = Int(scaled / 1_000_000)
        let fraction = String(Int(scaled.truncatingRemainder(dividingBy: 1_000_000)))
        self = (value < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
