import Foundation
import InferenceModel

/// The consumers an instance's record decides, resolved as that record will be stored: their
/// status files follow the instance at once (an endpoint handed out the moment its server is
/// Ready, withdrawn the moment it is not), not at the end of a pass over every instance.
enum ConsumersOfInstance {
    /// Each consumer that may bind to `record`'s instance, resolved against it and the stored
    /// records of its other candidates (read one by one, none when it names the instance).
    static func statuses(following record: InstanceRecord, manifests: ManifestSet, store: StateStore,
                         now: Date) -> [ConsumerStatus] {
        manifests.state.consumers.compactMap { consumer in
            let candidates = ConsumerBinding.candidates(for: consumer.spec, in: manifests.state).map(\.name)
            guard candidates.contains(record.name) else { return nil }
            var records = [record.name: record]
            for name in candidates where name != record.name {
                if let other = store.loadRecord(name).record { records[name] = other }
            }
            return ConsumerResolution.status(for: consumer, manifests: manifests, records: records, now: now)
        }
    }
}
