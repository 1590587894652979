/// The `status` of a persona: active personas get a directory; archived ones
/// keep whatever directory they have.
public enum PersonaStatus: String, Sendable, Codable, CaseIterable {
    case active
    case archived
}
