// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "persona-registry",
    products: [
        .executable(name: "persona-registry", targets: ["persona-registry"]),
        .library(name: "PersonaRegistry", targets: ["PersonaRegistry"]),
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
        .target(
            name: "PersonaRegistry",
            dependencies: [
                "CLibPQ",
                "CYAML",
                "CSystemExtras",
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedDataPlugin"]
        ),
        // Compiles migrations/*.sql and data/templates/* into PersonaRegistry (EmbeddedData).
        .executableTarget(name: "embed-data"),
        .plugin(name: "EmbedDataPlugin", capability: .buildTool(), dependencies: ["embed-data"]),
        .executableTarget(
            name: "persona-registry",
            dependencies: [
                "PersonaRegistry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PersonaRegistryTests",
            dependencies: ["PersonaRegistry", "CSystemExtras", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["PersonaRegistry", "CLibPQ"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
