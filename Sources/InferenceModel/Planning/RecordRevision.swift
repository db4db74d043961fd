/// Which state of an instance's record something was read from, or a write expects: no record at
/// all, or the record at a revision. A compare-and-swap write names one; "no record" is a state too,
/// so a plan made before a record existed is refused once one does.
public enum RecordRevision: Sendable, Hashable, CustomStringConvertible {
    case missing
    case revision(Int)

    public var description: String {
        switch self {
        case .missing: "no record"
        case .revision(let number): "record revision \(number)"
        }
    }
}
