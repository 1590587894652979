import RegistryCore
import RegistrySystem

/// A line for the operator on standard error beside a command's output (which stays
/// parseable on standard output), escaped like all output.
func printNote(_ line: String) {
    StandardStreams.writeToStandardError(Escaping.escaped(line) + "\n")
}
