import Foundation

/// How an embedding program runs simulated instances (`backend: simulation`): `inferctl` runs
/// itself with its `sim` subcommand, but a program embedding the kernel is not `inferctl`.
public struct SimulatorCommand: Sendable, Equatable {
    /// The program to run (absolute, or a name looked up in PATH).
    public var executable: String
    /// Arguments placed before the simulator's own (`["sim"]` for `inferctl`).
    public var arguments: [String]

    /// A simulator command, as given.
    public init(executable: String, arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }

    /// `INFERCTL_SIMULATOR` when set (like `inferctl`); else `inference-sim`, or `inferctl sim`,
    /// next to this program (a SwiftPM build folder holds them side by side), then in PATH; else
    /// `inference-sim`, whose launch then fails as "executable not found".
    public static func located(environment: [String: String] = ProcessInfo.processInfo.environment,
                               programPath: String? = currentProgramPath()) -> SimulatorCommand {
        if let override = environment["INFERCTL_SIMULATOR"], !override.isEmpty { return SimulatorCommand(executable: override) }
        let besideProgram = programPath.map { [URL(fileURLWithPath: $0).deletingLastPathComponent().path] } ?? []
        let searchPath = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in besideProgram + searchPath where !folder.isEmpty {
            let simulator = folder + "/inference-sim"
            if FileManager.default.isExecutableFile(atPath: simulator) { return SimulatorCommand(executable: simulator) }
            let inferctl = folder + "/inferctl"
            if FileManager.default.isExecutableFile(atPath: inferctl) { return SimulatorCommand(executable: inferctl, arguments: ["sim"]) }
        }
        return SimulatorCommand(executable: "inference-sim")
    }

    /// This program's executable, through /proc/self/exe.
    public static func currentProgramPath() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }
}
