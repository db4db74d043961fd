import Foundation
import UnixSignals

/// Runs the simulator as the whole process: starts the server, applies the
/// process-level fault injections, and returns after a graceful shutdown on
/// SIGTERM/SIGINT (so the process exits 0).
///
/// `--exit-before-ready` and `--crash-after` end the process from here with
/// `exit`/`_exit`; they are meant for the executables, not for tests that run
/// the simulator in-process (use `SimulatorServer.start(_:)` there).
public func runSimulator(_ options: SimulatorOptions) async throws {
    let startedAt = ContinuousClock.now
    let log: @Sendable (String) -> Void = { options.log(SimulatorLog.prefix + $0) }

    if options.ignoreSigterm {
        ProcessSignals.ignoreTerminationSignals()
        log("ignoring SIGTERM and SIGINT (only SIGKILL stops this process)")
    }
    if let crashAfter = options.crashAfter {
        ProcessSignals.scheduleCrash(at: startedAt + crashAfter, log: log)
    }
    if let exitCode = options.exitBeforeReady {
        await failToLoad(options, exitCode: exitCode, log: log)
    }

    let server: SimulatorServer
    do {
        server = try await SimulatorServer.start(
            options,
            gracefulShutdownSignals: options.ignoreSigterm ? [] : [.sigterm, .sigint]
        )
    } catch {
        log("error: cannot listen on \(options.host):\(options.port): \(error)")
        throw error
    }
    try await server.waitUntilStopped()
    log("shutting down: server stopped")
}

/// Prints what a failing model load looks like, then exits with `exitCode`.
private func failToLoad(_ options: SimulatorOptions, exitCode: Int32, log: @Sendable (String) -> Void) async -> Never {
    log("loading model '\(options.modelID)' (load delay \(DurationParsing.format(options.loadDelay)))")
    // Fail halfway through the load, like a model file that turns out to be corrupt.
    try? await Task.sleep(for: options.loadDelay / 2)
    log("llama_model_load: error loading model: simulated failure")
    log("error: failed to load model '\(options.modelID)': simulated failure")
    log("exiting with status \(exitCode) before becoming ready")
    exit(exitCode)
}
