import Foundation
import InferenceModel

/// What `ensure` asks for: a consumer's endpoint, held by a lease for `owner`.
public struct EnsureRequest: Codable, Sendable, Equatable {
    public var consumer: String
    public var owner: String
    public var ttlMilliseconds: Int
    public var renewable: Bool
    /// How long to wait for the instance to become ready.
    public var waitMilliseconds: Int

    public init(consumer: String, owner: String, ttlMilliseconds: Int = 30_000, renewable: Bool = true,
                waitMilliseconds: Int = 300_000) {
        self.consumer = consumer
        self.owner = owner
        self.ttlMilliseconds = ttlMilliseconds
        self.renewable = renewable
        self.waitMilliseconds = waitMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case consumer, owner
        case ttlMilliseconds = "ttl_ms"
        case renewable
        case waitMilliseconds = "wait_ms"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        consumer = try container.decode(String.self, forKey: .consumer)
        owner = try container.decode(String.self, forKey: .owner)
        ttlMilliseconds = try container.decodeIfPresent(Int.self, forKey: .ttlMilliseconds) ?? 30_000
        renewable = try container.decodeIfPresent(Bool.self, forKey: .renewable) ?? true
        waitMilliseconds = try container.decodeIfPresent(Int.self, forKey: .waitMilliseconds) ?? 300_000
    }
}

/// What `ensure` hands back: the descriptor (its `lease_ref` set), the compatibility result and the lease.
public struct EnsuredEndpoint: Codable, Sendable, Equatable {
    public var endpoint: EndpointDescriptor
    public var compatibility: CompatibilityResult
    public var lease: Lease

    public init(endpoint: EndpointDescriptor, compatibility: CompatibilityResult, lease: Lease) {
        self.endpoint = endpoint
        self.compatibility = compatibility
        self.lease = lease
    }
}

/// Why `ensure` handed out nothing. Each leaves no lease behind.
public enum EnsureFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownConsumer(String)
    /// No candidate instance is compatible: each candidate with what it lacks.
    case incompatible(consumer: String, candidates: [String: CompatibilityResult])
    case noInstance(consumer: String)
    case notReady(instance: String, phase: InstancePhase, message: String)
    case heldDown(String)
    case invalid(String)
    case stateWriteFailed(String)

    public var description: String {
        switch self {
        case .unknownConsumer(let name): return "no consumer named \(name) is declared"
        case .incompatible(let consumer, let candidates):
            let lines = candidates.keys.sorted().map { name in
                "instance \(name): " + (candidates[name]?.missingRequirements.map(\.explanation).joined(separator: "; ") ?? "")
            }
            return "consumer \(consumer) is incompatible with every instance it may use; nothing was started:\n  "
                + lines.joined(separator: "\n  ")
        case .noInstance(let consumer): return "no instance matches consumer \(consumer)"
        case .notReady(let instance, let phase, let message): return "instance \(instance) is \(phase.rawValue): \(message)"
        case .heldDown(let why): return "\(why); run `inferctl apply` first"
        case .invalid(let why): return why
        case .stateWriteFailed(let why): return "could not write state: \(why)"
        }
    }
}
