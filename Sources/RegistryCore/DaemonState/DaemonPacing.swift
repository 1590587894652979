/// The daemon's fixed pacing rules, beside its configurable ones (`DaemonConfiguration`)
/// and its state machine's deadlines (`DaemonState+Timing`): how often, how long, how many.
/// The layers that carry them out (the cancel on stop, the inotify reads of a long step,
/// the heap trim) take them from here.
public enum DaemonPacing {
    /// The longest the cancel request of the query in flight may take on stop (the process
    /// sending it is ended by `SIGALRM` then): libpq's `PQcancel` has no timeout of its own.
    public static let cancelSeconds: UInt32 = 3
    /// Entries a step handles between two reads of the inotify queue, so a long step
    /// cannot overflow it (16384 events by default; an entry causes a few).
    public static let inotifyReadInterval = 256
    /// Personas handled (swept, re-checked, applied) before the heap is trimmed again,
    /// when the loop next waits: a sweep's peak is not kept resident for an idle life.
    public static let heapTrimAfterPersonas = 1_000

    /// Whether the loop trims the heap before it waits. Only with no query in flight: a
    /// sweep of many pages or a run of batches frees its rows only after its last answer,
    /// and a trim between two pages (when the count passed) would leave that last page's
    /// peak resident for good, the count started over below the threshold (issue 23: 5.6 MiB
    /// of freed chunks stayed resident at 10,000 personas).
    public static func trimsHeap(handledSinceTrim: Int, queryInFlight: Bool) -> Bool {
        handledSinceTrim >= heapTrimAfterPersonas && !queryInFlight
    }
}
