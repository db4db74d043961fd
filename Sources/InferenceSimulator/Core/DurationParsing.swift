/// Parses human durations such as `0`, `500ms`, `2s`, `1m`, `1h30m`, `1.5s`, `-1m`.
///
/// The format follows Go's `time.ParseDuration` (which Ollama's `keep_alive`
/// uses too); a bare number means seconds.
public enum DurationParsing {
    public struct InvalidDuration: Error, CustomStringConvertible {
        public let text: String
        public var description: String {
            "invalid duration '\(text)' (expected e.g. 500ms, 2s, 1m, 1h30m)"
        }
    }

    private static let unitsInSeconds: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
    ]

    public static func parse(_ rawText: String) throws -> Duration {
        let text = rawText.trimmingCharacters(in: .whitespaces)
        var rest = Substring(text)
        var sign = 1.0
        if rest.first == "-" || rest.first == "+" {
            sign = rest.first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { throw InvalidDuration(text: rawText) }
        if let seconds = Double(rest) {
            return .milliseconds(Int64((sign * seconds * 1000).rounded()))
        }
        var totalSeconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isNumber && $0 != "." }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), let scale = unitsInSeconds[String(unit)] else {
                throw InvalidDuration(text: rawText)
            }
            totalSeconds += value * scale
        }
        return .milliseconds(Int64((sign * totalSeconds * 1000).rounded()))
    }

    /// Short human form used in logs and `--help` defaults: `0s`, `500ms`, `2s`, `1h30m`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let totalMilliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if totalMilliseconds == 0 { return "0s" }
        if totalMilliseconds < 0 { return "-" + format(.milliseconds(-totalMilliseconds)) }
        if totalMilliseconds % 1000 != 0 { return totalMilliseconds < 1000 ? "\(totalMilliseconds)ms" : "\(Double(totalMilliseconds) / 1000)s" }
        var remaining = totalMilliseconds / 1000
        var text = ""
        for (unit, size) in [("h", Int64(3600)), ("m", 60), ("s", 1)] where remaining >= size {
            text += "\(remaining / size)\(unit)"
            remaining %= size
        }
        return text
    }
}
