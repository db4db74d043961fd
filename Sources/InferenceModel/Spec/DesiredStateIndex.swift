import Foundation

/// `DesiredState`'s lookup tables, built once on first use. A reference shared by copies of one
/// state, replaced (not changed) when a list changes: a copy never sees another list's tables.
final class DesiredStateIndex: @unchecked Sendable {
    struct Tables {
        /// Name to position of the first instance (or consumer) declared with it.
        var instancePositions: [String: Int] = [:]
        var consumerPositions: [String: Int] = [:]
        /// Label key, then value, to instance positions in name order.
        var labelPositions: [String: [String: [Int]]] = [:]
        /// Every instance position, in name order.
        var positionsByName: [Int] = []
    }

    private let lock = NSLock()
    private var built: Tables?

    func tables(_ instances: [InstanceManifest], _ consumers: [ConsumerDefinition]) -> Tables {
        lock.withLock {
            if let built { return built }
            let tables = Self.build(instances, consumers)
            built = tables
            return tables
        }
    }

    private static func build(_ instances: [InstanceManifest], _ consumers: [ConsumerDefinition]) -> Tables {
        var tables = Tables()
        tables.instancePositions.reserveCapacity(instances.count)
        for (position, instance) in instances.enumerated() where tables.instancePositions[instance.name] == nil {
            tables.instancePositions[instance.name] = position
        }
        tables.consumerPositions.reserveCapacity(consumers.count)
        for (position, consumer) in consumers.enumerated() where tables.consumerPositions[consumer.name] == nil {
            tables.consumerPositions[consumer.name] = position
        }
        tables.positionsByName = instances.indices.sorted { (instances[$0].name, $0) < (instances[$1].name, $1) }
        for position in tables.positionsByName {
            for (key, value) in instances[position].metadata.labels {
                tables.labelPositions[key, default: [:]][value, default: []].append(position)
            }
        }
        return tables
    }
}
