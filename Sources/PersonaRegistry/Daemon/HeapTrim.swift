import CSystemExtras

/// Hands freed heap pages back to the system (glibc `malloc_trim`). A sweep
/// holds every row and every root entry at once; without this the daemon
/// keeps that peak resident for the rest of an idle life.
enum HeapTrim {
    static func afterPeak() {
        _ = persona_registry_malloc_trim()
    }
}
