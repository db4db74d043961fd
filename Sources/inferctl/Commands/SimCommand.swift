import ArgumentParser
import InferenceSimulator

/// `inferctl sim`: the simulator inside inferctl, so the `simulation` backend needs nothing else built.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: SimulatorCommand.abstract,
        discussion: SimulatorCommand.discussion,
        shouldDisplay: false
    )

    @OptionGroup var flags: SimulatorFlags

    func run() async throws {
        try await runSimulator(flags.makeOptions())
    }
}
