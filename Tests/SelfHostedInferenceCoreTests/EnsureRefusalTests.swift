import Foundation
import SelfHostedInferenceCore
import Testing

/// ensureEndpoint's refusals under the directory lock: each is typed, and none starts anything
/// or leaves a lease behind.
@Suite struct EnsureRefusalTests {
    @Test func aMissingDirectoryIsNotCreated() async throws {
        let missing = NSTemporaryDirectory() + "/kernel-missing-\(UUID().uuidString)"
        let kernel = InferenceKernel(directory: missing)
        await #expect(throws: InferenceKernelError.directory(.noSuchDirectory(StateLayout(manifestDirectory: missing).manifestDirectory))) {
            try await kernel.ensureEndpoint(consumer: "agent", owner: "test")
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func invalidManifestsListEveryError() async throws {
        try await withManifestFolder("invalid") { folder in
            try folder.write("agent.yaml", YAML.consumer("agent", instance: "nowhere"))
            try folder.write("broken.yaml", "kind: [")
            let kernel = InferenceKernel(directory: folder.path)
            let failure = await kernelFailure { () async throws(InferenceKernelError) in
                try await kernel.ensureEndpoint(consumer: "agent", owner: "test")
            }
            guard case .invalidManifests(let directory, let diagnostics)? = failure else {
                Issue.record("not refused as invalid: \(String(describing: failure))")
                return
            }
            #expect(directory == folder.layout.manifestDirectory)
            #expect(diagnostics.errors.count >= 2, "\(diagnostics.map(\.rendered))")
            #expect(!folder.exists(".inferctl"), "nothing is written for invalid manifests")
        }
    }

    @Test func anUnknownConsumerIsNamed() async throws {
        try await withManifestFolder("unknown") { folder in
            try folder.write("sim.yaml", YAML.onDemandSimulation("sim"))
            let kernel = InferenceKernel(directory: folder.path)
            await #expect(throws: InferenceKernelError.ensure(.unknownConsumer("agent"))) {
                try await kernel.ensureEndpoint(consumer: "agent", owner: "test")
            }
        }
    }

    /// Validation already compares a consumer with its instances' declared capabilities
    /// (`.ensure(.incompatible)` is for capabilities learned at run time, e.g. from Ollama).
    @Test func aConsumerIncompatibleOnPaperIsRefusedBeforeAnythingStarts() async throws {
        try await withManifestFolder("incompatible") { folder in
            try folder.write("gw.yaml", YAML.attached("gw", url: "http://127.0.0.1:9/v1"))
            try folder.write("agent.yaml", YAML.consumer("agent", instance: "gw", required: "{streaming: true, tool_calling: true}"))
            let kernel = InferenceKernel(directory: folder.path)
            let failure = await kernelFailure { () async throws(InferenceKernelError) in
                try await kernel.ensureEndpoint(consumer: "agent", owner: "test")
            }
            guard case .invalidManifests(_, let diagnostics)? = failure else {
                Issue.record("not refused: \(String(describing: failure))")
                return
            }
            #expect(diagnostics.errors.contains { $0.message.contains("missing_capability") && $0.message.contains("tool_calling") },
                    "\(diagnostics.map(\.rendered))")
            #expect(!folder.exists(".inferctl"), "nothing was attached, no lease taken")
        }
    }

    @Test func badArgumentsAreRefusedBeforeAnythingIsRead() async throws {
        let kernel = InferenceKernel(directory: "/nonexistent-\(UUID().uuidString)")
        for (owner, ttl) in [("", Duration.seconds(30)), ("line\nbreak", .seconds(30)), ("test", .milliseconds(10))] {
            let failure = await kernelFailure { () async throws(InferenceKernelError) in
                try await kernel.ensureEndpoint(consumer: "agent", owner: owner, ttl: ttl)
            }
            guard case .ensure(.invalid)? = failure else {
                Issue.record("owner \(owner.debugDescription), ttl \(ttl): \(String(describing: failure))")
                continue
            }
        }
    }

    @Test func aDirectoryHeldDownStartsNothing() async throws {
        try await withManifestFolder("held") { folder in
            try folder.write("sim.yaml", YAML.onDemandSimulation("sim"))
            try folder.write("agent.yaml", YAML.consumer("agent", instance: "sim"))
            try DownHold.set(folder.layout, now: Date())
            let kernel = InferenceKernel(directory: folder.path)
            let failure = await kernelFailure { () async throws(InferenceKernelError) in
                try await kernel.ensureEndpoint(consumer: "agent", owner: "test")
            }
            guard case .ensure(.heldDown)? = failure else {
                Issue.record("not refused as held down: \(String(describing: failure))")
                return
            }
            #expect(folder.leaseFiles().isEmpty)
        }
    }

    @Test func aControllerHoldingTheLockIsAskedAndItsSilenceIsReported() async throws {
        try await withManifestFolder("silent-controller") { folder in
            try folder.write("sim.yaml", YAML.onDemandSimulation("sim"))
            try folder.write("agent.yaml", YAML.consumer("agent", instance: "sim"))
            try StateDirectories.prepare(folder.layout)
            // What `inferctl watch` holds while it runs; no API socket answers here.
            let lock = try await DirectoryLock.acquire(path: folder.layout.lockPath, timeout: .zero,
                                                       holderDescription: DirectoryAccess.controllerHolder)
            defer { lock.release() }
            let kernel = InferenceKernel(directory: folder.path, configuration: .init(controllerStartTimeout: .milliseconds(200)))
            let failure = await kernelFailure { () async throws(InferenceKernelError) in
                try await kernel.ensureEndpoint(consumer: "agent", owner: "test")
            }
            guard case .controllerUnreachable(let why)? = failure else {
                Issue.record("not reported unreachable: \(String(describing: failure))")
                return
            }
            #expect(why.contains("api.sock"), "\(why)")
            #expect(folder.leaseFiles().isEmpty)
        }
    }
}
