import InferenceModel

/// One manifest file an importer produced.
public struct ImportedManifest: Sendable, Equatable {
    /// File name inside the target directory, e.g. `chat-small.instance.yaml`.
    public var fileName: String
    public var kind: String
    public var name: String
    /// What it came from and what it does, one line, for the import report.
    public var summary: String
    public var text: String
}

/// What an import produced: manifests to write, and every problem or loss, with its line in the
/// source file (warnings: something not carried over; errors: nothing should be written).
public struct ImportResult: Sendable {
    public var manifests: [ImportedManifest] = []
    public var diagnostics: [Diagnostic] = []

    public var hasErrors: Bool { diagnostics.hasErrors }
}

/// Object names from names written for another tool: lowercase DNS labels, unique per kind.
struct NameBook {
    private var taken: Set<String> = []

    mutating func name(for original: String, fallback: String) -> String {
        var name = ""
        var lastWasDash = false
        for scalar in original.lowercased().unicodeScalars {
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if allowed {
                name.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash && !name.isEmpty {
                name += "-"
                lastWasDash = true
            }
        }
        name = String(name.prefix(ResourceName.maximumLength))
        while name.hasSuffix("-") { name.removeLast() }
        if name.isEmpty { name = fallback }
        var unique = name
        var counter = 2
        while taken.contains(unique) {
            let suffix = "-\(counter)"
            var base = String(name.prefix(ResourceName.maximumLength - suffix.count))
            while base.hasSuffix("-") { base.removeLast() }
            unique = base + suffix
            counter += 1
        }
        taken.insert(unique)
        return unique
    }
}
