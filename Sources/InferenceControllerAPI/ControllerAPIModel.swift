import Foundation
import InferenceModel
import InferenceRuntime

/// What the API's routes read. The live model reads a running controller; route tests use a
/// fake, so every answer (and every refusal) is tested without processes.
public protocol ControllerAPIModel: Sendable {
    /// True once the controller's first full pass has settled (`/readyz`).
    var isSettled: Bool { get }
    /// Every instance's status, as `inferctl status -o json` gives it.
    func instances() async -> [InstanceStatus]
    /// The consumer's resolved status; nil when no consumer of that name is declared.
    func consumer(_ name: String) async -> ConsumerStatus?
    /// The recent events and a stream of every later one.
    func subscribeEvents() -> (recent: [ControllerEvent], stream: AsyncStream<ControllerEvent>)
    /// The Prometheus exposition text.
    func metricsText() async -> String
    /// Reconciles every instance now (`inferctl apply` while a controller runs) and answers with
    /// the statuses once settled; `settled` is false when `timeout` passed first. It also ends a
    /// `down` hold.
    func applyNow(timeout: Duration, force: Bool) async throws -> (settled: Bool, instances: [InstanceStatus])
    /// Holds the directory down (`inferctl down` while a controller runs): every managed server
    /// stopped, nothing started until the next apply.
    func downNow(timeout: Duration) async throws -> (settled: Bool, instances: [InstanceStatus])
    /// `ensure` through the controller: a lease and the descriptor, or why not.
    func ensure(_ request: EnsureRequest) async throws(EnsureFailure) -> EnsuredEndpoint
    func leases() async -> LeaseStore.Scan
    func renewLease(_ reference: String, ttlMilliseconds: Int?) async throws -> Lease
    func releaseLease(_ reference: String) async throws -> Lease
}

/// The model of a running controller: its manifests in force, the state folder and /proc read
/// at each request (off the concurrency pool: /proc scans block), its events and its metrics.
public struct LiveControllerModel: ControllerAPIModel {
    public let controller: Controller
    public let recorder: EventRecorder
    public let metrics: ControllerMetrics

    public init(controller: Controller, recorder: EventRecorder, metrics: ControllerMetrics) {
        self.controller = controller
        self.recorder = recorder
        self.metrics = metrics
    }

    public var isSettled: Bool { controller.hasSettledFirstPass }

    public func instances() async -> [InstanceStatus] {
        await readState().statuses
    }

    public func consumer(_ name: String) async -> ConsumerStatus? {
        let manifests = controller.currentManifests
        guard manifests.state.consumers.contains(where: { $0.name == name }) else { return nil }
        return await readState().consumer(name, manifests: manifests)
    }

    public func subscribeEvents() -> (recent: [ControllerEvent], stream: AsyncStream<ControllerEvent>) {
        recorder.subscribe()
    }

    public func applyNow(timeout: Duration, force: Bool) async throws -> (settled: Bool, instances: [InstanceStatus]) {
        let settled = try await controller.reconcileAllNow(timeout: timeout, force: force)
        return (settled, await readState().statuses)
    }

    public func downNow(timeout: Duration) async throws -> (settled: Bool, instances: [InstanceStatus]) {
        let settled = try await controller.holdDown(timeout: timeout)
        return (settled, await readState().statuses)
    }

    public func ensure(_ request: EnsureRequest) async throws(EnsureFailure) -> EnsuredEndpoint {
        try await controller.ensure(request)
    }

    public func leases() async -> LeaseStore.Scan {
        let layout = controller.layout
        return await OffPool.run { LeaseStore(layout: layout).scan() }
    }

    public func renewLease(_ reference: String, ttlMilliseconds: Int?) async throws -> Lease {
        try controller.renewLease(reference, ttlMilliseconds: ttlMilliseconds)
    }

    public func releaseLease(_ reference: String) async throws -> Lease {
        try await controller.releaseLease(reference)
    }

    public func metricsText() async -> String {
        let state = await readState()
        let depth = await controller.queueDepth()
        return metrics.exposition(statuses: state.statuses, queueDepth: depth)
    }

    private func readState() async -> LiveState {
        let layout = controller.layout
        let host = controller.environment.host
        return await OffPool.run { LiveState.read(layout, host: host) }
    }
}

/// Blocking work (file reads, /proc scans) on a plain thread, so the two threads of the
/// concurrency pool stay free for the controller's loop and the server.
enum OffPool {
    static let queue = DispatchQueue(label: "inferctl.api.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
