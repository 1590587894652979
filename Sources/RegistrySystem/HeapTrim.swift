import CSystemExtras

/// Hands freed heap pages back to the system (glibc `malloc_trim`). A sweep,
/// a large re-check or a burst of notifications holds many rows and root
/// entries at once; without this the daemon keeps that peak resident for the
/// rest of an idle life. When to trim is the daemon's rule (`DaemonPacing`).
package enum HeapTrim {
    package static func afterPeak() {
        _ = persona_registry_malloc_trim()
    }
}
