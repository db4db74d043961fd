import Foundation
import InferenceModel

/// The record revision one instance's run last read or wrote. Each of its saves is a
/// compare-and-swap on it, so a run never overwrites what someone else wrote meanwhile.
final class RevisionCursor: @unchecked Sendable {
    private let lock = NSLock()
    private var value: RecordRevision

    init(_ start: RecordRevision) {
        value = start
    }

    var current: RecordRevision {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

extension ActionPayload {
    /// Why this may not be carried out: `current` (the record as read before acting) is not the one
    /// it was planned from. Nil when it is.
    func staleness(of instance: String, current: InstanceRecord?) -> StaleRecord? {
        let found: RecordRevision = current.map { .revision($0.revision) } ?? .missing
        return found == recordRevision ? nil : StaleRecord(instance: instance, expected: recordRevision, found: found)
    }
}
