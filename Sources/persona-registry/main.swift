import PersonaRegistry

print("persona-registry \(PersonaRegistryVersion.current)")
