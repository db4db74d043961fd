import InferenceModel

/// Everything `wait` knows about one instance at one moment. Gathered by the caller (files, records,
/// /proc), judged by `WaitDecision` without any I/O, so every case can be tested with values.
public struct WaitObservation: Sendable, Equatable {
    public var name: String
    /// The spec hash of the instance's manifest as it is now; nil when no manifest declares it.
    public var declaredGeneration: String?
    /// `<name>.instance.status.json`, as the controller last published it.
    public var published: PublishedStatus
    /// The record as `inferctl status` shows it: checked against /proc, so a recorded process that has
    /// died shows as `Failed`. Nil when there is no (readable) record.
    public var live: InstanceStatus?
    /// Why the record cannot be read, when one exists that cannot.
    public var unreadableRecord: String?

    public init(name: String, declaredGeneration: String? = nil, published: PublishedStatus, live: InstanceStatus? = nil,
                unreadableRecord: String? = nil) {
        self.name = name
        self.declaredGeneration = declaredGeneration
        self.published = published
        self.live = live
        self.unreadableRecord = unreadableRecord
    }
}
