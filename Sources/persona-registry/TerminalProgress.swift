import RegistryCore
import RegistrySystem

/// How far a long `reconcile` got, on standard error and only when that is a terminal (never
/// in its output, which stays parseable, and never in a log or a pipe): one line rewritten in
/// place at most once a second, cleared at the end.
final class TerminalProgress {
    private let enabled = StandardStreams.standardErrorIsTerminal
    private var pacer = ProgressPacer(start: MonotonicClock.microseconds, interval: 1_000_000)
    private var entries = 0
    private var shown = false
    private let personas: Int

    init(personas: Int) {
        self.personas = personas
    }

    /// After each entry of the tree read or repaired.
    func entryDone() {
        guard enabled else { return }
        entries += 1
        guard pacer.due(now: MonotonicClock.microseconds) else { return }
        write("\r\u{1B}[Kreconcile: \(entries) entries of the tree read, \(personas) personas")
        shown = true
    }

    /// Clears the line, if one was shown.
    func finish() {
        if shown { write("\r\u{1B}[K") }
    }

    private func write(_ text: String) {
        StandardStreams.writeToStandardError(text)
    }
}
