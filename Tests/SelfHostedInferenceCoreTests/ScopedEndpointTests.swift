import Foundation
import SelfHostedInferenceCore
import Testing

/// `withEndpoint`: the lease lives while the body runs, renewed, and is released after it.
@Suite(.timeLimit(.minutes(2))) struct ScopedEndpointTests {
    @Test func theLeaseIsRenewedWhileTheBodyRunsAndReleasedAfter() async throws {
        try await withInProcessServer { server in
            try await withManifestFolder("scoped") { folder in
                try folder.write("gw.yaml", YAML.attached("gw", url: server.baseURL + "/v1"))
                try folder.write("agent.yaml", YAML.consumer("agent", instance: "gw"))
                let kernel = InferenceKernel(directory: folder.path)
                // A ttl long enough that a busy machine's ensure does not outlast it before the first renewal.
                let reference = try await kernel.withEndpoint(consumer: "agent", owner: "scoped", ttl: .seconds(8)) { ensured in
                    let reference = ensured.lease.leaseRef
                    // Outlives its 8 s ttl: only renewals (every third of it) keep it.
                    try await eventually("the lease renewed past its first expiry", timeout: .seconds(45)) {
                        guard let lease = try await kernel.leases().leases.first(where: { $0.leaseRef == reference }) else { return false }
                        return lease.renewedAt.timeIntervalSince(lease.acquiredAt) >= 8
                    }
                    return reference
                }
                #expect(folder.leaseFiles().isEmpty, "released after the body")
                #expect(try await kernel.leases().leases.allSatisfy { $0.leaseRef != reference })
            }
        }
    }

    @Test func aThrowingBodyStillReleases() async throws {
        try await withInProcessServer { server in
            try await withManifestFolder("scoped-throw") { folder in
                try folder.write("gw.yaml", YAML.attached("gw", url: server.baseURL + "/v1"))
                try folder.write("agent.yaml", YAML.consumer("agent", instance: "gw"))
                let kernel = InferenceKernel(directory: folder.path)
                struct Boom: Error {}
                await #expect(throws: Boom.self) {
                    try await kernel.withEndpoint(consumer: "agent", owner: "scoped") { _ in throw Boom() }
                }
                #expect(folder.leaseFiles().isEmpty)
            }
        }
    }
}
