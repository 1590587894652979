import Glibc

/// The current time in UTC, second precision, for log lines and file names.
package enum UTCTime {
    /// `YYYY-MM-DDTHH:MM:SSZ` (`separated`) or `YYYYMMDDTHHMMSSZ`, safe in a file name.
    package static func now(separated: Bool) -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let (dash, colon) = separated ? ("-", ":") : ("", "")
        return "\(parts.tm_year + 1900)\(dash)\(two(parts.tm_mon + 1))\(dash)\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(colon)\(two(parts.tm_min))\(colon)\(two(parts.tm_sec))Z"
    }
}
