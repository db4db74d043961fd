import Foundation
import InferenceModel

/// `down`: stop everything a directory started and mark every status Stopped.
/// Records are kept (phase Stopped), so the next apply knows to start them again.
public struct Shutdown: Sendable {
    public let folder: StateFolder
    public let manifests: ManifestSet?
    public let environment: ReconcileEnvironment

    public init(folder: StateFolder, manifests: ManifestSet?, environment: ReconcileEnvironment = ReconcileEnvironment()) {
        self.folder = folder
        self.manifests = manifests
        self.environment = environment
    }

    public struct Result: Sendable, Equatable, Codable {
        public var instance: String
        public var message: String
        /// False when its stopped state could not be written.
        public var recorded: Bool = true

        public init(instance: String, message: String, recorded: Bool = true) {
            self.instance = instance
            self.message = message
            self.recorded = recorded
        }
    }

    /// The text every stopped instance carries in its status.
    public static let stoppedMessage = "stopped by inferctl down"

    /// `holding`: set the down hold first (`inferctl down`), so no controller starts them again
    /// before the next apply; `watch --stop-on-exit` stops without holding.
    public func stopAll(holding: Bool) async throws -> [Result] {
        if holding { try DownHold.set(folder.layout, now: environment.now()) }
        let store = FileStateStore(layout: folder.layout)
        let writer = StatusWriter(layout: folder.layout)
        let records = ((try? store.loadRecords()) ?? []).filter { $0.phase != .stopped }
        var results = await withTaskGroup(of: Result.self) { group in
            for record in records {
                group.addTask { await stop(record, store: store, writer: writer) }
            }
            var collected: [Result] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.instance < $1.instance }
        }
        if let manifests {
            do {
                try Reconciler(manifests: manifests, folder: folder, environment: environment, store: store, statusWriter: writer)
                    .writeConsumerStatuses()
            } catch {
                results.append(Result(instance: "(consumers)", message: "could not write consumer status: \(error)", recorded: false))
            }
        }
        return results
    }

    /// Stops one instance's server (an attachment is only forgotten) and records it Stopped.
    public func stop(_ original: InstanceRecord, store: StateStore, writer: StatusWriting) async -> Result {
        var record = original
        let message: String
        if record.startupKind == .attachExistingService {
            message = "detached (the server is not ours to stop)"
        } else {
            let stopped = await RecordedServerStop(folder: folder, host: environment.host).stop(record)
            message = stopped?.message ?? "was not running"
            if let exit = stopped?.exit { record.lastExit = ExitRecord(status: exit.terminationStatus, at: environment.now()) }
        }
        record.health = .unknown
        record.readyAt = nil
        record.phase = .stopped
        record.surge = nil
        record.retiring = nil
        record.spawnToken = record.process == nil ? nil : record.spawnToken
        record.message = Self.stoppedMessage
        Conditions.apply(phase: .stopped, reason: .stopped, message: Self.stoppedMessage, to: &record, now: environment.now())
        do {
            try store.save(record)
            try writer.write(InstanceStatus(record: record, now: environment.now()))
        } catch {
            return Result(instance: record.name, message: "\(message); could not record it: \(error)", recorded: false)
        }
        return Result(instance: record.name, message: message, recorded: true)
    }
}
