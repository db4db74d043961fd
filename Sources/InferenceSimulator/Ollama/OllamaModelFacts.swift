/// Plausible, stable metadata for a simulated model, derived from its name.
///
/// Real Ollama reads these from the GGUF file; we hash the name so the same
/// model always reports the same digest, size and parameter count.
struct OllamaModelFacts: Sendable {
    let digest: String
    let sizeBytes: Int64
    let family: String
    let parameterSize: String
    let parameterCount: Int64
    let quantizationLevel = "Q4_K_M"
    let format = "gguf"
    let contextLength = 131_072

    init(name: OllamaModelName) {
        digest = Self.hexDigest(of: name.canonicalKey)
        family = Self.family(of: name.baseName)
        // Tags like `1b`, `8b`, `3.2b` state the size; otherwise pick a stable 1..8 B.
        let tagBillions = Double(name.tag.lowercased().dropLast()).flatMap { name.tag.lowercased().hasSuffix("b") ? $0 : nil }
        let billions = tagBillions ?? Double(1 + Self.fnv1a(name.canonicalKey, seed: 7) % 8)
        parameterCount = Int64(billions * 1_000_000_000)
        parameterSize = billions == billions.rounded() ? "\(Int(billions)).0B" : "\(billions)B"
        // Q4_K_M is roughly 0.6 bytes per parameter.
        sizeBytes = parameterCount * 6 / 10
    }

    /// Letters of the last path component before the first digit or punctuation: `llama3.2` -> `llama`.
    private static func family(of baseName: String) -> String {
        let last = baseName.split(separator: "/").last.map(String.init) ?? baseName
        let letters = last.lowercased().prefix { $0.isLetter }
        return letters.isEmpty ? "llama" : String(letters)
    }

    /// 64 hex characters, sha256-sized, from four seeded FNV-1a hashes.
    private static func hexDigest(of text: String) -> String {
        (0..<4).map { seed in
            let hex = String(fnv1a(text, seed: UInt64(seed)), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    private static func fnv1a(_ text: String, seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15)
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
