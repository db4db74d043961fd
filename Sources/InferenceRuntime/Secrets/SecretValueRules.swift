/// What a secret value may hold. Secrets end up in one HTTP header (`Authorization: Bearer KEY`) or one
/// environment variable: a value with a newline or a control character cannot be sent as a header, and
/// the HTTP client's complaint about it would repeat the value. Checked before any use, and the verdict
/// names the broken rule, never any part of the value.
enum SecretValueRules {
    /// Larger than any API key; a bigger file is the wrong file (and is not read whole).
    static let maximumBytes = 4096

    enum Violation: Error, Equatable {
        case empty
        case tooLarge
        case severalLines
        case controlCharacter
        case notASCII

        /// Completes "secret env:NAME …".
        var explanation: String {
            switch self {
            case .empty: "is empty"
            case .tooLarge: "is larger than \(SecretValueRules.maximumBytes) bytes, more than any key; is it the right file?"
            case .severalLines: "spans several lines; a key is one line (only surrounding whitespace is trimmed)"
            case .controlCharacter: "holds a control character (tab, escape, …); a key is printable text"
            case .notASCII: "holds a character outside printable ASCII; a key is printable ASCII text"
            }
        }
    }

    /// The value with surrounding whitespace trimmed, or the first rule it breaks.
    static func check(_ raw: String) throws(Violation) -> String {
        guard raw.utf8.count <= maximumBytes else { throw .tooLarge }
        let value = trimmed(raw)
        guard !value.isEmpty else { throw .empty }
        // Line ends first: "several lines" says more than "a control character".
        if value.utf8.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) { throw .severalLines }
        for byte in value.utf8 {
            if byte < 0x20 || byte == 0x7F { throw .controlCharacter }
            if byte > 0x7F { throw .notASCII }
        }
        return value
    }

    /// Surrounding spaces, tabs and line ends go (a file usually ends with a newline); nothing inside does.
    static func trimmed(_ raw: String) -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let scalars = raw.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
