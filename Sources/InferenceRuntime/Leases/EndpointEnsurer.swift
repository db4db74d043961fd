import Foundation
import InferenceModel

/// `ensure` without a controller, under the directory lock: compatibility first, then a lease
/// (the lease is what makes an on-demand instance wanted), then the instance reconciled now and
/// waited for. Whatever fails leaves no lease behind.
public struct EndpointEnsurer: Sendable {
    public let manifests: ManifestSet
    public let folder: StateFolder
    public let environment: ReconcileEnvironment

    public init(manifests: ManifestSet, folder: StateFolder, environment: ReconcileEnvironment = ReconcileEnvironment()) {
        self.manifests = manifests
        self.folder = folder
        self.environment = environment
    }

    public func ensure(_ request: EnsureRequest) async throws(EnsureFailure) -> EnsuredEndpoint {
        let layout = manifests.layout
        if let hold = DownHold.read(layout) { throw .heldDown("\(layout.manifestDirectory) is \(hold.description)") }
        let reconciler = Reconciler(manifests: manifests, folder: folder, environment: environment)
        let records = Dictionary(((try? reconciler.store.loadRecords()) ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let choice = try EnsureSelection.choose(request.consumer, manifests: manifests, records: records)
        let lease = try Self.acquire(request, instance: choice.instance, layout: layout, now: environment.now())

        let options = ApplyOptions(wait: true, timeout: .milliseconds(Int64(request.waitMilliseconds)))
        let deadline = environment.now().addingTimeInterval(Double(request.waitMilliseconds) / 1000)
        var (action, _) = await reconciler.reconcileOne(choice.instance, options: options) { _ in }
        // No room in its residency group: the leases holding it may expire before the deadline
        // (no one else can release one while this command holds the directory lock).
        while let blocked = action, blocked.insufficientCapacity {
            let expiries = LeaseStore(layout: layout).leases().filter { blocked.heldBy.contains($0.leaseRef) }.map(\.expiresAt)
            guard let next = expiries.filter({ $0 < deadline }).min() else {
                _ = try? LeaseLedger(layout: layout).release(lease.leaseRef, now: environment.now())
                throw .notReady(instance: choice.instance, phase: .pending, message: blocked.reason)
            }
            try? await Task.sleep(for: .milliseconds(max(1, Int64(next.timeIntervalSince(environment.now()) * 1000) + 5)))
            (action, _) = await reconciler.reconcileOne(choice.instance, options: options) { _ in }
        }
        _ = try? reconciler.writeConsumerStatuses()
        let record = reconciler.store.loadRecord(choice.instance).record
        let live = record.map { LiveStatus.corrected($0, observer: Observer(folder: folder, host: environment.host)) }
        guard let live, live.phase == .ready, var endpoint = live.endpoint else {
            _ = try? LeaseLedger(layout: layout).release(lease.leaseRef, now: environment.now())
            throw .notReady(instance: choice.instance, phase: live?.phase ?? .pending, message: live?.message ?? "not started")
        }
        endpoint.leaseRef = lease.leaseRef
        return EnsuredEndpoint(endpoint: endpoint, compatibility: choice.compatibility, lease: lease)
    }

    static func acquire(_ request: EnsureRequest, instance: String, layout: StateLayout, now: Date) throws(EnsureFailure) -> Lease {
        do {
            return try LeaseLedger(layout: layout).acquire(consumer: request.consumer, instance: instance, owner: request.owner,
                                                           ttlMilliseconds: request.ttlMilliseconds, renewable: request.renewable, now: now)
        } catch let failure as LeaseLedger.Failure {
            throw .invalid(failure.description)
        } catch {
            throw .stateWriteFailed("\(error)")
        }
    }
}
