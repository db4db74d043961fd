import Foundation
import SelfHostedInferenceCore

/// A manifest directory in a fresh temp folder, removed by `remove()`.
struct ManifestFolder {
    let path: String

    init(_ label: String) throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        let url = base.appendingPathComponent("kernel-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    var layout: StateLayout { StateLayout(manifestDirectory: path) }

    func write(_ file: String, _ text: String) throws {
        try text.write(toFile: path + "/" + file, atomically: true, encoding: .utf8)
    }

    func exists(_ file: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + file)
    }

    func leaseFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: layout.leasesDirectory)) ?? []
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a fresh folder, removed afterwards whatever happens.
func withManifestFolder(_ label: String, _ body: (ManifestFolder) async throws -> Void) async throws {
    let folder = try ManifestFolder(label)
    defer { folder.remove() }
    try await body(folder)
}

enum YAML {
    static func consumer(_ name: String, instance: String, required: String = "{streaming: true}") -> String {
        """
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: \(name)}
        spec:
          instance: \(instance)
          requiredCapabilities: \(required)

        """
    }

    /// An instance attached to a server at `url` (nothing is ever started for it).
    static func attached(_ name: String, backend: String = "openai_compatible", url: String, identity: String = "sim-model") -> String {
        """
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: \(name)}
        spec:
          backend: \(backend)
          startupKind: attach_existing_service
          url: \(url)
          model: {identity: \(identity)}
          readiness: {timeout: 20s}

        """
    }

    /// A simulated on-demand instance: nothing runs unless a lease asks for it.
    static func onDemandSimulation(_ name: String) -> String {
        """
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: \(name)}
        spec:
          backend: simulation
          server: {host: 127.0.0.1, port: auto}
          activation: OnDemand

        """
    }
}

/// Re-checks `condition` until it holds, failing after `timeout`: a deadline, never a fixed sleep.
func eventually(_ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        if ContinuousClock.now >= deadline { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// The error `body` threw, nil when it returned (typed, so tests can match its cases).
func kernelFailure<T>(_ body: () async throws(InferenceKernelError) -> T) async -> InferenceKernelError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}
