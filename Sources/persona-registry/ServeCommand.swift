import ArgumentParser
import Logging
import RegistryCore
import RegistrySystem
import RegistryDaemon

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon that keeps the tree in step with the tables (systemd Type=notify).",
        discussion: """
            Locks the tree, connects, LISTENs on persona_registry and sweeps; then creates the directory, \
            identity file and seed files of every persona inserted by anyone, rewrites identity files when \
            rows change, and logs drift. A notification is only a hint: what it names is looked up, and only \
            what the tables say is done. A removed tree is made again and swept; failed repairs (a full disk) \
            are logged once per kind and retried with backoff. SIGTERM/SIGINT stop cleanly, SIGHUP re-reads \
            a --templates-dir and sweeps (persona-registry reload sends it and waits for that sweep). \
            The daemon's state is in .persona-registry.status in the tree (persona-registry status reads it); \
            --metrics-file writes metrics for node_exporter. PostgreSQL not reachable at start is waited for (READY=1 at once, \
            STATUS= says so, retried with backoff, swept when it arrives); an unparseable URL, refused \
            credentials or an unknown database exit 1. Logs go to stderr, one line per event (journald \
            priorities when JOURNAL_STREAM is set). \
            A lost connection is retried with backoff, then LISTEN and a sweep; a silently dead network path \
            is noticed within 30 s (keepalives=1, keepalives_idle=15, keepalives_interval=5, \
            keepalives_count=3, tcp_user_timeout=30000 unless the URL sets them).
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var tree: TreeOptions
    @OptionGroup var templates: TemplatesOptions

    @Option(name: .long, help: ArgumentHelp("Seconds between periodic sweeps, the safety net.", valueName: "seconds"))
    var sweepInterval: Int = DaemonConfiguration.Defaults.sweepIntervalSeconds

    @Option(name: .long, help: ArgumentHelp("Milliseconds tree events settle before their entries are re-checked.",
                                            valueName: "ms"))
    var debounceMs: Int = DaemonConfiguration.Defaults.debounceMilliseconds

    @Option(name: .long, help: ArgumentHelp("""
        Least seconds between two sweeps owed to notifications that are not ours (junk or forged \
        payloads on the channel, which anyone who can connect may send), and between two warnings about them.
        """, valueName: "seconds"))
    var junkSweepInterval: Int = DaemonConfiguration.Defaults.junkSweepIntervalSeconds

    @Option(name: .long, help: "Lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: ArgumentHelp("""
        Write metrics in Prometheus' text format to this file, for node_exporter's textfile collector \
        (replaced atomically when they change, at most every 5 s; default: $PERSONA_METRICS_FILE, else none).
        """, valueName: "path"))
    var metricsFile: String?

    /// `--metrics-file`, else `PERSONA_METRICS_FILE` (empty: none).
    var metricsPath: String? {
        metricsFile ?? Environment.current["PERSONA_METRICS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func validate() throws {
        guard sweepInterval >= 1, sweepInterval <= 7 * 24 * 3600 else {
            throw ValidationError("--sweep-interval must be between 1 and 604800 seconds")
        }
        guard debounceMs >= 0, debounceMs <= 60_000 else {
            throw ValidationError("--debounce-ms must be between 0 and 60000")
        }
        guard junkSweepInterval >= 1, junkSweepInterval <= 24 * 3600 else {
            throw ValidationError("--junk-sweep-interval must be between 1 and 86400 seconds")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if let path = metricsPath {
            // node_exporter reads only *.prom; the file is replaced by a rename within its directory.
            guard path.hasSuffix(".prom"), !path.hasSuffix("/.prom") else {
                throw ValidationError("--metrics-file must name a file ending in .prom (node_exporter's textfile collector reads only those): \(path)")
            }
            let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            guard TextFile.isDirectory(directory.isEmpty ? "/" : directory) else {
                throw ValidationError("--metrics-file: no directory \(directory.isEmpty ? "/" : directory)")
            }
        }
    }

    func run() throws {
        let environment = Environment.current
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level, environment: environment) }
        let logger = Logger(label: "persona-registry")
        do {
            let daemon = try Daemon(
                configuration: daemonConfiguration(),
                environment: environment,
                logger: logger,
                reloadConfiguration: { daemonConfiguration() })
            try daemon.run()
        } catch is StoppedWhileWaiting {
            return
        } catch {
            // One line, through the log handler: under systemd it reaches the journal as an error.
            logger.log(.startupFailed, "\(error)")
            throw ExitCode.failure
        }
    }

    private func daemonConfiguration() -> DaemonConfiguration {
        DaemonConfiguration(databaseURL: connection.resolved, treePath: tree.tree, templatesPath: templates.directory,
                            sweepIntervalSeconds: sweepInterval, debounceMilliseconds: debounceMs,
                            junkSweepIntervalSeconds: junkSweepInterval, metricsFile: metricsPath)
    }
}
