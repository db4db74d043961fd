/// `kind: ResidencyGroup`: instances (chosen by label) that share one machine's room: at most
/// `maxRunning` of them run at once, and/or their `memory` adds up to at most `memory` bytes.
/// When a member must start and does not fit, idle members are stopped to make room (see
/// `ResidencyPlanner`); a member a live lease holds is never stopped for room.
public struct ResidencyGroupDefinition: Codable, Sendable, Equatable {
    public var metadata: ObjectMetadata
    public var spec: ResidencyGroupSpec
    public var origin: ManifestOrigin

    public init(metadata: ObjectMetadata, spec: ResidencyGroupSpec, origin: ManifestOrigin) {
        self.metadata = metadata
        self.spec = spec
        self.origin = origin
    }

    public var name: String { metadata.name }
}

public struct ResidencyGroupSpec: Codable, Sendable, Equatable {
    /// Labels an instance must all have to be a member.
    public var selector: [String: String]
    public var maxRunning: Int?
    /// Bytes the running members' memory may add up to.
    public var memory: MemoryQuantity?

    public init(selector: [String: String] = [:], maxRunning: Int? = nil, memory: MemoryQuantity? = nil) {
        self.selector = selector
        self.maxRunning = maxRunning
        self.memory = memory
    }
}

/// `resources` of an instance: what it takes of the machine, for residency groups.
public struct ResourcesSpec: Codable, Sendable, Equatable {
    /// Memory the server takes once loaded. Without it, a GGUF model's is estimated from its file.
    public var memory: MemoryQuantity?

    public init(memory: MemoryQuantity? = nil) {
        self.memory = memory
    }
}

/// An amount of memory as written (`24Gi`, `512Mi`, `8G`, `1073741824`) and its bytes.
public struct MemoryQuantity: Codable, Sendable, Equatable, Comparable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) {
        self.bytes = bytes
    }

    public static func < (lhs: MemoryQuantity, rhs: MemoryQuantity) -> Bool { lhs.bytes < rhs.bytes }

    static let units: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1024 * 1024), ("Gi", 1024 * 1024 * 1024), ("Ti", 1024 * 1024 * 1024 * 1024),
        ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
    ]

    /// Kubernetes-style quantities: a number, optionally with a fraction, and an optional unit
    /// (`Ki`, `Mi`, `Gi`, `Ti` powers of 1024; `k`/`K`, `M`, `G`, `T` powers of 1000). nil when malformed.
    public static func parse(_ text: String) -> MemoryQuantity? {
        var number = Substring(text)
        var factor = 1.0
        for (unit, size) in units where text.hasSuffix(unit) {
            number = number.dropLast(unit.count)
            factor = size
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              number.filter({ $0 == "." }).count <= 1, let value = Double(number) else { return nil }
        let bytes = (value * factor).rounded(.up)
        guard bytes >= 1, bytes < 9.0e18 else { return nil }
        return MemoryQuantity(bytes: Int64(bytes))
    }

    /// `24.0 GiB`, `512 MiB`: for messages.
    public var description: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024 && index < units.count - 1 {
            value /= 1024
            index += 1
        }
        if index == 0 { return "\(bytes) B" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[index])" : "\(rounded) \(units[index])"
    }
}
