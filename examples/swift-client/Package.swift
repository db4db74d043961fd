// swift-tools-version:6.0
// A program that embeds the kernel: it gets a consumer's endpoint under a lease, sends one chat
// completion, renews the lease and gives it back. Build and run it as a package of your own would
// (README.md: the simulated instance needs `inferctl` or `inference-sim` in PATH):
//
//     swift run --package-path examples/swift-client swift-client-example examples/swift-client/manifests assistant
import Foundation
import PackageDescription

// A path dependency's package identity is its folder's name, which differs between checkouts
// (a clone, a worktree, CI's folder): read it off this file's path. A package of your own names
// the repository instead, `.package(url: "https://…/SelfHostedInferenceCore.git", from: "…")`,
// and then `package: "SelfHostedInferenceCore"`.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
let corePackage = repositoryRoot.lastPathComponent.lowercased()

let package = Package(
    name: "swift-client-example",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "swift-client-example",
            dependencies: [.product(name: "SelfHostedInferenceCore", package: corePackage)],
            path: "Sources/SwiftClientExample"
        ),
    ]
)
