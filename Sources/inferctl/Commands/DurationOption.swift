import ArgumentParser
import SelfHostedInferenceCore

/// `--timeout 5m`, `--lock-timeout 30s`: the same duration syntax as manifests.
struct DurationArgument: ExpressibleByArgument, Sendable {
    let value: DurationValue

    init?(argument: String) {
        guard let parsed = DurationValue(parsing: argument) else { return nil }
        value = parsed
    }

    var duration: Duration { value.duration }

    var defaultValueDescription: String { value.description }
}

extension Duration {
    /// Whole milliseconds, for the APIs and files that count in them.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
