/// The version of persona-registry, printed by `persona-registry --version`.
public enum PersonaRegistryVersion {
    public static let current = "0.1.0"
}
