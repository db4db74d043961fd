/// A consumer's claim on an instance; the instance is not idled out while a lease is live.
public struct LeaseRef: Codable, Sendable, Equatable {
    public var contractVersion: String
    public var leaseRef: String
    public var ownerRef: String
    public var ttlMilliseconds: Int
    public var renewable: Bool
    public var metadata: Metadata

    public init(leaseRef: String, ownerRef: String, ttlMilliseconds: Int, renewable: Bool = true, metadata: Metadata = [:]) {
        self.contractVersion = inferenceContractVersion
        self.leaseRef = leaseRef
        self.ownerRef = ownerRef
        self.ttlMilliseconds = ttlMilliseconds
        self.renewable = renewable
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case contractVersion = "contract_version"
        case leaseRef = "lease_ref"
        case ownerRef = "owner_ref"
        case ttlMilliseconds = "ttl_ms"
        case renewable
        case metadata
    }
}
