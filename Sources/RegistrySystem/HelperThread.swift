import CSystemExtras
import Glibc
import Synchronization

/// A second POSIX thread for the one piece of work the daemon shares out: the file writes
/// of a burst's new directories (`NewDirectory.stageAhead`), which the kernel runs side by
/// side on two processors. Everything else stays on the one poll loop. The thread lives for
/// one call of `run` and is joined before it returns, so the work may read what the caller
/// holds; it inherits the caller's signal mask (the daemon's signals stay blocked, for its
/// signalfd).
package enum HelperThread {
    /// The processors this process may run on (its affinity mask), read once.
    package static let processors = Int(persona_registry_processor_count())

    /// Runs `there` on a new thread while `here` runs on this one, and returns both results
    /// once both are done. Where no thread can be made (`pthread_create` fails: a process
    /// or memory limit), `there` runs here after `here`: the same results, one after the other.
    package static func run<Here, There: Sendable>(_ here: () -> Here,
                                                   alongside there: @escaping @Sendable () -> There) -> (Here, There) {
        let result = Mutex<There?>(nil)
        let job = Job { result.withLock { $0 = there() } }
        let unmanaged = Unmanaged.passRetained(job)
        var thread = pthread_t()
        // A C function pointer cannot capture a generic context: the thread gets the job,
        // which is not generic, and the result comes back through the job's closure.
        let started = pthread_create(&thread, nil, { argument in
            Unmanaged<Job>.fromOpaque(argument!).takeRetainedValue().work()
            return nil
        }, unmanaged.toOpaque()) == 0
        if !started { unmanaged.release() }
        let mine = here()
        if started { pthread_join(thread, nil) } else { job.work() }
        return (mine, result.withLock { $0.take() }!)
    }

    /// The work handed to the thread.
    private final class Job: Sendable {
        let work: @Sendable () -> Void

        init(_ work: @escaping @Sendable () -> Void) { self.work = work }
    }
}
