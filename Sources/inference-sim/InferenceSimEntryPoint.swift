import ArgumentParser
import InferenceSimulator

/// Process entry point. `@main` on an `AsyncParsableCommand` selects its async
/// `main()`; plain top-level code would pick the synchronous overload, which
/// refuses to run async commands.
@main
extension SimulatorCommand {}
