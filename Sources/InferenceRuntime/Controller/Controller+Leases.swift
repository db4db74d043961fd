import Foundation
import InferenceModel

/// Leases are one more input of the work queue: taking one wakes its instance's key (an
/// on-demand instance starts), a release or an expiry wakes it again (its idle time starts),
/// and the idle deadline is a timer like the health interval.
extension Controller {
    /// `POST /v1/leases`: compatibility first, a lease, then the key reconciled through the
    /// queue (fifty concurrent calls for one instance start it once) and waited for.
    public func ensure(_ request: EnsureRequest) async throws(EnsureFailure) -> EnsuredEndpoint {
        if let hold = downHold { throw .heldDown("\(layout.manifestDirectory) is \(hold.description)") }
        let manifests = currentManifests
        let store = FileStateStore(layout: layout)
        let records = Dictionary(((try? store.loadRecords()) ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let choice = try EnsureSelection.choose(request.consumer, manifests: manifests, records: records)
        let lease = try EndpointEnsurer.acquire(request, instance: choice.instance, layout: layout, now: environment.now())
        event(.normal, .leaseAcquired, choice.instance, "lease \(lease.leaseRef) for \(request.owner) (consumer \(request.consumer))")

        let key = choice.instance
        let before = completedReconciles(of: key)
        let deadline = ContinuousClock.now + .milliseconds(Int64(request.waitMilliseconds))
        await queue.add(key)
        let observer = Observer(folder: folderInForce, host: environment.host)
        while true {
            let record = store.loadRecord(key).record.map { LiveStatus.corrected($0, observer: observer) }
            if let record, record.phase == .ready, var endpoint = record.endpoint {
                endpoint.leaseRef = lease.leaseRef
                return EnsuredEndpoint(endpoint: endpoint, compatibility: choice.compatibility, lease: lease)
            }
            // Reconciled since the lease was taken, and still not ready: that is its answer, unless it
            // waits for room in its residency group, which a lease ending may free before the deadline.
            let waitingForRoom = roomWait(of: key)
            let answered = completedReconciles(of: key) > before && !(record?.phase == .starting) && waitingForRoom == nil
            if answered || ContinuousClock.now >= deadline || Task.isCancelled {
                _ = try? LeaseLedger(layout: layout).release(lease.leaseRef, now: environment.now())
                await queue.add(key)
                let why = answered ? record?.message ?? "not started" : waitingForRoom ?? "not ready within \(request.waitMilliseconds) ms"
                throw .notReady(instance: key, phase: record?.phase ?? .pending, message: why)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `POST /v1/leases/{ref}/renew`.
    public func renewLease(_ reference: String, ttlMilliseconds: Int?) throws -> Lease {
        try LeaseLedger(layout: layout).renew(reference, ttlMilliseconds: ttlMilliseconds, now: environment.now())
    }

    /// `DELETE /v1/leases/{ref}`: its instance's key is woken (its idle time starts now).
    public func releaseLease(_ reference: String) async throws -> Lease {
        let lease = try LeaseLedger(layout: layout).release(reference, now: environment.now())
        event(.normal, .leaseReleased, lease.instance, "lease \(reference) of \(lease.ownerRef) released")
        await queue.add(lease.instance)
        await wakeRoomWaiters()
        return lease
    }

    /// A start that found no room is tried again when a lease ends (release, expiry), and every
    /// few seconds meanwhile (a member may stop or be edited out). Returns whether `key` waits.
    func waitForRoom(_ key: String, action: PlannedAction?) async -> Bool {
        let waiting = action?.insufficientCapacity == true
        let changed = setRoomWait(key, waiting ? action?.reason : nil)
        guard waiting, let action else { return false }
        if changed { event(.warning, .insufficientCapacity, key, action.reason) }
        await queue.add(key, after: .seconds(2))
        return true
    }

    func wakeRoomWaiters() async {
        for key in roomWaitKeys { await queue.add(key) }
    }

    /// Expired leases of one instance are dropped by its own reconcile (never another key's files).
    func expireLeases(of key: String) {
        guard let expired = try? LeaseLedger(layout: layout).expire(now: environment.now(), instance: key) else { return }
        for lease in expired {
            log("\(key): lease \(lease.leaseRef) of \(lease.ownerRef) expired")
            event(.normal, .leaseExpired, key, "lease \(lease.leaseRef) of \(lease.ownerRef) expired")
        }
    }

    /// The key comes back when its next lease expires and when it would be stopped for idleness.
    func scheduleLeaseTimers(_ key: String, action: PlannedAction?) async {
        let now = environment.now()
        var wake = LeaseStore(layout: layout).leases().filter { $0.instance == key }.map(\.expiresAt)
        if let idle = action?.idleStopAt { wake.append(idle) }
        guard let next = wake.min() else { return }
        await queue.add(key, after: .milliseconds(max(1, Int64(next.timeIntervalSince(now) * 1000) + 1)))
    }
}
