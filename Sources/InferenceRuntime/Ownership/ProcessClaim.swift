/// A recorded process together with the spawn token we gave it. The process is ours only if
/// pid, start time and boot id match *and* its environment still holds the token: a forged
/// record (someone else's pid and start time) or a copied state folder cannot produce that.
public struct ProcessClaim: Sendable, Hashable, CustomStringConvertible {
    public var identity: ProcessIdentity
    public var token: String

    public init(identity: ProcessIdentity, token: String) {
        self.identity = identity
        self.token = token
    }

    /// The exact `/proc/PID/environ` entry that proves the claim.
    public var environmentEntry: String { "\(StateFolder.tokenVariable)=\(token)" }

    public var description: String { identity.description }
}
