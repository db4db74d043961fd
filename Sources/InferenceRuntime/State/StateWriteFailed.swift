/// A record or status file could not be written (disk full, read-only, permissions). The instance
/// is then Failed and apply exits 1: a pass never reports success for what it could not record.
public struct StateWriteFailed: Error, Sendable, Equatable, CustomStringConvertible {
    public var underlying: String

    public init(underlying: String) {
        self.underlying = underlying
    }

    public var description: String { "could not write state: \(underlying)" }
}
