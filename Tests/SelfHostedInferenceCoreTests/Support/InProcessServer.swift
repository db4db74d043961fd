import InferenceSimulator

/// The simulator inside the test process, on a port the OS picks: a server to attach to without
/// starting any process.
func withInProcessServer(modelID: String = "sim-model", _ body: (SimulatorServer) async throws -> Void) async throws {
    let server = try await SimulatorServer.start(SimulatorOptions(host: "127.0.0.1", port: 0, modelID: modelID, log: { _ in }))
    do {
        try await body(server)
    } catch {
        try? await server.stop()
        throw error
    }
    try await server.stop()
}
