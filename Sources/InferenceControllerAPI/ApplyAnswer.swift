import InferenceRuntime

/// The answer of `POST /v1/apply` and `POST /v1/down`: whether every key settled in time, and
/// every instance's status afterwards.
public struct ApplyAnswer: Codable, Sendable {
    public var settled: Bool
    public var instances: [InstanceStatus]

    public init(settled: Bool, instances: [InstanceStatus]) {
        self.settled = settled
        self.instances = instances
    }
}
