import Foundation

/// A holder's claim on an instance, kept in `.inferctl/leases/<lease_ref>.json`: while it is
/// live, the instance is started if it is on demand, never stopped for idleness and never
/// pruned without `--force`. Carries the seed's `LeaseRef` fields (`lease_ref`, `owner_ref`,
/// `ttl_ms`, `renewable`) plus what it holds and when.
public struct Lease: Codable, Sendable, Equatable {
    public var contractVersion: String
    public var leaseRef: String
    public var ownerRef: String
    public var consumer: String
    public var instance: String
    public var acquiredAt: Date
    public var renewedAt: Date
    public var ttlMilliseconds: Int
    public var renewable: Bool

    public init(leaseRef: String, ownerRef: String, consumer: String, instance: String, acquiredAt: Date,
                ttlMilliseconds: Int, renewable: Bool = true) {
        self.contractVersion = inferenceContractVersion
        self.leaseRef = leaseRef
        self.ownerRef = ownerRef
        self.consumer = consumer
        self.instance = instance
        self.acquiredAt = acquiredAt
        self.renewedAt = acquiredAt
        self.ttlMilliseconds = ttlMilliseconds
        self.renewable = renewable
    }

    /// When it lapses unless renewed first.
    public var expiresAt: Date { renewedAt.addingTimeInterval(Double(ttlMilliseconds) / 1000) }

    public func isLive(at now: Date) -> Bool { now < expiresAt }

    /// The seed's wire form.
    public var reference: LeaseRef {
        LeaseRef(leaseRef: leaseRef, ownerRef: ownerRef, ttlMilliseconds: ttlMilliseconds, renewable: renewable,
                 metadata: ["consumer": .string(consumer), "instance": .string(instance)])
    }

    enum CodingKeys: String, CodingKey {
        case contractVersion = "contract_version"
        case leaseRef = "lease_ref"
        case ownerRef = "owner_ref"
        case consumer, instance
        case acquiredAt = "acquired_at"
        case renewedAt = "renewed_at"
        case ttlMilliseconds = "ttl_ms"
        case renewable
        case expiresAt = "expires_at"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        contractVersion = try container.decode(String.self, forKey: .contractVersion)
        leaseRef = try container.decode(String.self, forKey: .leaseRef)
        ownerRef = try container.decode(String.self, forKey: .ownerRef)
        consumer = try container.decode(String.self, forKey: .consumer)
        instance = try container.decode(String.self, forKey: .instance)
        acquiredAt = try LeaseTime.decode(container, .acquiredAt)
        renewedAt = try LeaseTime.decode(container, .renewedAt)
        ttlMilliseconds = try container.decode(Int.self, forKey: .ttlMilliseconds)
        renewable = try container.decode(Bool.self, forKey: .renewable)
        // `expires_at` is written for readers; it is always computed, never trusted.
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(contractVersion, forKey: .contractVersion)
        try container.encode(leaseRef, forKey: .leaseRef)
        try container.encode(ownerRef, forKey: .ownerRef)
        try container.encode(consumer, forKey: .consumer)
        try container.encode(instance, forKey: .instance)
        try container.encode(LeaseTime.text(acquiredAt), forKey: .acquiredAt)
        try container.encode(LeaseTime.text(renewedAt), forKey: .renewedAt)
        try container.encode(ttlMilliseconds, forKey: .ttlMilliseconds)
        try container.encode(renewable, forKey: .renewable)
        try container.encode(LeaseTime.text(expiresAt), forKey: .expiresAt)
    }
}

/// Lease times to the millisecond (`2026-11-26T17:04:24.512Z`): a lease stored to the second
/// could lapse up to a second early. Whole-second times are read too.
enum LeaseTime {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func text(_ date: Date) -> String { date.formatted(style) }

    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        if let date = try? style.parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an ISO 8601 time: \(text)")
    }
}

/// What a lease may look like: checked when one is taken and again when it is read back (the
/// folder is on disk, so anything in it may have been written by someone else).
public enum LeaseRules {
    /// `lease-` and 32 lowercase hex digits: a file name that cannot leave its folder.
    public static func isValidReference(_ text: String) -> Bool {
        let prefix = "lease-"
        guard text.hasPrefix(prefix) else { return false }
        let digits = text.dropFirst(prefix.count)
        return digits.count == 32 && digits.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    public static let minimumTTLMilliseconds = 1_000
    /// A month: a lease is a heartbeat, not a reservation forever.
    public static let maximumTTLMilliseconds = 30 * 24 * 3_600 * 1_000

    /// Why an owner reference is refused, or nil. It is printed and stored: one printable line.
    public static func ownerProblem(_ owner: String) -> String? {
        if owner.isEmpty { return "the owner is empty" }
        if owner.utf8.count > 256 { return "the owner is longer than 256 bytes" }
        if owner.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "the owner contains control characters"
        }
        return nil
    }

    public static func ttlProblem(_ milliseconds: Int) -> String? {
        guard milliseconds >= minimumTTLMilliseconds, milliseconds <= maximumTTLMilliseconds else {
            return "ttl must be between 1s and 30 days (got \(milliseconds) ms)"
        }
        return nil
    }

    /// Why a lease read back from `fileName` is not to be believed, or nil.
    public static func problem(_ lease: Lease, fileName: String) -> String? {
        if !isValidReference(lease.leaseRef) { return "lease_ref is not of the form lease-<32 hex digits>" }
        if fileName != lease.leaseRef + ".json" { return "lease_ref does not match the file name" }
        if let problem = ownerProblem(lease.ownerRef) { return problem }
        if let problem = ResourceName.problem(lease.consumer) { return "consumer: \(problem)" }
        if let problem = ResourceName.problem(lease.instance) { return "instance: \(problem)" }
        if let problem = ttlProblem(lease.ttlMilliseconds) { return problem }
        if lease.renewedAt < lease.acquiredAt { return "renewed_at is before acquired_at" }
        return nil
    }
}
