import Foundation
import InferenceBackends
import InferenceModel

/// A manifest set's instances in planner form, each with its spec's fingerprint: worked out once,
/// on first use, on every core, and shared by the copies of the set.
final class DesiredInstances: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var computed: (list: [DesiredInstance], byName: [String: DesiredInstance])?

    func get(state: DesiredState, registry: BackendRegistry) -> (list: [DesiredInstance], byName: [String: DesiredInstance]) {
        lock.withLock {
            if let computed { return computed }
            let list = OrderedParallelMap.flatMap(state.instances.count) { range in
                state.instances.withUnsafeBufferPointer { instances in
                    range.compactMap { index in
                        registry.startupKind(for: instances[index].spec).map { DesiredInstance(instances[index], startupKind: $0) }
                    }
                }
            }
            let made = (list, Dictionary(list.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
            computed = made
            return made
        }
    }
}
