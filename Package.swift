// swift-tools-version:6.0
import PackageDescription

// The release build's code layout (issue 23; bench/RESULTS.md, "Idle: the heap trim and the
// program file's layout"). Each function of the project's own modules gets a section of its own,
// so the link can place the ones the daemon runs (link/hot-functions.txt, made by
// scripts/link-order) side by side: a process maps its code in the kernel's fault-around blocks
// (64 KiB by default), and scattered hot functions kept most of the binary's text resident. A
// function missing from the list is only placed elsewhere.
let releaseCode: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-function-sections"], .when(configuration: .release))]
let packageRoot = String(#filePath.dropLast("/Package.swift".count))

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
            swiftSettings: releaseCode,
            plugins: ["EmbedDataPlugin"]
        ),
        .target(
            name: "RegistrySystem",
            dependencies: ["RegistryCore", "CSystemExtras"],
            swiftSettings: releaseCode
        ),
        .target(
            name: "RegistryDatabase",
            dependencies: ["RegistryCore", "RegistrySystem", "CLibPQ"],
            swiftSettings: releaseCode
        ),
        .target(
            name: "RegistryTree",
            dependencies: ["RegistryCore", "RegistrySystem", "CSystemExtras"],
            swiftSettings: releaseCode
        ),
        .target(
            name: "RegistryDaemon",
            dependencies: [
                "RegistryCore",
                "RegistrySystem",
                "RegistryDatabase",
                "RegistryTree",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: releaseCode
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
            ],
            swiftSettings: releaseCode,
            // The release link (issue 23; the same section of bench/RESULTS.md): lld packs the
            // position-independent binary's ~42,000 relative relocations into 8 KiB (DT_RELR,
            // glibc 2.36) where gold's table is 1 MiB, read whole by the dynamic linker at every
            // start and resident from then on; and the binary exports no symbols (the Swift
            // static stdlib's link arguments ask for --export-dynamic, which nothing here looks
            // up: 411 KiB of symbol tables the dynamic linker reads too). Debug builds and the
            // tests keep the default link.
            linkerSettings: [
                .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                              "-Xlinker", "--no-export-dynamic",
                              "-Xlinker", "--symbol-ordering-file=\(packageRoot)/link/hot-functions.txt",
                              "-Xlinker", "--no-warn-symbol-ordering"], .when(configuration: .release)),
            ]
        ),
        // Helpers every test target uses (temporary trees, the PyYAML runner).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The unit tests, one target per module they test (docs/testing.md). A target may
        // depend on a layer above its module to arrange a test (a held tree lock, the
        // templates beside the migrations); what it tests is its module.
        .testTarget(name: "RegistryCoreTests", dependencies: ["RegistryCore", "RegistrySystem", "TestSupport"]),
        .testTarget(name: "RegistrySystemTests", dependencies: ["RegistrySystem", "RegistryTree", "CSystemExtras", "TestSupport"]),
        .testTarget(name: "RegistryDatabaseTests", dependencies: ["RegistryCore", "RegistrySystem", "RegistryDatabase", "RegistryTree"]),
        .testTarget(name: "RegistryTreeTests", dependencies: ["RegistryCore", "RegistrySystem", "RegistryTree", "CSystemExtras", "TestSupport"]),
        // The command line's formatting and JSON (the persona-registry target).
        .testTarget(
            name: "CommandLineTests",
            dependencies: [
                "RegistryCore", "RegistrySystem", "RegistryDatabase", "RegistryDaemon", "persona-registry",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The documentation and the manual pages against the code (finding kinds, log events,
        // settings, links).
        .testTarget(
            name: "DocumentationTests",
            dependencies: ["RegistryCore", "RegistryDaemon", .product(name: "Logging", package: "swift-log")]
        ),
        // The RegistryDaemon pieces (failures sorted, the queue, log lines, own changes, the
        // status publisher) and the tree watcher as the daemon reads it.
        .testTarget(
            name: "RegistryDaemonTests",
            dependencies: ["RegistryCore", "RegistrySystem", "RegistryDatabase", "RegistryTree", "RegistryDaemon",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["RegistryCore", "RegistrySystem", "RegistryDatabase", "RegistryTree", "RegistryDaemon", "CLibPQ", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
