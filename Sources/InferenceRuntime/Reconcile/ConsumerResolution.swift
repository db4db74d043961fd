import Foundation
import InferenceBackends
import InferenceModel

/// Picks the instance a consumer gets and checks it is compatible with it. The endpoint is
/// handed out only when that instance is ready now; otherwise the status says why not.
enum ConsumerResolution {
    static func status(for consumer: ConsumerDefinition, manifests: ManifestSet, records: [String: InstanceRecord],
                       now: Date) -> ConsumerStatus {
        let candidates = ConsumerBinding.candidates(for: consumer.spec, in: manifests.state).compactMap { instance in
            resolve(consumer, on: instance, manifests: manifests, record: records[instance.name], now: now)
        }
        // The first ready one; failing that, the first it could use once ready, so the status says
        // what it waits for rather than why another instance will never do.
        return candidates.first(where: \.ready) ?? candidates.first { $0.reason != .incompatible } ?? candidates.first
            ?? ConsumerStatus(consumer: consumer.name, instance: nil, reason: .noMatchingInstance,
                              message: noMatchMessage(consumer.spec), compatibility: nil, endpoint: nil, updatedAt: now)
    }

    /// The consumer on one instance; nil when the instance has no usable backend (validation says so).
    static func resolve(_ consumer: ConsumerDefinition, on instance: InstanceManifest, manifests: ManifestSet,
                        record: InstanceRecord?, now: Date) -> ConsumerStatus? {
        guard var backend = manifests.registry.manifest(for: instance.spec) else { return nil }
        if let learned = record?.discoveredCapabilities { backend.capabilities.merge(learned) { $1 } }
        let result = Compatibility.check(consumer: consumer.manifest, backend: backend)
        var reason = ConsumerReason(compatible: result.compatible, phase: record?.phase, health: record?.health ?? .unknown,
                                    activation: instance.spec.activation.mode)
        if reason == .ready && record?.endpoint == nil { reason = .waitingForInstance }
        return ConsumerStatus(consumer: consumer.name, instance: instance.name, reason: reason,
                              message: message(reason, instance: instance.name, record: record, compatibility: result),
                              compatibility: result, endpoint: record?.endpoint, updatedAt: now)
    }

    static func message(_ reason: ConsumerReason, instance: String, record: InstanceRecord?,
                        compatibility: CompatibilityResult) -> String {
        switch reason {
        case .ready:
            return "instance \(instance) is Ready"
        case .incompatible:
            return "incompatible with instance \(instance): "
                + compatibility.missingRequirements.map(\.explanation).joined(separator: "; ")
        case .idle:
            return "instance \(instance) is idle (activation OnDemand)"
        case .instanceUnhealthy where record?.phase == .ready:
            let why = record?.conditions.first { $0.type == "Healthy" }?.message ?? "no answer"
            return "instance \(instance) does not answer its health checks: \(why)"
        case .waitingForInstance where record?.phase == .ready:
            return "instance \(instance) is Ready but has published no endpoint yet"
        case .waitingForInstance, .instanceUnhealthy, .noMatchingInstance:
            return "instance \(instance) is \(record?.phase.rawValue ?? "not started")" + (record?.message.map { ": \($0)" } ?? "")
        }
    }

    static func noMatchMessage(_ spec: ConsumerSpec) -> String {
        if let name = spec.instance { return "no instance named \(name) is declared" }
        let selector = (spec.selector ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return "no instance matches selector \(selector)"
    }
}
