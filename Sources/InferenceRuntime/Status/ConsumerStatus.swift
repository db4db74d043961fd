import Foundation
import InferenceModel

/// The public status file `<name>.consumer.status.json`: the endpoint a consumer should use,
/// and whether it is compatible with what it gets.
public struct ConsumerStatus: Codable, Sendable, Equatable {
    public var apiVersion: String = "inference.selfhosted/v1"
    public var kind: String = "ConsumerStatus"
    public var consumer: String
    public var instance: String?
    /// True when the instance is ready and compatible: `endpoint` is then safe to use.
    public var ready: Bool
    public var message: String
    public var compatibility: CompatibilityResult?
    public var endpoint: EndpointDescriptor?
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, consumer, instance, ready, message, compatibility, endpoint
        case updatedAt = "updated_at"
    }

    public init(consumer: String, instance: String?, ready: Bool, message: String,
                compatibility: CompatibilityResult?, endpoint: EndpointDescriptor?, updatedAt: Date) {
        self.consumer = consumer
        self.instance = instance
        self.ready = ready
        self.message = message
        self.compatibility = compatibility
        self.endpoint = endpoint
        self.updatedAt = updatedAt
    }
}
