import Foundation
import InferenceModel

/// What a reader of a running controller sees (its API): the same view as `inferctl status`
/// (records as recovery would leave them, checked against /proc now), and each consumer
/// resolved against that view rather than against records that may be stale.
public struct LiveState: Sendable {
    public let records: [InstanceRecord]
    public let statuses: [InstanceStatus]
    public let now: Date

    /// Reads the state folder and /proc; writes and stops nothing.
    public static func read(_ layout: StateLayout, host: any ProcessHost = LocalProcessHost(), now: Date = Date()) -> LiveState {
        let state = PreparedState.inspect(layout, host: host, now: now)
        let observer = Observer(folder: state.folder, host: host)
        let records = state.records.map { LiveStatus.corrected($0, observer: observer) }
        return LiveState(records: records, statuses: records.map { InstanceStatus(record: $0, now: now) }, now: now)
    }

    public func status(of instance: String) -> InstanceStatus? {
        statuses.first { $0.name == instance }
    }

    /// The consumer's resolved status under `manifests`, or nil when no such consumer is declared.
    public func consumer(_ name: String, manifests: ManifestSet) -> ConsumerStatus? {
        guard let consumer = manifests.state.consumer(named: name) else { return nil }
        let byName = Dictionary(records.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return ConsumerResolution.status(for: consumer, manifests: manifests, records: byName, now: now)
    }
}
