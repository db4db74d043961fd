/// Everything the manifest directory asks for, after loading and before planning.
public struct DesiredState: Codable, Sendable, Equatable {
    public var backends: [BackendDefinition]
    public var instances: [InstanceManifest]
    public var consumers: [ConsumerDefinition]

    public init(backends: [BackendDefinition] = [], instances: [InstanceManifest] = [], consumers: [ConsumerDefinition] = []) {
        self.backends = backends
        self.instances = instances
        self.consumers = consumers
    }

    public func instance(named name: String) -> InstanceManifest? {
        instances.first { $0.name == name }
    }

    public func consumer(named name: String) -> ConsumerDefinition? {
        consumers.first { $0.name == name }
    }
}
