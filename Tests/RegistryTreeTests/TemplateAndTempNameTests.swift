import Testing
@testable import RegistryCore
@testable import RegistryTree

@Suite struct SeedTemplateCompileTests {
    @Test(arguments: [
        ("{{{name}}", "{{{name}}"),
        ("{{name}", "{{name}"),
        ("}}{{slug}}{{", "}}developer-con-1{{"),
        ("{{name}}{{name}}", "ConCon"),
        ("no placeholders", "no placeholders"),
        ("", ""),
        ("é {{role}} ✓", "é developer ✓"),
    ])
    func rendersLikeTheOnePassRule(template: String, expected: String) {
        #expect(SeedTemplates.render(template, persona: PersonaTreeTests.persona()) == expected)
    }

    @Test func changingTheTemplatesChangesWhatIsRendered() {
        var templates = PersonaTreeTests.templates
        templates.templates["skill.md"] = "{{slug}}"
        #expect(templates.render(for: PersonaTreeTests.persona()).map(\.text) == ["developer-con-1", "# Con: experience\n"])
    }
}

@Suite struct TempFileNameTests {
    @Test func readsTheWriterFromOurOwnNames() {
        #expect(TempFileName.writerPID(TempFileName.make(pid: 4242, counter: 7)) == 4242)
        #expect(TempFileName.writerPID(".identity.yaml.tmp-1-999999999999") == 1)
    }

    @Test(arguments: [".identity.yaml.tmp-", ".identity.yaml.tmp-12", ".identity.yaml.tmp-12-", ".identity.yaml.tmp--3",
                      ".identity.yaml.tmp-1-2-3", ".identity.yaml.tmp-99999999999-1", ".identity.yaml.tmp-١٢-1",
                      ".identity.yaml.tmp-1-1x", "identity.yaml", ".identity.yaml.tmp-1-1234567890123456789"])
    func refusesEveryOtherName(name: String) {
        #expect(TempFileName.writerPID(name) == nil)
        #expect(!TempFileName.isTempFile(name))
    }
}
