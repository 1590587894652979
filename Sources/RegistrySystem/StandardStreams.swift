import Glibc

/// The process's standard error and environment, for the layers above that must not
/// import Glibc (the daemon's log handler, the command line).
package enum StandardStreams {
    /// Writes all of `text` to standard error (`write(2)`, retried on `EINTR` and after a
    /// short write); a failure is dropped: there is nowhere left to say it.
    package static func writeToStandardError(_ text: String) {
        var text = text
        text.withUTF8 { writeToStandardError(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Writes all of `bytes` to standard error with one `write(2)` (more only after a short
    /// write or `EINTR`): a step's log lines together. A failure is dropped, as above.
    package static func writeToStandardError(bytes: UnsafeRawBufferPointer) {
        guard var cursor = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = write(STDERR_FILENO, cursor, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            remaining -= written
            cursor += written
        }
    }

    /// Whether standard error is a terminal (`isatty`).
    package static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Each `NAME=value` entry of the environment, as the C strings they are (a value need
    /// not be UTF-8).
    package static func forEachEnvironmentEntry(_ body: (UnsafePointer<CChar>) -> Void) {
        var pointer = environ
        while let entry = pointer.pointee {
            body(entry)
            pointer += 1
        }
    }
}
