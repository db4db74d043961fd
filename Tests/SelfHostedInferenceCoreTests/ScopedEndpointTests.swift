import Foundation
import SelfHostedInferenceCore
import Testing

/// `withEndpoint`: the lease lives while the body runs, renewed, and is released after it.
@Suite(.timeLimit(.minutes(1))) struct ScopedEndpointTests {
    @Test func theLeaseIsRenewedWhileTheBodyRunsAndReleasedAfter() async throws {
        try await withInProcessServer { server in
            try await withManifestFolder("scoped") { folder in
                try folder.write("gw.yaml", YAML.attached("gw", url: server.baseURL + "/v1"))
                try folder.write("agent.yaml", YAML.consumer("agent", instance: "gw"))
                let kernel = InferenceKernel(directory: folder.path)
                let reference = try await kernel.withEndpoint(consumer: "agent", owner: "scoped", ttl: .seconds(3)) { ensured in
                    let reference = ensured.lease.leaseRef
                    // Outlives its 3 s ttl: only renewals (every second) keep it.
                    try await eventually("the lease renewed past its first expiry", timeout: .seconds(20)) {
                        guard let lease = try await kernel.leases().leases.first(where: { $0.leaseRef == reference }) else { return false }
                        return lease.renewedAt.timeIntervalSince(lease.acquiredAt) >= 3
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
