import Foundation
import InferenceModel

/// One thing that happened to an instance (or to the controller), Kubernetes-style: a line of
/// `.inferctl/events.jsonl` and a `data:` line of the API's event stream. A repeat of the same
/// type, reason, object and message within a short window raises `count` and `lastTime`
/// instead of making another event.
public struct ControllerEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Progress: started, ready, stopped, manifests reloaded.
        case normal = "Normal"
        /// Something failed or needs attention: an exit, a failed check, a crash loop, bad manifests.
        case warning = "Warning"
    }

    public var type: Kind
    public var reason: ConditionReason
    public var message: String
    /// The instance it is about; absent for the controller's own events (manifest reloads).
    public var object: String?
    public var firstTime: Date
    public var lastTime: Date
    public var count: Int

    public init(type: Kind, reason: ConditionReason, message: String, object: String?,
                firstTime: Date, lastTime: Date, count: Int = 1) {
        self.type = type
        self.reason = reason
        self.message = message
        self.object = object
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.count = count
    }

    enum CodingKeys: String, CodingKey {
        case type, reason, message, object, count
        case firstTime = "first_time"
        case lastTime = "last_time"
    }

    /// What makes two events "the same" for counting repeats.
    struct Identity: Hashable {
        let type: Kind
        let reason: ConditionReason
        let object: String?
        let message: String
    }

    var identity: Identity { Identity(type: type, reason: reason, object: object, message: message) }
}
