import Foundation
import InferenceModel

/// `down`: stop everything a directory started and mark every status Stopped.
/// Records are kept (phase Stopped), so the next apply knows to start them again.
public struct Shutdown: Sendable {
    public let layout: StateLayout
    public let manifests: ManifestSet?
    public let environment: ReconcileEnvironment

    public init(layout: StateLayout, manifests: ManifestSet?, environment: ReconcileEnvironment = ReconcileEnvironment()) {
        self.layout = layout
        self.manifests = manifests
        self.environment = environment
    }

    public struct Result: Sendable, Equatable {
        public var instance: String
        public var message: String
    }

    public func stopAll() async throws -> [Result] {
        try StateFolder.prepare(layout)
        let store = FileStateStore(layout: layout)
        let writer = StatusWriter(layout: layout)
        let records = try store.loadRecords().filter { $0.phase != .stopped }
        let results = await withTaskGroup(of: Result.self) { group in
            for record in records {
                group.addTask { await stop(record, store: store, writer: writer) }
            }
            var collected: [Result] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.instance < $1.instance }
        }
        if let manifests {
            try Reconciler(manifests: manifests, environment: environment, store: store, statusWriter: writer).writeConsumerStatuses()
        }
        return results
    }

    func stop(_ original: InstanceRecord, store: StateStore, writer: StatusWriting) async -> Result {
        var record = original
        let message: String
        if record.startupKind == .attachExistingService {
            message = "detached (the server is not ours to stop)"
        } else if let identity = record.process {
            let outcome = await environment.terminator.stop(identity, signal: SignalNumbers.number(record.stopSignal),
                                                            gracePeriod: .milliseconds(record.stopGraceMilliseconds ?? 10_000))
            message = "pid \(identity.pid) \(outcome)"
            if outcome != .refusedIdentityMismatch, let status = environment.exitWatcher.exitStatusIfExited(identity) {
                record.lastExit = ExitRecord(status: status.terminationStatus, at: environment.now())
            }
        } else {
            message = "was not running"
        }
        record.health = .unknown
        record.readyAt = nil
        record.phase = .stopped
        record.message = "stopped by inferctl down"
        Conditions.apply(phase: .stopped, reason: "Stopped", message: "stopped by inferctl down", to: &record, now: environment.now())
        try? store.save(record)
        try? writer.write(InstanceStatus(record: record, now: environment.now()))
        return Result(instance: record.name, message: message)
    }
}
