import Foundation
import InferenceModel

/// Writes status files atomically next to the manifests. A protocol so tests can watch what is written.
public protocol StatusWriting: Sendable {
    func write(_ status: InstanceStatus) throws
    func write(_ status: ConsumerStatus) throws
    func removeInstanceStatus(_ name: String) throws
    func removeConsumerStatus(_ name: String) throws
}

public struct StatusWriter: StatusWriting {
    public let layout: StateLayout

    public init(layout: StateLayout) {
        self.layout = layout
    }

    public func write(_ status: InstanceStatus) throws {
        try QuietWriter.write(status, to: layout.instanceStatusPath(status.name), ignoring: \.updatedAt)
    }

    public func write(_ status: ConsumerStatus) throws {
        try QuietWriter.write(status, to: layout.consumerStatusPath(status.consumer), ignoring: \.updatedAt)
    }

    public func removeInstanceStatus(_ name: String) throws {
        try removeIfPresent(layout.instanceStatusPath(name))
    }

    public func removeConsumerStatus(_ name: String) throws {
        try removeIfPresent(layout.consumerStatusPath(name))
    }

    private func removeIfPresent(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }
}
