// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "persona-registry",
    products: [
        .executable(name: "persona-registry", targets: ["persona-registry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(name: "CSystemExtras"),
        // The layers, bottom up; ARCHITECTURE.md draws them. RegistryCore is pure (no
        // system calls, no libpq: scripts/check-layers.sh keeps it so); RegistrySystem wraps
        // the system calls; RegistryDatabase and RegistryTree execute against PostgreSQL and
        // the tree; RegistryDaemon wires them together; persona-registry parses arguments.
        // Which modules each may import: scripts/check-layers.sh.
        .target(
            name: "RegistryCore",
            dependencies: ["CYAML"],
            plugins: ["EmbedDataPlugin"]
        ),
        .target(
            name: "RegistrySystem",
            dependencies: ["RegistryCore", "CSystemExtras"]
        ),
        .target(
            name: "RegistryDatabase",
            dependencies: ["RegistryCore", "RegistrySystem", "CLibPQ"]
        ),
        .target(
            name: "RegistryTree",
            dependencies: ["RegistryCore", "RegistrySystem", "CSystemExtras"]
        ),
        .target(
            name: "RegistryDaemon",
            dependencies: [
                "RegistryCore",
                "RegistrySystem",
                "RegistryDatabase",
                "RegistryTree",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Compiles migrations/*.sql and data/templates/* into RegistryCore (EmbeddedData).
        .executableTarget(name: "embed-data"),
        .plugin(name: "EmbedDataPlugin", capability: .buildTool(), dependencies: ["embed-data"]),
        .executableTarget(
            name: "persona-registry",
            dependencies: [
                "RegistryCore",
                "RegistrySystem",
                "RegistryDatabase",
                "RegistryTree",
                "RegistryDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Helpers both test targets use (temporary trees, the PyYAML runner).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "PersonaRegistryTests",
            dependencies: ["RegistryCore", "RegistrySystem", "RegistryDatabase", "RegistryTree", "RegistryDaemon", "persona-registry", "CSystemExtras", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["RegistryCore", "RegistrySystem", "RegistryDatabase", "RegistryTree", "RegistryDaemon", "CLibPQ", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
