import Foundation

/// The host application's YAML reader: Python's `yaml.safe_load` (PyYAML,
/// YAML 1.1 rules). `$PERSONA_REGISTRY_TEST_PYTHON`, else the checkout's
/// `.venv/bin/python`, else `python3`; a missing PyYAML fails the test.
/// The one runner of PyYAML for both test targets.
public enum PythonYAML {
    /// The checkout's root: this file is Tests/TestSupport/PythonYAML.swift.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var interpreter: String {
        if let chosen = ProcessInfo.processInfo.environment["PERSONA_REGISTRY_TEST_PYTHON"], !chosen.isEmpty { return chosen }
        let venv = root + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env"
    }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// Loads each file with `yaml.safe_load`; every value comes back as
    /// `{"type": <python type name>, "value": <str(value)>}` so a YAML 1.1
    /// reading of `yes` as a boolean or `2026-11-24` as a date shows.
    public static func load(_ paths: [String]) throws -> [[String: [String: String]]] {
        let script = """
            import json, sys, yaml
            out = []
            for path in sys.argv[1:]:
                with open(path, encoding="utf-8") as f:
                    data = yaml.safe_load(f)
                out.append({k: {"type": type(v).__name__, "value": v if isinstance(v, str) else str(v)} for k, v in data.items()})
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = (interpreter == "/usr/bin/env" ? ["python3"] : []) + ["-c", script] + paths
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python yaml.safe_load failed (is PyYAML installed?): \(errorText)")
        }
        return try JSONDecoder().decode([[String: [String: String]]].self, from: data)
    }
}
