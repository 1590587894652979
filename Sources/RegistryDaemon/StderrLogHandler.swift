import Logging
import RegistryCore
import RegistrySystem

/// swift-log handler writing one line per event to stderr, with journald
/// `<N>` priority prefixes (and no timestamp of its own) when stderr is the
/// journal (`JOURNAL_STREAM` set).
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let journal: Bool

    public init(label: String, level: Logger.Level = .info, environment: [String: String]) {
        logLevel = level
        journal = !(environment["JOURNAL_STREAM"] ?? "").isEmpty
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        let line = LogLine.format(level: event.level, message: event.message.description, metadata: merged,
                                  journal: journal, timestamp: journal ? nil : StderrLogHandler.utcNow()) + "\n"
        StandardStreams.writeToStandardError(line)
    }

    /// A buffer for a step's lines at `level` that writes what `log(event:)` would: `nil` when
    /// the level is not logged, or when this handler adds metadata of its own (the buffer's
    /// lines carry only their own fields).
    func lineBuffer(level: Logger.Level) -> LogLineBuffer? {
        guard logLevel <= level, metadata.isEmpty, metadataProvider == nil else { return nil }
        return LogLineBuffer(level: level, journal: journal, timestamp: journal ? nil : StderrLogHandler.utcNow())
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for now.
    static func utcNow() -> String {
        UTCTime.now(separated: true)
    }
}
