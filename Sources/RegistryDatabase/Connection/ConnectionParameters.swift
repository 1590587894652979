import CLibPQ

/// The libpq keywords a connection is opened with (`PQconnectdbParams`), one
/// decision for every connection: our defaults first, then the URL, whose own
/// settings win because libpq keeps the last value of a repeated keyword.
/// A default is left out when the environment sets it (libpq reads `PG*`
/// variables only for keywords nobody passed), so `PGCONNECT_TIMEOUT` works.
/// Read back from a connection (`init(inEffectOn:)`), the options libpq made of
/// them: what `PostgresConnection.options` shows and `ConnectionHostList` cuts.
public struct ConnectionParameters: Sendable, Equatable {
    public var keywords: [String]
    public var values: [String]
    /// Whether libpq is to read `dbname` as a URL or conninfo (`expand_dbname`):
    /// it holds the caller's in parameters made from one, a plain name in
    /// those read back from libpq (`init(inEffectOn:)`).
    var expandsDatabaseName = true

    /// The libpq environment variables of keywords we may set by default.
    static let environmentVariables = ["connect_timeout": "PGCONNECT_TIMEOUT"]

    /// What every connection has unless told otherwise.
    static let base: KeyValuePairs<String, String> = [
        "connect_timeout": "10",
        "fallback_application_name": "persona-registry",
    ]

    /// The daemon's settings: a silently dead TCP path (a cable pulled, a
    /// firewall dropping packets, a host gone without a reset) is noticed within
    /// 30 s, both when the connection is idle under `LISTEN` (keepalive probes
    /// after 15 s of silence, every 5 s; `tcp_user_timeout` closes it once 30 s
    /// pass without an answer) and mid-query (data unacknowledged for 30 s).
    /// A connection attempt gives up after 5 s per host, so the daemon's loop
    /// and a multi-host URL's next host are never kept waiting long.
    public static let daemon: KeyValuePairs<String, String> = [
        "connect_timeout": "5",
        "keepalives": "1",
        "keepalives_idle": "15",
        "keepalives_interval": "5",
        "keepalives_count": "3",
        "tcp_user_timeout": "30000",
    ]

    /// `settings` replace or extend the base defaults; `url` (a URL or
    /// key/value conninfo, `nil` or empty for the environment alone) goes last.
    public init(url: String?, settings: KeyValuePairs<String, String> = [:],
                environment: (String) -> String?) {
        var keywords: [String] = []
        var values: [String] = []
        for (keyword, value) in Array(Self.base) + Array(settings) {
            if let variable = Self.environmentVariables[keyword], let set = environment(variable), !set.isEmpty {
                continue
            }
            if let index = keywords.firstIndex(of: keyword) {
                values[index] = value
            } else {
                keywords.append(keyword)
                values.append(value)
            }
        }
        if let url, !url.isEmpty {
            keywords.append("dbname")
            values.append(url)
        }
        self.keywords = keywords
        self.values = values
    }

    /// Parameters as they are (`dbname` a plain name, not expanded).
    init(_ settings: [(keyword: String, value: String)]) {
        keywords = settings.map(\.keyword)
        values = settings.map(\.value)
        expandsDatabaseName = false
    }

    /// The options in effect on a connection as libpq parsed them (`PQconninfo`):
    /// every one that has a value, in libpq's order, password included.
    init(inEffectOn handle: OpaquePointer) {
        var settings: [(keyword: String, value: String)] = []
        if let list = PQconninfo(handle) {
            defer { PQconninfoFree(list) }
            var entry = list
            while let keyword = entry.pointee.keyword {
                if let value = entry.pointee.val { settings.append((String(cString: keyword), String(cString: value))) }
                entry += 1
            }
        }
        self.init(settings)
    }

    /// The value of `keyword`: the last one given, which is the one libpq keeps.
    subscript(keyword: String) -> String? {
        keywords.lastIndex(of: keyword).map { values[$0] }
    }

    /// `connect_timeout` as every bound made of it reads it (an attempt per host, the daemon's
    /// set-up once connected), libpq's rule: `nil`, no limit, when unset, not a number or not
    /// positive (libpq waits indefinitely on 0); at least 2 s, as libpq rounds it up; at most a
    /// day, so that a deadline made of it cannot overflow.
    var connectTimeoutMicroseconds: UInt64? {
        guard let value = self["connect_timeout"], let seconds = Int(value), seconds > 0 else { return nil }
        return UInt64(min(max(seconds, 2), 86_400)) * 1_000_000
    }
}
