/// The launch-relevant fields of an instance, flattened, and their hash.
/// Readiness, health, restart, stop and activation settings are left out on purpose:
/// changing how we watch a server is no reason to restart it.
public struct SpecFingerprint: Codable, Sendable, Equatable {
    /// `server.ctxSize` -> `2048`, sorted by key when hashed.
    public var fields: [String: String]
    public var hash: String

    public init(fields: [String: String]) {
        self.fields = fields
        // `key=value` lines, sorted, written into one string (planning fingerprints every instance).
        var canonical = ""
        canonical.reserveCapacity(fields.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 })
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            canonical += key
            canonical += "="
            canonical += value
            canonical += "\n"
        }
        self.hash = Self.fnv1a64Hex(canonical)
    }

    public init(spec: InstanceSpec, startupKind: StartupKind) {
        var fields: [String: String] = [
            "backend": spec.backend,
            "startupKind": startupKind.rawValue,
            "surface": spec.surface.rawValue,
            "server.host": spec.server.host,
            "server.port": spec.server.port.description,
        ]
        func put(_ key: String, _ value: CustomStringConvertible?) {
            if let value { fields[key] = value.description }
        }
        put("model.path", spec.model.path)
        put("model.identity", spec.model.identity)
        put("server.ctxSize", spec.server.ctxSize)
        put("server.threads", spec.server.threads)
        put("server.parallel", spec.server.parallel)
        put("server.gpuLayers", spec.server.gpuLayers)
        put("server.flashAttn", spec.server.flashAttn)
        put("server.embeddings", spec.server.embeddings)
        put("server.chatTemplate", spec.server.chatTemplate)
        put("server.apiKey", spec.server.apiKey)
        put("server.binary", spec.server.binary)
        put("url", spec.url)
        if !spec.server.extraArgs.isEmpty { fields["server.extraArgs"] = spec.server.extraArgs.joined(separator: " ") }
        if let command = spec.command { fields["command"] = command.joined(separator: " ") }
        for (key, value) in spec.server.env {
            switch value {
            case .literal(let text): fields["server.env.\(key)"] = text
            case .secret(let reference): fields["server.env.\(key)"] = reference.description
            }
        }
        if spec.ollama.preload { fields["ollama.preload"] = "true" }
        put("ollama.keepAlive", spec.ollama.keepAlive)
        self.init(fields: fields)
    }

    /// What changed between two fingerprints, for plan reasons: `server.ctxSize 2048 -> 4096`.
    public func changes(from old: SpecFingerprint) -> [String] {
        let keys = Set(fields.keys).union(old.fields.keys).sorted()
        return keys.compactMap { key in
            let before = old.fields[key], after = fields[key]
            guard before != after else { return nil }
            return "\(key) \(before ?? "(unset)") -> \(after ?? "(unset)")"
        }
    }

    /// FNV-1a, 64 bit: a stable change detector (not a security hash), identical on every platform.
    static func fnv1a64Hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
