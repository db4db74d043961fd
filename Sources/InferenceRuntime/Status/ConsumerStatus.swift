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
    /// Why it is ready or not, for scripts; `message` says the same for people.
    public var reason: ConsumerReason
    public var message: String
    public var compatibility: CompatibilityResult?
    /// Present only when `ready`: a consumer is never handed a server that is not serving.
    public var endpoint: EndpointDescriptor?
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, consumer, instance, ready, reason, message, compatibility, endpoint
        case updatedAt = "updated_at"
    }

    public init(consumer: String, instance: String?, reason: ConsumerReason, message: String,
                compatibility: CompatibilityResult?, endpoint: EndpointDescriptor?, updatedAt: Date) {
        self.consumer = consumer
        self.instance = instance
        self.ready = reason == .ready
        self.reason = reason
        self.message = message
        self.compatibility = compatibility
        self.endpoint = reason == .ready ? endpoint : nil
        self.updatedAt = updatedAt
    }

    /// What `inferctl endpoint` and the API's 409 say when it is not ready.
    public var notReadyExplanation: String {
        "consumer \(consumer) is not ready (\(reason.rawValue)): \(message)"
    }
}
