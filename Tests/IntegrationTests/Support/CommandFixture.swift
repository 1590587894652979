import TestSupport

/// A suite that runs the built binary against a database and a tree of each
/// test's own, with the templates of the tree's fixture.
protocol CommandFixture {
    var database: TestDatabase { get }
    var tree: TemporaryTree { get }
}

extension CommandFixture {
    func cli(_ arguments: String...) throws -> RunResult {
        try BinaryRunner.run(arguments, environment: ["DATABASE_URL": database.url, "PERSONA_DATA_DIR": tree.tree,
                                                      "PERSONA_TEMPLATES_DIR": tree.templates])
    }
}
