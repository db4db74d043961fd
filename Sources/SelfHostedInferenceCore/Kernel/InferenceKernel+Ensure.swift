import Foundation
import InferenceControllerAPI
import InferenceModel
import InferenceRuntime

extension InferenceKernel {
    /// The seed's `ensure_endpoint`: a compatible, ready endpoint for `consumer`, held by a lease
    /// for `owner`.
    ///
    /// Compatibility is checked first, and nothing starts without it: against the declared
    /// capabilities by validation (`.invalidManifests`, naming what is missing), then against what
    /// was learned at run time (`.ensure(.incompatible)`, every candidate with its missing
    /// requirements). Then a lease is taken, which makes an
    /// on-demand instance wanted, the instance is started if needed and waited for up to `wait`.
    /// The answer is the descriptor (its `lease_ref` set), the compatibility result and the lease.
    /// While the lease is live the instance is not stopped for idleness nor pruned; `renew` it
    /// before `ttl` runs out, `release` it when done. Any failure leaves no lease behind.
    ///
    /// - Parameters:
    ///   - consumer: a `kind: Consumer` declared in the directory.
    ///   - owner: who holds the lease (a job id, a host name, a program name): one printable line.
    ///   - ttl: how long the lease lives unless renewed (1 s to 30 days).
    ///   - wait: how long to wait for the instance to be ready (at most a day).
    ///   - renewable: whether `renew` may extend it.
    public func ensureEndpoint(consumer: String, owner: String, ttl: Duration = .seconds(30), wait: Duration = .seconds(300),
                               renewable: Bool = true) async throws(InferenceKernelError) -> EnsuredEndpoint {
        let request = EnsureRequest(consumer: consumer, owner: owner, ttlMilliseconds: ttl.kernelMilliseconds,
                                    renewable: renewable, waitMilliseconds: wait.kernelMilliseconds)
        if let problem = Self.problem(request) { throw .ensure(.invalid(problem)) }
        try requireDirectory()
        let manifests = manifests()
        guard manifests.isValid else { throw .invalidManifests(directory: directory, diagnostics: manifests.diagnostics) }
        switch try await route() {
        case .controller:
            return try await ensureThroughController(request, manifests: manifests)
        case .locked(let lock):
            defer { lock.release() }
            let state = try await recoverState()
            do throws(EnsureFailure) {
                return try await EndpointEnsurer(manifests: manifests, folder: state.folder, environment: environment).ensure(request)
            } catch {
                throw .ensure(error)
            }
        }
    }

    /// `POST /v1/leases`. Compatibility is decided here first, from the same manifests and
    /// records, so an incompatible consumer gets every candidate's result as without a controller.
    private func ensureThroughController(_ request: EnsureRequest, manifests: ManifestSet) async throws(InferenceKernelError) -> EnsuredEndpoint {
        try requireBackendsKnownToController()
        let records = Dictionary(((try? FileStateStore(layout: layout).loadRecords()) ?? []).map { ($0.name, $0) },
                                 uniquingKeysWith: { first, _ in first })
        do throws(EnsureFailure) {
            _ = try EnsureSelection.choose(request.consumer, manifests: manifests, records: records)
        } catch {
            throw .ensure(error)
        }
        let body: Data
        do {
            body = try JSONCoding.encoder.encode(request)
        } catch {
            throw .ensure(.invalid("\(error)"))
        }
        let answer = try await controllerExchange("POST", "/v1/leases", body: body,
                                                  timeout: .milliseconds(Int64(request.waitMilliseconds))) { refused in
            .ensureRefusal(refused, consumer: request.consumer)
        }
        return try decodeAnswer(EnsuredEndpoint.self, answer)
    }

    /// A controller reads only the directory's manifests: a backend registered here alone is
    /// unknown to it, and so would be every instance on it.
    private func requireBackendsKnownToController() throws(InferenceKernelError) {
        let registered = registeredBackends
        guard !registered.isEmpty else { return }
        let declared = ManifestLoader.load(directory: directory).state.backends
        let unknown = registered.filter { backend in !declared.contains { $0.name == backend.name && $0.spec == backend.spec } }
        guard unknown.isEmpty else { throw .backendsUnknownToController(unknown.map(\.name)) }
    }

    /// What is wrong with a request before anything is read, or nil.
    static func problem(_ request: EnsureRequest) -> String? {
        if let problem = ResourceName.problem(request.consumer) { return "consumer: \(problem)" }
        if let problem = LeaseRules.ownerProblem(request.owner) { return "owner: \(problem)" }
        if let problem = LeaseRules.ttlProblem(request.ttlMilliseconds) { return problem }
        guard (1...86_400_000).contains(request.waitMilliseconds) else { return "wait must be between 1 ms and 24 h" }
        return nil
    }
}
