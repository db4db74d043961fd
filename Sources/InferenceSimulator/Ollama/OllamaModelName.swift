/// An Ollama model reference, compared the way Ollama compares them.
///
/// `llama3.2`, `llama3.2:latest`, `library/llama3.2` and
/// `registry.ollama.ai/library/llama3.2:latest` all name the same model;
/// names are case-insensitive. `displayName` is the short form with its tag.
struct OllamaModelName: Hashable, Sendable, CustomStringConvertible {
    static let defaultTag = "latest"
    private static let defaultHost = "registry.ollama.ai"
    private static let defaultNamespace = "library"

    /// `llama3.2:latest`, `myuser/model:7b`, `host:5000/ns/model:tag`.
    let displayName: String
    /// Lower-cased fully-qualified form used for equality.
    let canonicalKey: String
    /// The part before the tag, without host or default namespace: `llama3.2`.
    let baseName: String
    let tag: String

    init?(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        // A ':' after the last '/' starts the tag; one before it belongs to a host:port.
        let lastSlash = trimmed.lastIndex(of: "/")
        let searchStart = lastSlash.map { trimmed.index(after: $0) } ?? trimmed.startIndex
        var path = trimmed
        var tag = Self.defaultTag
        if let colon = trimmed[searchStart...].lastIndex(of: ":") {
            path = String(trimmed[..<colon])
            tag = String(trimmed[trimmed.index(after: colon)...])
            guard !tag.isEmpty else { return nil }
        }
        var components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !components.contains(where: \.isEmpty) else { return nil }
        if components.count == 3, components[0].lowercased() == Self.defaultHost {
            components.removeFirst()
        }
        if components.count == 2, components[0].lowercased() == Self.defaultNamespace {
            components.removeFirst()
        }
        let shortPath = components.joined(separator: "/")
        baseName = shortPath
        self.tag = tag
        displayName = "\(shortPath):\(tag)"
        canonicalKey = displayName.lowercased()
    }

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.canonicalKey == rhs.canonicalKey }
    func hash(into hasher: inout Hasher) { hasher.combine(canonicalKey) }

    var description: String { displayName }

    /// The `owned_by` Ollama reports on `/v1/models`: the namespace, or `library`.
    var owner: String {
        let parts = baseName.split(separator: "/")
        return parts.count >= 2 ? String(parts[parts.count - 2]) : Self.defaultNamespace
    }
}
