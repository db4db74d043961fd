/// Everything the manifest directory asks for, after loading and before planning.
///
/// Lookups by name and by label go through an index built on first use and dropped whenever a
/// list changes, so validating and planning stay linear in the number of manifests.
public struct DesiredState: Codable, Sendable, Equatable {
    public var backends: [BackendDefinition]
    public var instances: [InstanceManifest] { didSet { index = DesiredStateIndex() } }
    public var consumers: [ConsumerDefinition] { didSet { index = DesiredStateIndex() } }
    public var residencyGroups: [ResidencyGroupDefinition]
    private var index = DesiredStateIndex()

    public init(backends: [BackendDefinition] = [], instances: [InstanceManifest] = [], consumers: [ConsumerDefinition] = [],
                residencyGroups: [ResidencyGroupDefinition] = []) {
        self.backends = backends
        self.instances = instances
        self.consumers = consumers
        self.residencyGroups = residencyGroups
    }

    /// The first instance declared with this name.
    public func instance(named name: String) -> InstanceManifest? {
        index.tables(instances, consumers).instancePositions[name].map { instances[$0] }
    }

    /// The first consumer declared with this name.
    public func consumer(named name: String) -> ConsumerDefinition? {
        index.tables(instances, consumers).consumerPositions[name].map { consumers[$0] }
    }

    /// Instances whose labels include every pair of `selector`, sorted by name.
    public func instances(matching selector: [String: String]) -> [InstanceManifest] {
        let tables = index.tables(instances, consumers)
        let postings = selector.map { tables.labelPositions[$0.key]?[$0.value] ?? [] }
        // Start from the rarest label; the others are checked on those few instances only.
        let start = postings.min { $0.count < $1.count } ?? tables.positionsByName
        return start.map { instances[$0] }.filter { instance in
            selector.allSatisfy { instance.metadata.labels[$0.key] == $0.value }
        }
    }

    enum CodingKeys: String, CodingKey {
        case backends, instances, consumers
        case residencyGroups = "residency_groups"
    }

    public static func == (lhs: DesiredState, rhs: DesiredState) -> Bool {
        lhs.backends == rhs.backends && lhs.instances == rhs.instances && lhs.consumers == rhs.consumers
            && lhs.residencyGroups == rhs.residencyGroups
    }
}
