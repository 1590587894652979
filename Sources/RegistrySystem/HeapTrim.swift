import CSystemExtras

/// Hands freed heap pages back to the system (glibc `malloc_trim`). A sweep,
/// a large re-check or a burst of notifications holds many rows and root
/// entries at once; without this the daemon keeps that peak resident for the
/// rest of an idle life. The loop trims before it waits again, once that much
/// work has been done since the last trim.
package enum HeapTrim {
    /// Personas handled (swept, re-checked, applied) before the next trim.
    package static let afterPersonas = 1_000

    package static func afterPeak() {
        _ = persona_registry_malloc_trim()
    }
}
