import ArgumentParser

/// A `Duration` flag value written like `500ms`, `2s`, `1m`, `1h30m`.
public struct SimulatorDurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    public let duration: Duration

    public init(_ duration: Duration) {
        self.duration = duration
    }

    public init?(argument: String) {
        guard let duration = try? DurationParsing.parse(argument), duration >= .zero else { return nil }
        self.duration = duration
    }

    public var description: String { DurationParsing.format(duration) }
    public var defaultValueDescription: String { description }
}
