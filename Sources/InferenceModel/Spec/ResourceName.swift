/// The rule every object name follows (a DNS-1123 label). Names become file names in the state
/// folder and next to the manifests, so the same rule guards names read back from disk: a name that
/// passes it holds no `/`, no `..` and nothing a shell or a path could misread.
public enum ResourceName {
    public static let maximumLength = 63

    public static func isValid(_ name: String) -> Bool { problem(name) == nil }

    /// Why `name` is not a valid object name, or nil when it is one. `shown` is how the name is quoted.
    public static func problem(_ name: String, shown: String? = nil) -> String? {
        let quoted = "'\(shown ?? String(name.prefix(40)))'"
        if name.isEmpty { return "name must not be empty" }
        if name.count > maximumLength {
            return "name \(quoted) is \(name.count) characters long; the limit is \(maximumLength)"
        }
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        if !allowed { return "name \(quoted) may only contain lowercase letters, digits and '-'" }
        if name.hasPrefix("-") || name.hasSuffix("-") { return "name \(quoted) must start and end with a letter or digit" }
        return nil
    }
}
