import Foundation
import InferenceModel

/// Taking, renewing, releasing and expiring leases, and remembering on the instance's record
/// when its last lease ended (an on-demand instance's idle time counts from there). Run by one
/// writer at a time: under the directory lock, or inside the controller.
public struct LeaseLedger: Sendable {
    public let layout: StateLayout
    public let leases: LeaseStore

    public init(layout: StateLayout) {
        self.layout = layout
        self.leases = LeaseStore(layout: layout)
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknown(String)
        case expired(String, at: Date)
        case notRenewable(String)
        case invalid(String)

        public var description: String {
            switch self {
            case .unknown(let reference): "no lease \(reference)"
            case .expired(let reference, let at):
                "lease \(reference) expired at \(at.formatted(.iso8601)); take a new one with `inferctl ensure`"
            case .notRenewable(let reference): "lease \(reference) was taken as not renewable"
            case .invalid(let why): why
            }
        }
    }

    public func acquire(consumer: String, instance: String, owner: String, ttlMilliseconds: Int, renewable: Bool = true,
                        now: Date) throws -> Lease {
        if let problem = LeaseRules.ownerProblem(owner) { throw Failure.invalid("--owner: \(problem)") }
        if let problem = LeaseRules.ttlProblem(ttlMilliseconds) { throw Failure.invalid("--ttl: \(problem)") }
        let lease = Lease(leaseRef: LeaseStore.newReference(), ownerRef: owner, consumer: consumer, instance: instance,
                          acquiredAt: now, ttlMilliseconds: ttlMilliseconds, renewable: renewable)
        try leases.save(lease)
        return lease
    }

    /// A live lease gets a new expiry (`ttl` from now; its own ttl when nil).
    public func renew(_ reference: String, ttlMilliseconds: Int?, now: Date) throws -> Lease {
        guard var lease = leases.lease(reference) else { throw Failure.unknown(reference) }
        guard lease.isLive(at: now) else { throw Failure.expired(reference, at: lease.expiresAt) }
        guard lease.renewable else { throw Failure.notRenewable(reference) }
        if let ttlMilliseconds {
            if let problem = LeaseRules.ttlProblem(ttlMilliseconds) { throw Failure.invalid("--ttl: \(problem)") }
            lease.ttlMilliseconds = ttlMilliseconds
        }
        lease.renewedAt = now
        try leases.save(lease)
        return lease
    }

    /// Gives a lease back; its instance's idle time starts now.
    @discardableResult
    public func release(_ reference: String, now: Date) throws -> Lease {
        guard let lease = leases.lease(reference) else { throw Failure.unknown(reference) }
        try leases.remove(reference)
        try noteEnded(lease.instance, at: min(now, lease.expiresAt))
        return lease
    }

    /// Drops every lease that has expired (of one instance, when named); returns them.
    @discardableResult
    public func expire(now: Date, instance: String? = nil) throws -> [Lease] {
        let expired = leases.leases().filter { !$0.isLive(at: now) && (instance == nil || $0.instance == instance) }
        for lease in expired {
            try leases.remove(lease.leaseRef)
            try noteEnded(lease.instance, at: lease.expiresAt)
        }
        return expired
    }

    private func noteEnded(_ instance: String, at time: Date) throws {
        if let known = lastEnded(instance), known >= time { return }
        try StateDirectories.prepare(layout)
        try AtomicFileWriter.write(time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
                                   to: layout.leaseEndedPath(instance))
    }

    /// When the instance's last lease ended, if one ever did.
    public func lastEnded(_ instance: String) -> Date? {
        guard ResourceName.isValid(instance),
              let bytes = try? BoundedFileReader.read(layout.leaseEndedPath(instance), limit: 64, followSymlinks: false) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }
}
