import Glibc
import RegistryCore

/// A line for the operator on standard error beside a command's output (which stays
/// parseable on standard output), escaped like all output.
func printNote(_ line: String) {
    let text = Escaping.escaped(line) + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}
