import Foundation
import InferenceModel

/// Which instance a consumer's `ensure` takes a lease on: compatibility first, before anything
/// starts; among compatible candidates a ready one, else the first by name.
public enum EnsureSelection {
    public struct Choice: Sendable {
        public var instance: String
        public var compatibility: CompatibilityResult
    }

    public static func choose(_ consumerName: String, manifests: ManifestSet,
                              records: [String: InstanceRecord]) throws(EnsureFailure) -> Choice {
        guard let consumer = manifests.state.consumer(named: consumerName) else {
            throw .unknownConsumer(consumerName)
        }
        let candidates = ConsumerBinding.candidates(for: consumer.spec, in: manifests.state)
        guard !candidates.isEmpty else { throw .noInstance(consumer: consumerName) }
        var compatible: [Choice] = []
        var refused: [String: CompatibilityResult] = [:]
        for instance in candidates {
            guard var backend = manifests.registry.manifest(for: instance.spec) else { continue }
            if let learned = records[instance.name]?.discoveredCapabilities { backend.capabilities.merge(learned) { $1 } }
            let result = Compatibility.check(consumer: consumer.manifest, backend: backend)
            if result.compatible { compatible.append(Choice(instance: instance.name, compatibility: result)) } else { refused[instance.name] = result }
        }
        guard !compatible.isEmpty else { throw .incompatible(consumer: consumerName, candidates: refused) }
        return compatible.first { records[$0.instance]?.phase == .ready } ?? compatible[0]
    }
}
