import Foundation
import InferenceModel

/// Writes status files atomically next to the manifests. A protocol so tests can watch what is written.
public protocol StatusWriting: Sendable {
    func write(_ status: InstanceStatus) throws
    func write(_ status: ConsumerStatus) throws
    func removeInstanceStatus(_ name: String) throws
    func removeConsumerStatus(_ name: String) throws
    /// The first half of a write (its slow part, the fsync), so statuses can be made ready while
    /// the record they follow is still being written, and put in place right after it.
    func prepare(_ status: InstanceStatus) throws -> StatusPublication
    func prepare(_ status: ConsumerStatus) throws -> StatusPublication
}

extension StatusWriting {
    /// Writers without a slow half write when committed.
    public func prepare(_ status: InstanceStatus) throws -> StatusPublication {
        StatusPublication(commit: { try write(status) }, discard: {})
    }

    public func prepare(_ status: ConsumerStatus) throws -> StatusPublication {
        StatusPublication(commit: { try write(status) }, discard: {})
    }
}

/// A status write made ready: `commit` puts it in place, `discard` drops it (the record it
/// follows could not be written).
public struct StatusPublication: Sendable {
    let commit: @Sendable () throws -> Void
    let discard: @Sendable () -> Void

    static let nothing = StatusPublication(commit: {}, discard: {})

    /// Commits each in order; after a failure the others are dropped (no temp file is left behind).
    static func commitAll(_ publications: [StatusPublication]) throws {
        for (index, publication) in publications.enumerated() {
            do {
                try publication.commit()
            } catch {
                publications[(index + 1)...].forEach { $0.discard() }
                throw error
            }
        }
    }
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

    public func prepare(_ status: InstanceStatus) throws -> StatusPublication {
        Self.publication(try QuietWriter.prepare(status, to: layout.instanceStatusPath(status.name), ignoring: \.updatedAt))
    }

    public func prepare(_ status: ConsumerStatus) throws -> StatusPublication {
        Self.publication(try QuietWriter.prepare(status, to: layout.consumerStatusPath(status.consumer), ignoring: \.updatedAt))
    }

    static func publication(_ pending: QuietWriter.Pending?) -> StatusPublication {
        guard let pending else { return .nothing }
        return StatusPublication(commit: { try pending.commit() }, discard: { pending.discard() })
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
