import Foundation

/// `DesiredState`'s lookup tables, built once on first use. A reference shared by copies of one
/// state, replaced (not changed) when a list changes: a copy never sees another list's tables.
final class DesiredStateIndex: @unchecked Sendable {
    /// Built once, never changed: a lookup holds one reference to it, not one per table (threads
    /// checking consumers at once would otherwise keep taking the tables' reference counts from each other).
    final class Tables: Sendable {
        /// Name to position of the first instance (or consumer) declared with it.
        let instancePositions: [String: Int]
        let consumerPositions: [String: Int]
        /// Label key, then value, to instance positions in name order.
        let labelPositions: [String: [String: [Int]]]
        /// Every instance position, in name order.
        let positionsByName: [Int]

        init(_ tables: TableParts) {
            instancePositions = tables.instancePositions
            consumerPositions = tables.consumerPositions
            labelPositions = tables.labelPositions
            positionsByName = tables.positionsByName
        }
    }

    struct TableParts {
        var instancePositions: [String: Int] = [:]
        var consumerPositions: [String: Int] = [:]
        var labelPositions: [String: [String: [Int]]] = [:]
        var positionsByName: [Int] = []
    }

    private let lock = NSLock()
    private var built: Tables?

    func tables(_ instances: [InstanceManifest], _ consumers: [ConsumerDefinition]) -> Tables {
        lock.withLock {
            if let built { return built }
            let tables = Tables(Self.build(instances, consumers))
            built = tables
            return tables
        }
    }

    /// Manifests are borrowed from the lists, never copied (each copy retains dozens of references).
    private static func build(_ instances: [InstanceManifest], _ consumers: [ConsumerDefinition]) -> TableParts {
        var tables = TableParts()
        instances.withUnsafeBufferPointer { instances in
            tables.instancePositions.reserveCapacity(instances.count)
            for position in instances.indices where tables.instancePositions[instances[position].name] == nil {
                tables.instancePositions[instances[position].name] = position
            }
            tables.positionsByName = instances.indices.sorted {
                (instances[$0].name, $0) < (instances[$1].name, $1)
            }
            for position in tables.positionsByName {
                for (key, value) in instances[position].metadata.labels {
                    tables.labelPositions[key, default: [:]][value, default: []].append(position)
                }
            }
        }
        consumers.withUnsafeBufferPointer { consumers in
            tables.consumerPositions.reserveCapacity(consumers.count)
            for position in consumers.indices where tables.consumerPositions[consumers[position].name] == nil {
                tables.consumerPositions[consumers[position].name] = position
            }
        }
        return tables
    }
}
