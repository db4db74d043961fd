import Foundation

/// Removes secret values from text before it leaves the runtime (printed, recorded, written to a status).
///
/// Validation keeps secrets out of the places that would echo them (an HTTP client's error about an
/// invalid header); this is the second line: whatever text still reaches us — a server's log tail, an
/// answer body, a library's error — has every value the resolver handed out, and any `Bearer TOKEN`,
/// replaced by `[redacted]`.
public final class SecretRedactor: @unchecked Sendable {
    public static let placeholder = "[redacted]"
    /// Shorter values would turn ordinary words and numbers into `[redacted]` everywhere; such a key is
    /// still caught in its `Bearer` form.
    public static let minimumLength = 4

    private let lock = NSLock()
    private var values: Set<String> = []

    public init() {}

    /// Remembers `value` (and each of its lines, and their escaped forms) for `redact`.
    public func register(_ value: String) {
        let variants = Self.variants(of: value)
        lock.withLock { values.formUnion(variants) }
    }

    /// `text` with every registered value, and every `Bearer` token, replaced.
    public func redact(_ text: String) -> String {
        Self.redact(text, values: lock.withLock { values })
    }

    /// `text` with each of `values` (and their lines) and every `Bearer` token replaced: for callers that
    /// hold the values themselves, such as the HTTP prober with the headers it was given.
    public static func redact(_ text: String, values: some Sequence<String>) -> String {
        var result = text
        // Longest first, so a value containing another is replaced whole.
        let all = Set(values.flatMap(variants(of:))).sorted { $0.count > $1.count }
        for value in all where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: placeholder)
        }
        return redactBearerTokens(result)
    }

    /// `Bearer X` up to the next whitespace, whatever X is: a token we never registered (or one that a
    /// library printed escaped, `\n` and all) is still not shown.
    static func redactBearerTokens(_ text: String) -> String {
        guard text.range(of: "bearer", options: .caseInsensitive) != nil else { return text }
        return text.replacing(#/(?i)\bbearer\s+\S+/#) { _ in "Bearer \(placeholder)" }
    }

    /// The value trimmed, each of its lines, and how Swift prints each inside a quoted string (a library's
    /// error description escapes quotes, backslashes and control characters). Too-short pieces are left out.
    static func variants(of value: String) -> Set<String> {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        var pieces: Set<String> = [trimmed]
        for line in trimmed.split(whereSeparator: \.isNewline) {
            pieces.insert(line.trimmingCharacters(in: .whitespaces))
        }
        for piece in pieces {
            pieces.insert(String(String(reflecting: piece).dropFirst().dropLast()))
        }
        return pieces.filter { $0.count >= minimumLength }
    }
}
