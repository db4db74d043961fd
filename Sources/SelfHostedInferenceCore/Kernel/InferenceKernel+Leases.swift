import Foundation
import InferenceControllerAPI
import InferenceModel
import InferenceRuntime

extension InferenceKernel {
    /// Extends a live lease: it now expires `ttl` from now (its own ttl when nil). Renew well
    /// before it expires (at half its ttl, say): an expired lease cannot be renewed
    /// (`.lease(.expired)`), take a new one with `ensureEndpoint`.
    @discardableResult
    public func renew(_ leaseRef: String, ttl: Duration? = nil) async throws(InferenceKernelError) -> Lease {
        let ttlMilliseconds = ttl?.kernelMilliseconds
        if let ttlMilliseconds, let problem = LeaseRules.ttlProblem(ttlMilliseconds) { throw .lease(.invalid(problem)) }
        let body = ttlMilliseconds.map { Data(#"{"ttl_ms": \#($0)}"#.utf8) }
        return try await leaseCall(leaseRef, method: "POST", suffix: "/renew", body: body) { ledger in
            try ledger.renew(leaseRef, ttlMilliseconds: ttlMilliseconds, now: Date())
        }
    }

    /// Gives a lease back; its instance's idle time starts now (an on-demand instance with an
    /// `idleTimeout` is stopped once it has been idle that long, by the next reconcile).
    @discardableResult
    public func release(_ leaseRef: String) async throws(InferenceKernelError) -> Lease {
        try await leaseCall(leaseRef, method: "DELETE", suffix: "", body: nil) { ledger in
            try ledger.release(leaseRef, now: Date())
        }
    }

    /// Every lease in the directory (the controller's view while one runs), and lease files that
    /// cannot be believed (they hold nothing).
    public func leases() async throws(InferenceKernelError) -> LeaseStore.Scan {
        guard await ControllerClient.runningController(layout) != nil else { return LeaseStore(layout: layout).scan() }
        let answer = try await controllerExchange("GET", "/v1/leases") { .controllerRefused(code: $0.code, message: $0.message) }
        let list = try decodeAnswer(LeaseList.self, answer)
        return LeaseStore.Scan(leases: list.leases, rejected: list.rejected)
    }

    /// renew and release: through a running controller, or under the directory lock.
    private func leaseCall(_ reference: String, method: String, suffix: String, body: Data?,
                           locally: (LeaseLedger) throws -> Lease) async throws(InferenceKernelError) -> Lease {
        guard LeaseRules.isValidReference(reference) else {
            throw .lease(.invalid("'\(reference)' is not a lease reference (lease-<32 hex digits>)"))
        }
        try requireDirectory()
        // No state folder: no lease was ever taken here (and a controller would have made one).
        guard FileManager.default.fileExists(atPath: layout.stateDirectory) else { throw .lease(.unknown(reference)) }
        switch try await route() {
        case .controller:
            let knownExpiry = LeaseStore(layout: layout).lease(reference)?.expiresAt
            let answer = try await controllerExchange(method, "/v1/leases/\(reference)\(suffix)", body: body) { refused in
                .leaseRefusal(refused, reference: reference, knownExpiry: knownExpiry)
            }
            return try decodeAnswer(Lease.self, answer)
        case .locked(let lock):
            defer { lock.release() }
            do {
                return try locally(LeaseLedger(layout: layout))
            } catch let failure as LeaseLedger.Failure {
                throw .lease(failure)
            } catch {
                throw .stateUnavailable("\(error)")
            }
        }
    }
}
