/// The status file's text: one flat JSON object (`FlatJSONWriter`), keys in snake case,
/// the open findings as `finding.<kind>` counts. Written by the daemon, read by the CLI
/// of the same version; a file of another format, or one that does not parse, is `nil`.
extension ServiceStatus {
    public var fileText: String {
        var json = FlatJSONWriter()
        json.add("format", Self.format)
        json.add("pid", Int(pid))
        json.add("started_at", startedAt)
        json.add("tree", tree)
        json.add("phase", phase.rawValue)
        json.add("personas", personas)
        json.add("active_personas", activePersonas)
        json.add("failing_entries", failingEntries)
        json.add("sweeps", sweeps)
        json.add("last_sweep_finished_at", lastSweep?.finishedAt)
        json.add("last_sweep_ms", lastSweep?.milliseconds)
        json.add("last_sweep_personas", lastSweep?.personas)
        json.add("last_sweep_policy", lastSweep?.policy)
        json.add("last_sweep_failed", lastSweep?.failed ?? false)
        json.add("repair_sweep_started_us", repairSweepStartedMicroseconds.map { Int(clamping: $0) })
        json.add("reloaded_us", reloadedMicroseconds.map { Int(clamping: $0) })
        json.add("last_error", lastError)
        json.add("last_error_at", lastErrorAt)
        for kind in Finding.Kind.allCases {
            if let count = findings[kind], count > 0 { json.add("finding.\(kind.rawValue)", count) }
        }
        return json.line + "\n"
    }

    public init?(fileText: some StringProtocol) {
        guard let members = FlatJSONObject.parse(fileText, unicodeEscapes: true),
              members["format"] == .integer(Self.format),
              case .integer(let pid)? = members["pid"], let pid = Int32(exactly: pid),
              case .string(let startedAt)? = members["started_at"], case .string(let tree)? = members["tree"],
              case .string(let phaseName)? = members["phase"], let phase = Phase(rawValue: phaseName) else { return nil }
        func integer(_ key: String) -> Int? {
            if case .integer(let value)? = members[key] { return value }
            return nil
        }
        // Counts from a file anyone who can write the root may have planted: never negative,
        // and small enough that `status` can add them up without a trap.
        func count(_ key: String) -> Int? {
            integer(key).map { min(max($0, 0), ServiceStatus.countLimit) }
        }
        func string(_ key: String) -> String? {
            if case .string(let value)? = members[key] { return value }
            return nil
        }
        self.init(pid: pid, startedAt: startedAt, tree: tree)
        self.phase = phase
        personas = count("personas") ?? 0
        activePersonas = count("active_personas") ?? 0
        failingEntries = count("failing_entries") ?? 0
        sweeps = count("sweeps") ?? 0
        if let finishedAt = string("last_sweep_finished_at") {
            lastSweep = SweepSummary(finishedAt: finishedAt, milliseconds: count("last_sweep_ms") ?? 0,
                                     personas: count("last_sweep_personas") ?? 0, policy: string("last_sweep_policy") ?? "",
                                     failed: members["last_sweep_failed"] == .boolean(true))
        }
        repairSweepStartedMicroseconds = integer("repair_sweep_started_us").flatMap { UInt64(exactly: $0) }
        reloadedMicroseconds = integer("reloaded_us").flatMap { UInt64(exactly: $0) }
        lastError = string("last_error")
        lastErrorAt = string("last_error_at")
        for kind in Finding.Kind.allCases {
            if let count = count("finding.\(kind.rawValue)") { findings[kind] = count }
        }
    }
}

extension ServiceStatus {
    /// The largest count read from a status file (2^40): any sum of them fits in an `Int`.
    static let countLimit = 1 << 40
}
