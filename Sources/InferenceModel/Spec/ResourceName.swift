/// The rule every object name follows (a DNS-1123 label). Names become file names in the state
/// folder and next to the manifests, so the same rule guards names read back from disk: a name that
/// passes it holds no `/`, no `..` and nothing a shell or a path could misread.
public enum ResourceName {
    public static let maximumLength = 63

    public static func isValid(_ name: String) -> Bool { problem(name) == nil }

    /// Why `name` is not a valid object name, or nil when it is one. `shown` is how the name is quoted.
    public static func problem(_ name: String, shown: String? = nil) -> String? {
        // Checked on bytes, and quoted only for a message: every manifest's name passes through here.
        var quoted: String { "'\(shown ?? String(name.prefix(40)))'" }
        let bytes = name.utf8
        if bytes.isEmpty { return "name must not be empty" }
        // Characters never outnumber bytes: counting them (slow) is only needed past the limit.
        if bytes.count > maximumLength, name.count > maximumLength {
            return "name \(quoted) is \(name.count) characters long; the limit is \(maximumLength)"
        }
        // Bytes of other characters are never ASCII, so this is the same rule on Unicode scalars.
        let allowed = bytes.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
        if !allowed { return "name \(quoted) may only contain lowercase letters, digits and '-'" }
        if bytes.first == UInt8(ascii: "-") || bytes.last == UInt8(ascii: "-") {
            return "name \(quoted) must start and end with a letter or digit"
        }
        return nil
    }
}
