import Testing
@testable import PersonaRegistry

@Test func versionIsSemantic() {
    #expect(PersonaRegistryVersion.current.split(separator: ".").count == 3)
}
