import ArgumentParser

/// The manifest directory argument every command takes.
struct DirectoryArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("Manifest directory.", valueName: "DIR"))
    var directory: String = "manifests"
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `-o text|json` on every reading command.
struct OutputOption: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: text or json.")
    var format: OutputFormat = .text
}

/// Exit statuses scripts can rely on.
enum ExitStatus {
    static let failure = ExitCode(1)
    static let changesPending = ExitCode(2)
    /// `wait`: the time ran out before the condition was met.
    static let timedOut = ExitCode(2)
}
