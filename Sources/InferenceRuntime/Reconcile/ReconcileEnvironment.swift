import Foundation
import InferenceModel

/// Every effect the reconciler uses, in one place, so tests can swap any of them.
public struct ReconcileEnvironment: Sendable {
    /// Where servers run (this machine; a fake in tests).
    public var host: any ProcessHost
    public var prober: HTTPProber
    /// Sends smoke completions (`readiness.smoke`, `health.smoke`).
    public var completions: any CompletionStreamClient
    public var secrets: SecretResolver
    /// How to run our simulator: `inferctl` itself with its hidden `sim` subcommand.
    public var simulatorExecutable: String
    public var simulatorArguments: [String]
    public var now: @Sendable () -> Date
    /// A server's log is rotated (copy, then truncate) past this size, keeping `logKeep` old files.
    public var logLimitBytes: Int
    public var logKeep: Int
    /// Shared by every pass of one process: members of a residency group start one at a time.
    public var residencyGate = ResidencyGate()

    public init(host: any ProcessHost = LocalProcessHost(),
                prober: HTTPProber = LoopbackHTTPProber(), completions: any CompletionStreamClient = AsyncHTTPCompletionStreamClient(),
                secrets: SecretResolver = SecretResolver(),
                simulatorExecutable: String = SimulatorLocation.executable, simulatorArguments: [String] = SimulatorLocation.arguments,
                now: @escaping @Sendable () -> Date = { Date() }, logLimitBytes: Int = 10 << 20, logKeep: Int = 3) {
        self.host = host
        self.prober = prober
        self.completions = completions
        self.secrets = secrets
        self.simulatorExecutable = simulatorExecutable
        self.simulatorArguments = simulatorArguments
        self.now = now
        self.logLimitBytes = logLimitBytes
        self.logKeep = logKeep
    }
}

/// Where the simulator is: `INFERCTL_SIMULATOR` names an `inference-sim` binary; otherwise
/// the running `inferctl` itself (resolved through /proc/self/exe) with its `sim` subcommand,
/// so a fresh `swift run inferctl apply` needs nothing else built.
public enum SimulatorLocation {
    public static var executable: String {
        if let override = ProcessInfo.processInfo.environment["INFERCTL_SIMULATOR"], !override.isEmpty { return override }
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    public static var arguments: [String] {
        if let override = ProcessInfo.processInfo.environment["INFERCTL_SIMULATOR"], !override.isEmpty { return [] }
        return ["sim"]
    }
}
