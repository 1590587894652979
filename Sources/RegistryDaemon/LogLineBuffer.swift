import Logging
import RegistryCore
import RegistrySystem

/// A step's per-persona lines (`directory_created`, `identity_written`,
/// `seed_files_created`) formatted straight into bytes and written together: a
/// burst logs a line per persona, and going through swift-log for each (a metadata
/// dictionary merged, its keys sorted, each value escaped as a `String`, one
/// `write(2)` per line) cost more than the rest of the step's reporting. The bytes
/// are exactly `LogLine.format`'s for the same event (`LogLineBufferTests`
/// compares them), written at most `writeLimit` bytes at a time and only in whole lines.
struct LogLineBuffer {
    /// The most written at once: `PIPE_BUF` (4096 on Linux), which a pipe takes whole or not
    /// at all, so a line is never cut or interleaved with another writer's on a shared or
    /// non-blocking pipe (a line longer than that goes alone, as each line did before).
    static let writeLimit = 4_096
    private var bytes: [UInt8] = []
    /// The level word or journald priority, and the timestamp, every line of the step begins with.
    private let prefix: [UInt8]
    private let write: (UnsafeRawBufferPointer) -> Void

    /// Lines at `level`, as `StderrLogHandler` begins them: `<N>` for the journal, else the
    /// timestamp (one for the step: its lines are written at the same moment) and the level.
    init(level: Logger.Level, journal: Bool, timestamp: String?,
         write: @escaping (UnsafeRawBufferPointer) -> Void = StandardStreams.writeToStandardError(bytes:)) {
        let prefix = journal ? "<\(LogLine.priority(level))>" : (timestamp.map { $0 + " " } ?? "") + "\(level): "
        self.prefix = Array(prefix.utf8)
        self.write = write
        bytes.reserveCapacity(4_096)
    }

    /// Appends the line of `event` about a persona: `message event=NAME [files=A,B] id=ID
    /// slug=SLUG`, the keys in the order `LogLine.format` sorts them into.
    mutating func append(_ event: DaemonEvent, _ message: String, slug: String, id: Int, files: [String]? = nil) {
        let start = bytes.count
        bytes += prefix
        bytes += LogLine.escaped(message, quoteIfNeeded: false).utf8
        bytes += " event=".utf8
        bytes += event.name.utf8
        if let files {
            bytes += " files=".utf8
            appendValue(LogLine.redacted(key: "files", value: files.joined(separator: ",")))
        }
        bytes += " id=".utf8
        appendDecimal(id)
        bytes += " slug=".utf8
        appendValue(slug)
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count > Self.writeLimit, start > 0 {
            // The lines before this one fill a write: they go, this one starts the next.
            bytes.withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[..<start])) }
            bytes.removeSubrange(..<start)
        }
    }

    /// Writes what is held.
    mutating func flush() {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { write($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// A value as `LogLine.escaped(_:quoteIfNeeded: true)` writes it; a slug is almost
    /// always plain and copied as it is.
    private mutating func appendValue(_ value: String) {
        let utf8 = value.utf8
        let plain = !value.isEmpty
            && (utf8.withContiguousStorageIfAvailable { $0.allSatisfy(Self.isPlain) } ?? utf8.allSatisfy(Self.isPlain))
        if plain {
            bytes += utf8
        } else {
            bytes += LogLine.escaped(value, quoteIfNeeded: true).utf8
        }
    }

    /// `LogLine`'s rule for a value quoted if needed: the one rule, so the bytes stay the same.
    private static func isPlain(_ byte: UInt8) -> Bool {
        LogLine.isPlain(byte, quoting: true)
    }

    /// `"\(value)"` without the `String`.
    private mutating func appendDecimal(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits (a UInt64 has 20), written backwards
        var count = 0
        withUnsafeMutableBytes(of: &digits) { room in
            repeat {
                room[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
        }
        withUnsafeBytes(of: &digits) { bytes += $0[(24 - count)...] }
    }
}
