import InferenceModel

/// A compare-and-swap write refused: the record is no longer what the writer read (someone wrote
/// it since, or it appeared, or it went away). Nothing was written; read it again and decide again.
public struct StaleRecord: Error, Sendable, Equatable, CustomStringConvertible {
    public var instance: String
    /// What the writer read (a plan: what it was planned from).
    public var expected: RecordRevision
    /// What the store holds now (nil: a record that cannot be read).
    public var found: RecordRevision?

    public init(instance: String, expected: RecordRevision, found: RecordRevision?) {
        self.instance = instance
        self.expected = expected
        self.found = found
    }

    /// `the state changed since this plan was made (record revision 4, planned from 3); run apply again`.
    public var description: String {
        "the state changed since this plan was made (\(Self.now(found)), planned from \(Self.planned(expected))); run apply again"
    }

    static func now(_ found: RecordRevision?) -> String {
        switch found {
        case nil: "the record cannot be read now"
        case .missing?: "the record is gone"
        case .revision(let number)?: "record revision \(number)"
        }
    }

    static func planned(_ expected: RecordRevision) -> String {
        switch expected {
        case .missing: "no record"
        case .revision(let number): String(number)
        }
    }
}
