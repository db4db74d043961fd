import ArgumentParser

@main
struct InferCTL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inferctl",
        abstract: "Make local inference servers match the manifests in a directory.",
        discussion: """
        Keep Backend, Instance and Consumer manifests (YAML) in a directory, then let inferctl \
        validate them, plan, and bring servers up. DIR defaults to ./manifests.

        Exit codes: 0 success, 1 invalid input or a failure, 2 changes pending (plan --detailed-exitcode) \
        or timed out (wait).
        """,
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ApplyCommand.self, WatchCommand.self, StatusCommand.self, LogsCommand.self,
            DownCommand.self, BackendsCommand.self, CompatCommand.self, SimCommand.self,
            WaitCommand.self, EnsureCommand.self, LeaseCommand.self, EndpointCommand.self, ImportCommand.self,
        ]
    )
}
