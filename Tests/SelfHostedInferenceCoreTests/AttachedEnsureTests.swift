import Foundation
import SelfHostedInferenceCore
import Testing

/// ensure, renew, release and the endpoint's changes under the directory lock, on a server the
/// kernel attaches to (the simulator inside this process: nothing is spawned).
@Suite(.serialized, .timeLimit(.minutes(1))) struct AttachedEnsureTests {
    @Test func ensureRenewReleaseAndTheStatusFollows() async throws {
        try await withInProcessServer { server in
            try await withManifestFolder("attached") { folder in
                try folder.write("gw.yaml", YAML.attached("gw", url: server.baseURL + "/v1"))
                try folder.write("agent.yaml", YAML.consumer("agent", instance: "gw"))
                let kernel = InferenceKernel(directory: folder.path)
                var changes = kernel.endpointChanges(consumer: "agent").makeAsyncIterator()
                #expect(try await changes.next() == .absent, "the first element is the current value")

                let ensured = try await kernel.ensureEndpoint(consumer: "agent", owner: "unit test", ttl: .seconds(60))
                let reference = ensured.lease.leaseRef
                #expect(ensured.endpoint.baseURL == server.baseURL + "/v1")
                #expect(ensured.endpoint.modelIdentity == "sim-model")
                #expect(ensured.endpoint.leaseRef == reference)
                #expect(ensured.compatibility.compatible)
                #expect(ensured.lease.ownerRef == "unit test")
                #expect(ensured.lease.consumer == "agent" && ensured.lease.instance == "gw")
                #expect(folder.leaseFiles() == [reference + ".json"])

                var published = try await changes.next()
                while published?.readyEndpoint == nil, let next = try await changes.next() { published = next }
                #expect(published?.readyEndpoint?.baseURL == ensured.endpoint.baseURL)
                #expect(kernel.publishedStatus(consumer: "agent") == published)

                let renewed = try await kernel.renew(reference, ttl: .seconds(120))
                #expect(renewed.expiresAt > ensured.lease.expiresAt)
                #expect(try await kernel.leases().leases.map(\.leaseRef) == [reference])

                let released = try await kernel.release(reference)
                #expect(released.leaseRef == reference)
                #expect(folder.leaseFiles().isEmpty)
                await #expect(throws: InferenceKernelError.lease(.unknown(reference))) { try await kernel.renew(reference) }
                await #expect(throws: InferenceKernelError.lease(.unknown(reference))) { try await kernel.release(reference) }
            }
        }
    }

    @Test func aBackendRegisteredInCodeServesTheConsumer() async throws {
        try await withInProcessServer { server in
            try await withManifestFolder("registered-ensure") { folder in
                try folder.write("gw.yaml", YAML.attached("gw", backend: "gateway", url: server.baseURL))
                try folder.write("agent.yaml", YAML.consumer("agent", instance: "gw"))
                let kernel = InferenceKernel(directory: folder.path)
                try kernel.register(backend: BackendDefinition(name: "gateway", spec: CustomBackendSpec(startupKind: .attachExistingService)))
                let ensured = try await kernel.ensureEndpoint(consumer: "agent", owner: "unit test")
                #expect(ensured.endpoint.providerIdentity == "gateway")
                #expect(ensured.endpoint.baseURL == server.baseURL + "/v1")
                try await kernel.release(ensured.lease.leaseRef)
            }
        }
    }

    @Test func aServerThatNeverAnswersIsNotReadyAndLeavesNoLease() async throws {
        try await withManifestFolder("not-ready") { folder in
            // Port 9 (discard): nothing listens there on a test machine.
            try folder.write("gw.yaml", YAML.attached("gw", url: "http://127.0.0.1:9/v1"))
            try folder.write("agent.yaml", YAML.consumer("agent", instance: "gw"))
            let kernel = InferenceKernel(directory: folder.path)
            let failure = await kernelFailure { () async throws(InferenceKernelError) in
                try await kernel.ensureEndpoint(consumer: "agent", owner: "unit test", wait: .milliseconds(500))
            }
            guard case .ensure(.notReady(let instance, _, _))? = failure else {
                Issue.record("not refused as not ready: \(String(describing: failure))")
                return
            }
            #expect(instance == "gw")
            #expect(folder.leaseFiles().isEmpty)
        }
    }
}
