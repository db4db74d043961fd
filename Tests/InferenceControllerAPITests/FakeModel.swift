import Foundation
import InferenceControllerAPI
import InferenceModel
import InferenceRuntime

/// A controller as the routes see it, with canned answers.
final class FakeModel: ControllerAPIModel, @unchecked Sendable {
    private let lock = NSLock()
    private var settled = false
    var statuses: [InstanceStatus]
    var consumers: [String: ConsumerStatus]
    let recorder = EventRecorder(path: nil)
    let metrics = ControllerMetrics()

    init(statuses: [InstanceStatus] = [], consumers: [String: ConsumerStatus] = [:]) {
        self.statuses = statuses
        self.consumers = consumers
    }

    var isSettled: Bool { lock.withLock { settled } }
    func settle() { lock.withLock { settled = true } }

    func instances() async -> [InstanceStatus] { statuses }
    func consumer(_ name: String) async -> ConsumerStatus? { consumers[name] }
    func subscribeEvents() -> (recent: [ControllerEvent], stream: AsyncStream<ControllerEvent>) { recorder.subscribe() }
    func metricsText() async -> String { metrics.exposition(statuses: statuses, queueDepth: 2) }
    func applyNow(timeout: Duration, force: Bool) async throws -> (settled: Bool, instances: [InstanceStatus]) { (true, statuses) }
    var ensured: Result<EnsuredEndpoint, EnsureFailure> = .failure(.unknownConsumer("x"))
    func ensure(_ request: EnsureRequest) async throws(EnsureFailure) -> EnsuredEndpoint { try ensured.get() }
    var leaseScan = LeaseStore.Scan()
    func leases() async -> LeaseStore.Scan { leaseScan }
    func renewLease(_ reference: String, ttlMilliseconds: Int?) async throws -> Lease {
        guard let lease = leaseScan.leases.first(where: { $0.leaseRef == reference }) else { throw LeaseLedger.Failure.unknown(reference) }
        return lease
    }
    func releaseLease(_ reference: String) async throws -> Lease { try await renewLease(reference, ttlMilliseconds: nil) }
    /// Set to make `down` fail as an unwritable state folder would.
    var downFailure: String?
    private(set) var downs = 0
    func downNow(timeout: Duration) async throws -> (settled: Bool, instances: [InstanceStatus]) {
        if let downFailure { throw FakeFailure(description: downFailure) }
        lock.withLock { downs += 1 }
        return (true, statuses)
    }
}

struct FakeFailure: Error, CustomStringConvertible { let description: String }

enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func endpoint(_ instance: String, port: Int) -> EndpointDescriptor {
        EndpointDescriptor(instance: instance, managementMode: .managed, protocol: .openaiChatCompletions,
                           baseURL: "http://127.0.0.1:\(port)/v1", providerIdentity: "simulation", modelIdentity: "sim-model",
                           sourceRuntime: "simulation", sourceRuntimeRef: instance, capabilities: ["streaming": .supported(true)])
    }

    static func status(_ name: String, phase: InstancePhase, health: HealthStatus = .healthy, restarts: Int = 0,
                       port: Int = 18080) -> InstanceStatus {
        let record = InstanceRecord(name: name, backend: "simulation", startupKind: .spawned,
                                    fingerprint: SpecFingerprint(fields: ["backend": "simulation"]), port: port,
                                    phase: phase, health: health, message: phase == .ready ? "ready" : "exited 1",
                                    restarts: restarts, endpoint: endpoint(name, port: port))
        return InstanceStatus(record: record, now: now)
    }

    static func consumer(_ name: String, instance: String, ready: Bool, port: Int = 18080) -> ConsumerStatus {
        ConsumerStatus(consumer: name, instance: instance, reason: ready ? .ready : .instanceUnhealthy,
                       message: ready ? "instance \(instance) is Ready" : "instance \(instance) is Failed: exited 1", compatibility: nil,
                       endpoint: ready ? endpoint(instance, port: port) : nil, updatedAt: now)
    }
}
