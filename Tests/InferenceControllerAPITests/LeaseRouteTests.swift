import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InferenceControllerAPI
import InferenceModel
import InferenceRuntime
import Testing

@Suite("API lease routes")
struct LeaseRouteTests {
    static let reference = "lease-0123456789abcdef0123456789abcdef"
    static let lease = Lease(leaseRef: reference, ownerRef: "ci", consumer: "app", instance: "a",
                             acquiredAt: Fixtures.now, ttlMilliseconds: 30_000)

    static func post(_ client: some TestClientProtocol, _ uri: String, _ body: String,
                     _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: body)) { try check($0) }
    }

    @Test("POST /v1/leases answers the descriptor with its lease; each failure has its status code and reason")
    func ensure() async throws {
        let model = FakeModel()
        var endpoint = Fixtures.endpoint("a", port: 18080)
        endpoint.leaseRef = Self.reference
        let compatibility = CompatibilityResult(compatible: true, reason: .protocolMatch, resolvedRuntimeKind: nil, resolvedManagementMode: nil,
                                                resolvedProtocol: nil, warnings: [], missingRequirements: [])
        model.ensured = .success(EnsuredEndpoint(endpoint: endpoint, compatibility: compatibility, lease: Self.lease))
        try await APIRouterTests.app(model).test(.router) { client in
            try await Self.post(client, "/v1/leases", #"{"consumer": "app", "owner": "ci"}"#) { response in
                #expect(response.status == .ok)
                let body = try APIRouterTests.json(response)
                #expect((body["endpoint"] as? [String: Any])?["lease_ref"] as? String == Self.reference)
                #expect((body["lease"] as? [String: Any])?["owner_ref"] as? String == "ci")
            }
            for bad in ["", "{", #"{"consumer": "app"}"#, #"{"consumer": "../x", "owner": "ci"}"#,
                        #"{"consumer": "app", "owner": "ci", "wait_ms": 0}"#] {
                try await Self.post(client, "/v1/leases", bad) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    let apiError = try APIRouterTests.error(response)
                    #expect(apiError.code == 400)
                }
            }
            let failures: [(EnsureFailure, HTTPResponse.Status)] = [
                (.unknownConsumer("app"), .notFound),
                (.incompatible(consumer: "app", candidates: [:]), .conflict),
                (.notReady(instance: "a", phase: .failed, message: "exited 1"), .serviceUnavailable),
                (.heldDown("held down by inferctl down"), .conflict),
            ]
            for (failure, status) in failures {
                model.ensured = .failure(failure)
                try await Self.post(client, "/v1/leases", #"{"consumer": "app", "owner": "ci"}"#) { response in
                    #expect(response.status == status, "\(failure)")
                    let apiError = try APIRouterTests.error(response)
                    #expect(apiError.message == failure.description)
                }
            }
        }
    }

    @Test("GET /v1/leases lists leases and rejected files; renew and release refuse unknown and malformed references")
    func listRenewRelease() async throws {
        let model = FakeModel()
        model.leaseScan = LeaseStore.Scan(leases: [Self.lease], rejected: [.init(file: "/x/lease-bad.json", reason: "not a valid lease")])
        try await APIRouterTests.app(model).test(.router) { client in
            try await client.execute(uri: "/v1/leases", method: .get) { response in
                let body = try APIRouterTests.json(response)
                #expect((body["leases"] as? [[String: Any]])?.first?["lease_ref"] as? String == Self.reference)
                #expect((body["rejected"] as? [[String: Any]])?.first?["reason"] as? String == "not a valid lease")
            }
            try await Self.post(client, "/v1/leases/\(Self.reference)/renew", #"{"ttl_ms": 60000}"#) { #expect($0.status == .ok) }
            try await Self.post(client, "/v1/leases/\(Self.reference)/renew", "") { #expect($0.status == .ok) }
            try await Self.post(client, "/v1/leases/\(Self.reference)/renew", "[1]") { #expect($0.status == .badRequest) }
            let unknown = "lease-ffffffffffffffffffffffffffffffff"
            try await Self.post(client, "/v1/leases/\(unknown)/renew", "") { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/leases/\(unknown)", method: .delete) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/leases/..%2F..%2Fetc", method: .delete) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/leases/\(Self.reference)", method: .delete) { #expect($0.status == .ok) }
        }
    }
}
