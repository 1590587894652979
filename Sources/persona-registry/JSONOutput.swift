import FoundationEssentials
import RegistryCore

/// JSON for command output: sorted keys, pretty-printed, no escaped slashes,
/// terminal controls escaped as `Escaping` does.
public enum JSONOutput {
    public static func render<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Escaping.jsonSafe(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
