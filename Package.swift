// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SelfHostedInferenceCore",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SelfHostedInferenceCore", targets: ["SelfHostedInferenceCore"]),
        .executable(name: "inferctl", targets: ["inferctl"]),
        .executable(name: "inference-sim", targets: ["inference-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // Pure core: contracts, validation, compatibility, planning. No I/O.
        .target(name: "InferenceModel"),
        // The system's libyaml (libyaml-dev), parsed through its event API: one copy in the binary,
        // optimized even in debug builds.
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // YAML manifests to model values, with file:line:column diagnostics.
        .target(name: "InferenceManifests", dependencies: ["InferenceModel", "CLibYAML"]),
        // Other tools' configurations (llama-swap) to our manifests. Pure.
        .target(name: "InferenceImport", dependencies: ["InferenceModel", "InferenceManifests"]),
        // Backend drivers: spec -> launch/attach plan, probe answer -> readiness/health. Pure.
        .target(name: "InferenceBackends", dependencies: ["InferenceModel"]),
        // Small C shims for what Swift's Glibc does not expose (posix_spawn setsid, pidfd).
        .target(name: "CProcessSupport"),
        // Effects: processes, HTTP probes, state store, status files, lock, clock.
        .target(name: "InferenceRuntime", dependencies: [
            "InferenceModel", "InferenceManifests", "InferenceBackends", "CProcessSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The OpenAI-compatible (and Ollama-like) simulator server.
        .target(name: "InferenceSimulator", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The controller's local API (`inferctl watch`): HTTP over a Unix socket (and optional TCP),
        // server-sent events and Prometheus metrics.
        .target(name: "InferenceControllerAPI", dependencies: [
            "InferenceModel", "InferenceBackends", "InferenceRuntime",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Umbrella library product, and the kernel API for programs that embed it (`InferenceKernel`):
        // through a running controller's API, or under the directory lock.
        .target(name: "SelfHostedInferenceCore", dependencies: [
            "InferenceModel", "InferenceManifests", "InferenceBackends", "InferenceRuntime", "InferenceControllerAPI",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "inferctl", dependencies: [
            "SelfHostedInferenceCore", "InferenceSimulator", "InferenceControllerAPI", "InferenceImport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .executableTarget(name: "inference-sim", dependencies: [
            "InferenceSimulator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The Swift client example (examples/swift-client), also built here so the tests run it
        // without building its standalone package (which rebuilds every dependency).
        .executableTarget(name: "swift-client-example", dependencies: ["SelfHostedInferenceCore"],
                          path: "examples/swift-client/Sources/SwiftClientExample"),
        .testTarget(name: "InferenceModelTests", dependencies: ["InferenceModel", "InferenceBackends"]),
        .testTarget(name: "InferenceManifestsTests", dependencies: ["InferenceManifests"]),
        .testTarget(name: "InferenceImportTests", dependencies: ["InferenceImport", "InferenceManifests"]),
        .testTarget(name: "InferenceRuntimeTests", dependencies: ["InferenceRuntime", "InferenceSimulator"]),
        .testTarget(name: "IntegrationTests", dependencies: ["SelfHostedInferenceCore"]),
        .testTarget(name: "SelfHostedInferenceCoreTests", dependencies: ["SelfHostedInferenceCore", "InferenceSimulator"]),
        .testTarget(name: "InferenceControllerAPITests", dependencies: [
            "InferenceControllerAPI", "InferenceRuntime",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "InferenceSimulatorTests", dependencies: [
            "InferenceSimulator",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
    ]
)
