import Foundation
import InferenceModel

/// Where everything of ours lives, next to the user's manifests:
///
///     manifests/
///       <name>.instance.status.json   public status, written atomically
///       <name>.consumer.status.json
///       .inferctl/
///         lock                        held by apply/down/watch
///         instances/<name>.json       our private records (pid, start time, spec hash, port…)
///         logs/<name>.log             each managed server's stdout and stderr
///         events.jsonl                the controller's events (`watch`), rotated to events.jsonl.1
///         api.sock                    the controller's API, while `watch` runs
///         held-down.json              set by `down`, cleared by `apply`: a controller starts nothing
///         leases/<lease_ref>.json     live claims on instances (`ensure`)
public struct StateLayout: Sendable, Equatable {
    public let manifestDirectory: String

    /// The directory is made absolute, so recorded paths (logs, working directory) mean the same thing
    /// whichever directory a later command is run from.
    public init(manifestDirectory: String) {
        self.manifestDirectory = Self.absolute(manifestDirectory)
    }

    static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    public var stateDirectory: String { join(manifestDirectory, ".inferctl") }
    public var lockPath: String { join(stateDirectory, "lock") }
    public var recordsDirectory: String { join(stateDirectory, "instances") }
    public var logsDirectory: String { join(stateDirectory, "logs") }
    public var eventsPath: String { join(stateDirectory, "events.jsonl") }
    public var apiSocketPath: String { join(stateDirectory, "api.sock") }
    public var identityPath: String { join(stateDirectory, "identity.json") }
    public var downHoldPath: String { join(stateDirectory, "held-down.json") }
    public var leasesDirectory: String { join(stateDirectory, "leases") }
    /// Only for references `LeaseRules.isValidReference` accepts (they cannot leave the folder).
    public func leasePath(_ reference: String) -> String { join(leasesDirectory, "\(Self.fileComponent(reference)).json") }

    /// When the instance's last lease ended: its own small file, so that writing it never races
    /// with a reconcile writing the record.
    public func leaseEndedPath(_ instance: String) -> String { join(recordsDirectory, "\(Self.fileComponent(instance)).lease-ended") }
    public func recordPath(_ instance: String) -> String { join(recordsDirectory, "\(Self.fileComponent(instance)).json") }
    public func logPath(_ instance: String) -> String { join(logsDirectory, "\(Self.fileComponent(instance)).log") }
    public func instanceStatusPath(_ instance: String) -> String {
        join(manifestDirectory, "\(Self.fileComponent(instance)).instance.status.json")
    }
    public func consumerStatusPath(_ consumer: String) -> String {
        join(manifestDirectory, "\(Self.fileComponent(consumer)).consumer.status.json")
    }

    /// A name as one path component that always stays inside its folder. Valid names (the only ones
    /// validation lets through) are used as they are; anything else (`../x`, `a/b`) is hex-encoded,
    /// so even a bug upstream cannot make a path leave the folder.
    static func fileComponent(_ name: String) -> String {
        if ResourceName.isValid(name) { return name }
        return "invalid-" + name.utf8.prefix(64).map { String($0, radix: 16) }.joined()
    }

    private func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
