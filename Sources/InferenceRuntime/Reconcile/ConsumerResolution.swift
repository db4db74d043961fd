import Foundation
import InferenceBackends
import InferenceModel

/// Picks the instance a consumer gets and checks it is compatible with it.
enum ConsumerResolution {
    static func status(for consumer: ConsumerDefinition, manifests: ManifestSet, records: [String: InstanceRecord],
                       now: Date) -> ConsumerStatus {
        let candidates = ConsumerBinding.candidates(for: consumer.spec, in: manifests.state)
        var fallback: ConsumerStatus?
        for instance in candidates {
            guard var backend = manifests.registry.manifest(for: instance.spec) else { continue }
            let record = records[instance.name]
            if let learned = record?.discoveredCapabilities { backend.capabilities.merge(learned) { $1 } }
            let result = Compatibility.check(consumer: consumer.manifest, backend: backend)
            let ready = record?.phase == .ready
            let message: String
            if !result.compatible {
                message = "incompatible with instance \(instance.name): "
                    + result.missingRequirements.map(\.explanation).joined(separator: "; ")
            } else if ready {
                message = "ready"
            } else {
                message = "instance \(instance.name) is \(record?.phase.rawValue ?? "not started")"
                    + (record?.message.map { ": \($0)" } ?? "")
            }
            let status = ConsumerStatus(consumer: consumer.name, instance: instance.name, ready: ready && result.compatible,
                                        message: message, compatibility: result,
                                        endpoint: result.compatible ? record?.endpoint : nil, updatedAt: now)
            if status.ready { return status }
            if fallback == nil { fallback = status }
        }
        return fallback ?? ConsumerStatus(consumer: consumer.name, instance: nil, ready: false,
                                          message: "no instance matches this consumer", compatibility: nil,
                                          endpoint: nil, updatedAt: now)
    }
}
