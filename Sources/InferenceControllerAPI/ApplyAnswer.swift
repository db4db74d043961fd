import InferenceRuntime

/// The answer of `POST /v1/apply`: whether every key settled in time, and every instance's status.
public struct ApplyAnswer: Codable, Sendable {
    public var settled: Bool
    public var instances: [InstanceStatus]

    public init(settled: Bool, instances: [InstanceStatus]) {
        self.settled = settled
        self.instances = instances
    }
}
