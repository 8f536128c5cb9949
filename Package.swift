// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode plus the upcoming feature that makes
/// `any` explicit for existentials.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "tierbench",
    // Linux only: the load loop uses epoll and eventfd, the self-check /proc/stat (README, "Platform").
    products: [
        .executable(name: "tierbench", targets: ["tierbench"]),
        .library(name: "TierbenchCore", targets: ["TierbenchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        // Imported directly, so declared directly (Hummingbird brings them in as well).
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.19.0"),
    ],
    targets: [
        /// libcurl through pkg-config; `shim.h` wraps the variadic setopt/getinfo calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        /// Pure core: scenario model, schedules, statistics, reports. Value types, no IO.
        .target(
            name: "TierbenchCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The libcurl multi-interface transport: the only code that touches C pointers.
        .target(
            name: "TierbenchCurl",
            dependencies: ["CCurl", "TierbenchCore"],
            swiftSettings: swiftSettings
        ),
        /// The OpenAI-compatible mock server (Hummingbird 2).
        .target(
            name: "TierbenchMock",
            dependencies: [
                "TierbenchCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        /// Runs scenarios: load generation on curl event-loop threads, result files, the in-process mock.
        .target(
            name: "TierbenchEngine",
            dependencies: [
                "TierbenchCore", "TierbenchCurl", "TierbenchMock",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The command-line interface: parses flags and calls one engine function per command.
        .executableTarget(
            name: "tierbench",
            dependencies: [
                "TierbenchCore",
                "TierbenchEngine",
                "TierbenchMock",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TierbenchCoreTests",
            dependencies: ["TierbenchCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TierbenchCurlTests",
            dependencies: [
                "TierbenchCurl",
                "TierbenchCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TierbenchMockTests",
            dependencies: [
                "TierbenchMock",
                "TierbenchCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TierbenchEngineTests",
            dependencies: ["TierbenchEngine", "TierbenchMock", "TierbenchCurl", "TierbenchCore"],
            swiftSettings: swiftSettings
        ),
    ]
)

/// libFuzzer targets (docs/fuzzing.md), declared only when `TIERBENCH_FUZZ=1`: `scripts/fuzz/run.sh` sets it and
/// builds them with `--sanitize=fuzzer`, which links libFuzzer's `main`. A normal build has no such `main`, so
/// they are left out of it. Each defines `LLVMFuzzerTestOneInput` in Tests/Fuzz/<name>/.
if Context.environment["TIERBENCH_FUZZ"] == "1" {
    for name in ["FuzzScenario", "FuzzSSE", "FuzzResponseBody", "FuzzHeaders", "FuzzTrace", "FuzzBatch", "FuzzTraceImport"] {
        package.targets.append(.executableTarget(
            name: name,
            dependencies: ["TierbenchCore"],
            path: "Tests/Fuzz/\(name)",
            swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]
        ))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
