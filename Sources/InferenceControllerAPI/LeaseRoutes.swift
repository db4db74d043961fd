import Foundation
import Hummingbird
import InferenceModel
import InferenceRuntime

/// `GET /v1/leases`: the leases, and lease files that were rejected (they hold nothing).
public struct LeaseList: Codable, Sendable {
    public var leases: [Lease]
    public var rejected: [LeaseStore.Rejected]

    public init(leases: [Lease], rejected: [LeaseStore.Rejected]) {
        self.leases = leases
        self.rejected = rejected
    }
}

/// Leases through the controller: what `inferctl ensure` and `inferctl lease …` use while a
/// controller runs, and what programs call directly.
enum LeaseRoutes {
    static func add(to router: Router<BasicRequestContext>, model: any ControllerAPIModel) {
        router.get("/v1/leases") { _, _ in
            let scan = await model.leases()
            return try APIJSON.response(LeaseList(leases: scan.leases, rejected: scan.rejected))
        }
        router.post("/v1/leases") { request, context in
            let ensure: EnsureRequest
            do {
                let body = try await request.body.collect(upTo: 64 << 10)
                ensure = try JSONCoding.decoder.decode(EnsureRequest.self, from: Data(buffer: body))
            } catch {
                throw APIError(.badRequest, "the body must be JSON: {\"consumer\": NAME, \"owner\": REF, \"ttl_ms\": N, \"wait_ms\": N}")
            }
            if let problem = ResourceName.problem(ensure.consumer) { throw APIError(.badRequest, "consumer: \(problem)") }
            guard (1...86_400_000).contains(ensure.waitMilliseconds) else { throw APIError(.badRequest, "wait_ms must be 1…86400000") }
            let ensured: EnsuredEndpoint
            do throws(EnsureFailure) {
                ensured = try await model.ensure(ensure)
            } catch {
                throw apiError(error)
            }
            return try APIJSON.response(ensured)
        }
        router.post("/v1/leases/:ref/renew") { request, context in
            let reference = try validReference(context)
            struct Renewal: Decodable { var ttl_ms: Int? }
            let body = try await request.body.collect(upTo: 16 << 10)
            let renewal = body.readableBytes == 0 ? Renewal() : try? JSONDecoder().decode(Renewal.self, from: Data(buffer: body))
            guard let renewal else { throw APIError(.badRequest, "the body must be empty or JSON: {\"ttl_ms\": N}") }
            return try APIJSON.response(try await ledgerCall { try await model.renewLease(reference, ttlMilliseconds: renewal.ttl_ms) })
        }
        router.delete("/v1/leases/:ref") { _, context in
            let reference = try validReference(context)
            return try APIJSON.response(try await ledgerCall { try await model.releaseLease(reference) })
        }
    }

    static func validReference(_ context: BasicRequestContext) throws -> String {
        let raw = context.parameters.get("ref") ?? ""
        guard LeaseRules.isValidReference(raw) else { throw APIError(.badRequest, "not a lease reference (lease-<32 hex digits>)") }
        return raw
    }

    static func apiError(_ failure: EnsureFailure) -> APIError {
        switch failure {
        case .unknownConsumer: APIError(.notFound, failure.description)
        case .incompatible, .noInstance, .heldDown: APIError(.conflict, failure.description)
        case .notReady(_, _, let message):
            APIError(.serviceUnavailable, failure.description,
                     reason: message.hasPrefix(ConditionReason.insufficientCapacity.rawValue) ? ConditionReason.insufficientCapacity.rawValue : nil)
        case .invalid: APIError(.badRequest, failure.description)
        case .stateWriteFailed: APIError(.internalServerError, failure.description)
        }
    }

    static func ledgerCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as LeaseLedger.Failure {
            switch failure {
            case .unknown: throw APIError(.notFound, failure.description)
            case .expired: throw APIError(.gone, failure.description)
            case .notRenewable: throw APIError(.conflict, failure.description)
            case .invalid: throw APIError(.badRequest, failure.description)
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.internalServerError, "\(error)")
        }
    }
}
